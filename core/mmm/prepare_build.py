"""Apply a plan to the raw exports: weekly spend per channel, the KPI and the controls (DataFrames in and out).

week_start(d) = d − weekday(d) days, the Monday on or before d; spend_<channel>[w] = Σ spend of the rows in week
w over every file of that channel (0 when none); controls are weekly means (levels) or sums (amounts).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from core.catalog.dates import ASSUMED_DAY_FIRST_LABEL, parse_dates
from core.domain import CHANNEL_KEYS, SPEND_PREFIX
from core.mmm.data import MAX_WEEKS, MmmDataError
from core.mmm.prepare_detect import money_values
from core.mmm.prepare_types import (
    ControlAgg,
    ControlSource,
    KpiMode,
    KpiSource,
    MediaFile,
    PrepareMapping,
    WeekSpan,
)

PENCE = 2  # spend is rounded to pence per week, as the generator writes it
WEEK = pd.Timedelta(days=7)
MAX_LISTED = 5  # unmapped values named in one warning
NO_DATE = "date not readable"
NO_SPEND = "spend empty or not a number"
NEGATIVE = "spend negative"
NO_CHANNEL = "channel value not mapped"
NO_VALUE = "value empty or not a number"
OUTSIDE = "outside the weeks covered"


@dataclass(frozen=True)
class Weekly:
    """One file's usable rows: their Monday, value and (for media) channel."""

    weeks: pd.Series
    values: pd.Series
    channels: pd.Series | None = None


def monday_of(dates: pd.Series) -> pd.Series:
    """The Monday on or before each date (time of day dropped)."""
    days = dates.dt.normalize()
    return days - pd.to_timedelta(days.dt.weekday, unit="D")


def _column(df: pd.DataFrame, column: str, file: str) -> pd.Series:
    if column not in df.columns:
        raise MmmDataError(f"{file} has no column '{column}' (columns are {list(df.columns)}); correct the mapping")
    return df[column]


def _weeks(df: pd.DataFrame, column: str, file: str, warnings: list[str]) -> tuple[pd.Series, str]:
    """The Monday of each row (NaT where the date is unreadable) and the date format read."""
    parsed = parse_dates(_column(df, column, file))
    if parsed.dates.notna().sum() == 0:
        example = f" (e.g. {parsed.bad[0]!r})" if parsed.bad else ""
        raise MmmDataError(f"{file}: no value of '{column}' reads as a date{example}; write dates like 2024-01-08 "
                           "or 08/01/2024, or choose another date column in the mapping")
    if parsed.format == ASSUMED_DAY_FIRST_LABEL:
        warnings.append(f"{file}: '{column}' has no day above 12, so its dates were read day-first (DD/MM)")
    return monday_of(parsed.dates), parsed.format


def _count(reasons: list[tuple[str, pd.Series]]) -> tuple[pd.Series, dict[str, int]]:
    """Rows passing every check, and the rows failing each (counted under the first check they fail)."""
    ok = pd.Series(True, index=reasons[0][1].index)
    skipped = {}
    for reason, bad in reasons:
        n = int((ok & bad).sum())
        if n:
            skipped[reason] = n
        ok &= ~bad
    return ok, skipped


def _note_skips(file: str, skipped: Mapping[str, int], warnings: list[str]) -> None:
    if skipped:
        parts = ", ".join(f"{n:,} {reason}" for reason, n in skipped.items())
        warnings.append(f"{file}: {sum(skipped.values()):,} rows skipped ({parts})")


def media_rows(df: pd.DataFrame, m: MediaFile, warnings: list[str]) -> tuple[Weekly, MediaFile]:
    """A media file's usable rows (week, spend, channel) and the file's record with its results."""
    weeks, fmt = _weeks(df, m.date_column, m.file, warnings)
    spend = money_values(_column(df, m.spend_column, m.file))
    if m.channel_column is None:
        channels = pd.Series(m.channel, index=df.index, dtype=object)
    else:
        labels = _column(df, m.channel_column, m.file).astype(str).str.strip().where(df[m.channel_column].notna())
        channels = labels.map(dict(m.channel_values)).astype(object)
        if m.channel is not None:
            channels = channels.fillna(m.channel)
        unmapped = sorted(set(labels[channels.isna() & labels.notna()]))
        if unmapped:
            listed = ", ".join(repr(v) for v in unmapped[:MAX_LISTED]) + (" ..." if len(unmapped) > MAX_LISTED else "")
            warnings.append(f"{m.file}: values of '{m.channel_column}' not mapped to a channel: {listed}; add them "
                            "to channel_values in the mapping")
    ok, skipped = _count([(NO_DATE, weeks.isna()), (NO_SPEND, spend.isna()), (NEGATIVE, spend < 0),
                          (NO_CHANNEL, channels.isna())])
    _note_skips(m.file, skipped, warnings)
    rows = Weekly(weeks[ok], spend[ok], channels[ok])
    return rows, replace(m, date_format=fmt, rows_used=int(ok.sum()), rows_skipped=skipped)


def kpi_rows(df: pd.DataFrame, k: KpiSource, warnings: list[str]) -> tuple[Weekly, KpiSource]:
    """The KPI file's usable rows: each counts 1 (COUNT) or its column's value (SUM)."""
    weeks, fmt = _weeks(df, k.date_column, k.file, warnings)
    if k.mode is KpiMode.COUNT:
        values = pd.Series(1.0, index=df.index)
        ok, skipped = _count([(NO_DATE, weeks.isna())])
    else:
        values = money_values(_column(df, str(k.column), k.file))
        ok, skipped = _count([(NO_DATE, weeks.isna()), (NO_VALUE, values.isna())])
    _note_skips(k.file, skipped, warnings)
    return Weekly(weeks[ok], values[ok]), replace(k, date_format=fmt, rows_used=int(ok.sum()), rows_skipped=skipped)


