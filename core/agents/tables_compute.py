"""The pandas side: a TableRequest computed over the profiled tables, as rows of (label, cells).

Slices are the unit of work: one filtered, period-restricted frame per answer row (a period, a file, a value, a
group). Each measure is aggregated per slice: sum, mean, min, max, number of rows, or number of distinct values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from core.agents import fmt
from core.agents.tables_link import RATE_PARTS, RATES
from core.agents.tables_types import Agg, Cell, Grain, GroupKind, Measure, Period, Row, TableRequest
from core.agents.tables_vocab import Catalog, TableInfo, words_of
from core.domain import channel_label

MONEY_DECIMALS_BELOW = 1000  # £32.23 for a CPM, £417.88 for an average discount, £2,200,000 for a total
SUM_DECIMALS_BELOW = 100_000  # a total of TVRs below this keeps a decimal (1,350.9), as ratings are reported
SUM_TWO_DECIMALS_BELOW = 100  # and below this two (82.25)
SMALL_VALUE = 1  # means below this print with four decimals (a CTR of 0.0551)
PERIOD_FREQ = {Grain.DAY: "D", Grain.WEEK: "W-SUN", Grain.MONTH: "M", Grain.QUARTER: "Q", Grain.YEAR: "Y"}


@dataclass(frozen=True)
class Slice:
    """The rows behind one answer row."""

    label: str
    file: str
    frame: pd.DataFrame


def show(measure: Measure, x: float | None, column: str | None = None) -> str:
    """A computed value as the reply prints it (core.agents.fmt formats; 'no rows' when there was nothing)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "no rows"
    if measure.agg in (Agg.ROWS, Agg.DISTINCT):
        return fmt.count(x)
    if measure.money:
        return fmt.money(x) if measure.agg is Agg.SUM or abs(x) >= MONEY_DECIMALS_BELOW else f"£{fmt.ratio(x)}"
    percent = "%" if column and set(words_of(column)) & {"pct", "percent"} else ""
    if measure.agg is Agg.SUM:
        if float(x).is_integer() or abs(x) >= SUM_DECIMALS_BELOW:
            return fmt.count(x)
        return fmt.ratio(x) if abs(x) < SUM_TWO_DECIMALS_BELOW else f"{x:,.1f}"
    if abs(x) >= SMALL_VALUE or x == 0:
        return fmt.ratio(x) + percent
    return f"{x:.4f}{percent}"


def difference(m: Measure, a: float, b: float) -> str:
    """'£35,604': the size of a change from a to b in the measure's own units, which "by how much" asks for."""
    return show(m, abs(b - a), m.column)


def aggregate(frame: pd.DataFrame, measure: Measure) -> float | None:
    """One measure over a slice's rows (None when there are no rows to aggregate)."""
    if measure.agg is Agg.ROWS:
        return float(len(frame))
    assert measure.column is not None
    s = frame[measure.column]
    if measure.agg is Agg.DISTINCT:
        return float(s.dropna().nunique())
    s = pd.to_numeric(s, errors="coerce").dropna()
    if s.empty:
        return None
    value = {Agg.SUM: s.sum, Agg.MEAN: s.mean, Agg.MIN: s.min, Agg.MAX: s.max}[measure.agg]()
    return float(value)


def _part(frame: pd.DataFrame, words: tuple[str, ...]) -> str | None:
    """The numeric column named by one of `words` (singular or plural), not itself a ratio."""
    for col in frame.columns:
        names = {w.removesuffix("s") for w in words_of(str(col))}
        if names & set(words) and not names & RATES and pd.api.types.is_numeric_dtype(frame[col]):
            return str(col)
    return None


def pooled_rate(frame: pd.DataFrame, column: str) -> tuple[float, str, str] | None:
    """A ratio column over these rows as sum(numerator) / sum(denominator), with the two columns used."""
    rate = next((w for w in words_of(column) if w in RATE_PARTS), None)
    if rate is None:
        return None
    top_words, bottom_words, scale = RATE_PARTS[rate]
    if {"pct", "percent"} & set(words_of(column)):  # ctr_pct holds 1.8 for 1.8%
        scale *= 100
    top, bottom = _part(frame, top_words), _part(frame, bottom_words)
    if top is None or bottom is None:
        return None
    below = float(pd.to_numeric(frame[bottom], errors="coerce").sum())
    if below <= 0:
        return None
    return scale * float(pd.to_numeric(frame[top], errors="coerce").sum()) / below, top, bottom


