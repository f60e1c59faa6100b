"""Phrases shared by the answer wordings: measure labels, the channel, filters, the period, what the groups are."""

from __future__ import annotations

from core.agents.tables_types import Agg, Grain, GroupKind, Measure, Row, TableRequest
from core.agents.tables_vocab import Catalog, TableInfo, words_of
from core.domain import channel_label

AGG_WORDS = {Agg.SUM: "sum of", Agg.MEAN: "mean of", Agg.MIN: "min of", Agg.MAX: "max of",
             Agg.ROWS: "count of rows", Agg.DISTINCT: "distinct values of"}


def label_of(m: Measure) -> str:
    """'spend', 'average cpm', 'highest spend' ..."""
    prefix = {Agg.MEAN: "average ", Agg.MAX: "highest ", Agg.MIN: "lowest "}.get(m.agg, "")
    return prefix + m.label


def context(req: TableRequest, catalog: Catalog) -> str:
    """Who the numbers are about: the channel of a single channel file ('Meta'), else ''."""
    infos = [catalog.tables[f] for f in req.files]
    return channel_label(infos[0].channel) if len(infos) == 1 and infos[0].channel else ""


def where(req: TableRequest, skip: str | None = None) -> str:
    """' with status cancelled and model AVATR 12' (the multi-valued column left out when it makes the rows)."""
    parts = [f"{' '.join(words_of(c))} {' or '.join(v)}" for c, v in req.filters.items() if c != skip]
    return f" with {' and '.join(parts)}" if parts else ""


def when(req: TableRequest) -> str:
    """' in September 2025', ' since September 2025', or '' for all dates or several periods."""
    if len(req.periods) != 1:
        return ""
    label = req.periods[0].label
    if label.startswith("since "):
        return f" {label}"
    return f" on {label}" if req.periods[0].grain is Grain.DAY else f" in {label}"


def what(req: TableRequest, catalog: Catalog, m: Measure) -> str:
    """'Meta spend', 'leads', 'average cpm' — capitalised."""
    ctx = context(req, catalog)
    if m.agg is Agg.DISTINCT:
        return cap(f"number of {ctx} {m.label}" if ctx else f"number of {m.label}")
    return cap(measured(req, catalog, m))


def measured(req: TableRequest, catalog: Catalog, m: Measure) -> str:
    """'Meta spend', 'leads': the measure with the channel or file it is of, as written."""
    ctx = context(req, catalog)
    return f"{ctx} {label_of(m)}" if ctx and m.agg is not Agg.ROWS else label_of(m)


def cap(text: str) -> str:
    """First letter upper-case, the rest as it is ('meta' stays a value, 'Meta' a channel)."""
    return text[:1].upper() + text[1:]


def bold_cells(req: TableRequest, row: Row) -> str:
    return ", ".join(f"{label_of(m)} **{c.text}**" for m, c in zip(req.measures, row.cells))


def date_range(info: TableInfo, req: TableRequest) -> str:
    """'4 March 2024 to 28 December 2025' of the file's date column ('' without one)."""
    col = req.date_columns.get(info.name)
    if not col:
        return ""
    d = info.dates[col].dropna()
    return f"{d.min().day} {d.min():%B %Y} to {d.max().day} {d.max():%B %Y}" if len(d) else ""


def change(a: float | None, b: float | None) -> float | None:
    """Percentage change from a to b."""
    return None if a in (None, 0) or b is None else 100 * (b - a) / a


def noun_of(req: TableRequest, catalog: Catalog) -> str:
    """What the groups are: 'dealer', 'region', 'month', 'channel'."""
    if req.group_kind is GroupKind.FILE:
        return "channel" if all(catalog.tables[f].channel for f in req.files) else "file"
    assert req.group_by is not None
    if req.group_kind is GroupKind.PERIOD:
        return req.group_by
    return " ".join(w for w in words_of(req.group_by) if w not in ("id", "name"))