def span(rows: list[Weekly]) -> pd.DatetimeIndex:
    """Every Monday from the first to the last week with media or KPI rows; MmmDataError beyond MAX_WEEKS."""
    firsts = [r.weeks.min() for r in rows if len(r.weeks)]
    if not firsts:
        raise MmmDataError("no media or KPI row has a readable date")
    first, last = min(firsts), max(r.weeks.max() for r in rows if len(r.weeks))
    weeks = pd.date_range(first, last, freq="7D")
    if len(weeks) > MAX_WEEKS:
        raise MmmDataError(f"the dates run from {first:%Y-%m-%d} to {last:%Y-%m-%d}, {len(weeks)} weeks, more than "
                           f"the {MAX_WEEKS} the model takes: check for mistyped years or drop the oldest rows")
    return weeks


def weekly_total(rows: Weekly, weeks: pd.DatetimeIndex) -> np.ndarray:
    """Σ values per week over `weeks`, 0 where a week has no rows."""
    return rows.values.groupby(rows.weeks).sum().reindex(weeks, fill_value=0.0).to_numpy(dtype=float)


def control_column(parts: list[tuple[pd.DataFrame, ControlSource]], weeks: pd.DatetimeIndex,
                   warnings: list[str]) -> tuple[np.ndarray, list[ControlSource]]:
    """One control over `weeks` from its sources: the sum of their weekly sums, or the weekly mean of one source."""
    total, done = np.zeros(len(weeks)), []
    for df, c in parts:
        week, fmt = _weeks(df, c.date_column, c.file, warnings)
        values = money_values(_column(df, c.column, c.file))
        ok, skipped = _count([(NO_DATE, week.isna()), (NO_VALUE, values.isna()), (OUTSIDE, ~week.isin(weeks))])
        grouped = values[ok].groupby(week[ok])
        filled = 0
        if c.agg is ControlAgg.SUM:
            total += grouped.sum().reindex(weeks, fill_value=0.0).to_numpy(dtype=float)
        else:
            means = grouped.mean().reindex(weeks)
            filled = int(means.isna().sum())
            if filled == len(weeks):
                raise MmmDataError(f"{c.file}: '{c.column}' has no value in the weeks covered; drop the control")
            total += means.ffill().bfill().to_numpy(dtype=float)
            if filled:
                warnings.append(f"{c.file}: '{c.column}' has no value in {filled} week(s); each took the nearest "
                                "earlier week's value (or the next one's)")
        done.append(replace(c, date_format=fmt, rows_used=int(ok.sum()), rows_skipped=skipped, filled_weeks=filled))
    return total, done


def channel_order(channels: tuple[str, ...]) -> list[str]:
    """Known channels in the domain's order, then any others alphabetically."""
    known = [k for k in CHANNEL_KEYS if k in channels]
    return known + sorted(set(channels) - set(known))


def _as_counts(values: np.ndarray) -> np.ndarray:
    """Whole numbers as integers (row counts, unit sums), anything else unchanged."""
    return values.astype(np.int64) if np.all(np.mod(values, 1) == 0) else values


def build(frames: Mapping[str, pd.DataFrame], mapping: PrepareMapping) -> tuple[pd.DataFrame, PrepareMapping]:
    """The weekly table (week_start, spend_<channel>..., controls, KPI) and the mapping with its results."""
    missing = [f for f in mapping.files if f not in frames]
    if missing:
        raise MmmDataError(f"the mapping uses {', '.join(missing)}, not among the readable raw exports "
                           f"({', '.join(sorted(frames))}); restore the file or correct the mapping")
    warnings = [f"{s.file} skipped: {s.reason}" for s in mapping.skipped]
    media = [media_rows(frames[m.file], m, warnings) for m in mapping.media]
    kpi_weekly, kpi = kpi_rows(frames[mapping.kpi.file], mapping.kpi, warnings)
    weeks = span([rows for rows, _ in media] + [kpi_weekly])
    table = pd.DataFrame({"week_start": weeks.strftime("%Y-%m-%d")})
    for ch in channel_order(mapping.channels):
        spend = sum((weekly_total(Weekly(r.weeks[r.channels == ch], r.values[r.channels == ch]), weeks)
                     for r, _ in media if r.channels is not None), np.zeros(len(weeks)))
        table[f"{SPEND_PREFIX}{ch}"] = np.round(spend, PENCE)
    controls: list[ControlSource] = []
    for name in dict.fromkeys(c.name for c in mapping.controls):
        parts = [(frames[c.file], c) for c in mapping.controls if c.name == name]
        table[name], done = control_column(parts, weeks, warnings)
        controls += done
    table[kpi.name] = _as_counts(weekly_total(kpi_weekly, weeks))
    if len(kpi_weekly.weeks) and (kpi_weekly.weeks.min() > weeks[0] or kpi_weekly.weeks.max() < weeks[-1]):
        warnings.append(f"{kpi.file}: KPI rows cover {kpi_weekly.weeks.min():%Y-%m-%d} to "
                        f"{kpi_weekly.weeks.max():%Y-%m-%d} only; the other weeks with media count as 0")
    span_ = WeekSpan(weeks[0].strftime("%Y-%m-%d"), weeks[-1].strftime("%Y-%m-%d"), len(weeks))
    done_media = tuple(m for _, m in media)
    return table, replace(mapping, media=done_media, kpi=kpi, controls=tuple(controls), weeks=span_,
                          warnings=tuple(warnings))