def filtered(info: TableInfo, req: TableRequest, period: Period | None) -> pd.DataFrame:
    """The file's rows matching the filters and the period."""
    df = info.df
    mask = pd.Series(True, index=df.index)
    for col, values in req.filters.items():
        mask &= df[col].astype(str).isin(values)
    if period is not None:
        dates = info.dates[req.date_columns[info.name]]
        mask &= (dates >= period.start) & (dates < period.end)
    return df[mask]


def period_label(p: pd.Period, grain: Grain) -> str:
    """'September 2025', 'Q3 2025', '2025', 'week of 1 September 2025', '1 September 2025'."""
    start = p.start_time
    if grain is Grain.MONTH:
        return f"{start:%B %Y}"
    if grain is Grain.QUARTER:
        return f"Q{p.quarter} {p.year}"
    if grain is Grain.YEAR:
        return str(p.year)
    day = f"{start.day} {start:%B %Y}"
    return f"week of {day}" if grain is Grain.WEEK else day


def by_period(info: TableInfo, req: TableRequest, frame: pd.DataFrame, grain: Grain) -> list[Slice]:
    """One slice per calendar period of the grain, in time order."""
    dates = info.dates[req.date_columns[info.name]].loc[frame.index]
    keys = dates.dt.to_period(PERIOD_FREQ[grain])
    return [Slice(period_label(k, grain), info.name, frame[keys == k]) for k in sorted(keys.dropna().unique())]


def names_for(catalog: Catalog, column: str) -> dict[str, str]:
    """Readable names for an id column ('DLR001' → 'Arnold Clark DEEPAL London') from any table that has both."""
    stem = [w for w in words_of(column) if w != "id"]
    for info in catalog.tables.values():
        if column not in info.df.columns:
            continue
        for other in info.df.columns:
            if other != column and words_of(str(other)) == [*stem, "name"]:
                pairs = info.df[[column, other]].dropna().drop_duplicates()
                if pairs[column].is_unique:
                    return dict(zip(pairs[column].astype(str), pairs[other].astype(str)))
    return {}


def by_column(catalog: Catalog, info: TableInfo, frame: pd.DataFrame, column: str) -> list[Slice]:
    """One slice per value of a categorical column (ids labelled with their names where another column has them)."""
    names = names_for(catalog, column) if "id" in words_of(column) else {}
    out = []
    for value, part in frame.groupby(frame[column].astype(str), sort=True):
        key = str(value)
        out.append(Slice(f"{key} ({names[key]})" if key in names else key, info.name, part))
    return out


def file_label(info: TableInfo) -> str:
    """A file as a row label: its channel ('Meta'), else its name."""
    return channel_label(info.channel) if info.channel else info.name


def slices(req: TableRequest, catalog: Catalog) -> list[Slice]:
    """The slices a request computes, before any sorting or top-N cut."""
    infos = [catalog.tables[f] for f in req.files]
    period = req.periods[0] if len(req.periods) == 1 else None
    if req.group_kind is GroupKind.FILE:
        return [Slice(file_label(i), i.name, filtered(i, req, period)) for i in infos]
    info = infos[0]
    if len(infos) > 1:  # a distinct count over several files: their rows together
        frames = [filtered(i, req, period)[[req.measures[0].column]] for i in infos]
        return [Slice("all files", ", ".join(req.files), pd.concat(frames, ignore_index=True))]
    if req.group_kind is GroupKind.PERIOD:
        assert req.group_by is not None
        return by_period(info, req, filtered(info, req, period), Grain(req.group_by))
    if req.group_kind is GroupKind.COLUMN:
        assert req.group_by is not None
        return by_column(catalog, info, filtered(info, req, period), req.group_by)
    if len(req.periods) > 1:
        return [Slice(p.label, info.name, filtered(info, req, p)) for p in req.periods]
    multi = [(c, v) for c, v in req.filters.items() if len(v) > 1]
    if multi:
        col, values = multi[0]
        base = filtered(info, req, period)
        return [Slice(v, info.name, base[base[col].astype(str) == v]) for v in values]
    return [Slice(period.label if period else "all dates", info.name, filtered(info, req, period))]


def row_of(req: TableRequest, sl: Slice) -> Row:
    """A slice's cells, one per measure."""
    cells = []
    for m in req.measures:
        x = aggregate(sl.frame, m)
        cells.append(Cell(x, show(m, x, m.column)))
    return Row(sl.label, tuple(cells), len(sl.frame))
