"""Wording of a computed answer: the sentence with the numbers, a one-line reading, the table, the citation."""

from __future__ import annotations

from core.agents import fmt
from core.agents.tables_compute import Slice, difference, filtered, pooled_rate, row_of, show, slices
from core.agents.tables_groups import MAX_LISTED_VALUES, file_total, over_time, per_period_average, ranked
from core.agents.tables_types import Agg, Cell, Computation, Grain, GroupKind, Op, Row, TableAnswer, TableRequest
from core.agents.tables_vocab import Catalog, TableInfo
from core.agents.tables_words import (
    AGG_WORDS,
    bold_cells,
    cap,
    change,
    context,
    date_range,
    label_of,
    noun_of,
    what,
    when,
    where,
)

NEXT_GRAIN = {Grain.MONTH: "month on month", Grain.QUARTER: "quarter on quarter", Grain.YEAR: "year on year"}


def share_reading(req: TableRequest, catalog: Catalog, row: Row) -> str:
    """For one summed value: its share of the same measure without the filters (or without the period)."""
    m, cell = req.measures[0], row.cells[0]
    if cell.value is None or len(req.files) != 1:
        return ""
    info = catalog.tables[req.files[0]]
    if m.agg not in (Agg.SUM, Agg.ROWS):
        span = date_range(info, req) if not req.periods else ""
        return f"{AGG_WORDS[m.agg].removesuffix(' of').capitalize()} of {fmt.count(row.rows)} rows" + (
            f" ({span})." if span else ".")
    if req.filters:
        base_req = TableRequest(req.op, req.measures, req.files, {}, req.periods, req.date_columns)
        scope = f"{label_of(m)}{when(req)} in {info.name}"
    elif req.periods:
        base_req = TableRequest(req.op, req.measures, req.files, {}, (), req.date_columns)
        scope = f"{label_of(m)} in {info.name} from {date_range(info, req)}"
    else:
        return f"Over {fmt.count(row.rows)} rows ({date_range(info, req)})." if date_range(info, req) else ""
    base = row_of(base_req, Slice("", info.name, filtered(info, base_req, base_req.periods[0]
                                                            if base_req.periods else None)))
    if not base.cells[0].value:
        return ""
    share = 100 * cell.value / base.cells[0].value
    if round(share, 1) == 100:  # the period or filter spans the whole file: a share would say nothing
        return f"Over {fmt.count(row.rows)} rows ({date_range(info, req)})." if date_range(info, req) else ""
    within = [] if len(req.filters) < 2 else [share_within(req, info, cell.value, col) for col in req.filters]
    return f"That is {', '.join(filter(None, within))}{', and ' if any(within) else ''}{fmt.pct(share)} of the " \
           f"{base.cells[0].text} {scope}."


def share_within(req: TableRequest, info: TableInfo, value: float, dropped: str) -> str:
    """With two filters or more, the share among the rows that meet the others: cash sales of the AVATR 12 are
    a share of AVATR 12 sales (and of all sales)."""
    rest = TableRequest(req.op, req.measures, req.files, {c: v for c, v in req.filters.items() if c != dropped},
                        req.periods, req.date_columns)
    whole = row_of(rest, Slice("", info.name, filtered(info, rest, rest.periods[0] if rest.periods else None)))
    if not whole.cells[0].value:
        return ""
    m = req.measures[0]
    return f"{fmt.pct(100 * value / whole.cells[0].value)} of the {whole.cells[0].text} {label_of(m)}{where(rest)}"


def single(req: TableRequest, catalog: Catalog, rows: list[Row]) -> tuple[str, str]:
    """One value (or one value per measure)."""
    row = rows[0]
    if len(req.measures) == 1:
        sentence = f"{what(req, catalog, req.measures[0])}{where(req)}{when(req)}: **{row.cells[0].text}**."
    else:
        info = catalog.tables[req.files[0]]
        ctx = context(req, catalog) or (info.noun.capitalize() if info.row_nouns else info.name)
        sentence = f"{ctx}{where(req)}{when(req)}: {bold_cells(req, row)}."
    if req.op is Op.DISTINCT_COUNT:
        col = req.measures[0].column
        assert col is not None
        values = sorted({str(v) for f in req.files for v in filtered(catalog.tables[f], req, req.periods[0]
                         if req.periods else None)[col].dropna().unique()})
        listed = ", ".join(values[:MAX_LISTED_VALUES]) + (", …" if len(values) > MAX_LISTED_VALUES else "")
        return sentence, f"They are: {listed}." if values else ""
    return sentence, " ".join(filter(None, [share_reading(req, catalog, row), pooled_reading(req, catalog, row)]))


def pooled_reading(req: TableRequest, catalog: Catalog, row: Row) -> str:
    """For the mean of a ratio column (CPC, CTR ...): the same ratio pooled over the rows, which can differ."""
    m = req.measures[0]
    if m.agg is not Agg.MEAN or m.column is None or len(req.files) != 1 or row.cells[0].value is None:
        return ""
    info = catalog.tables[req.files[0]]
    pooled = pooled_rate(filtered(info, req, req.periods[0] if req.periods else None), m.column)
    if pooled is None:
        return ""
    value, top, bottom = pooled
    return f"Pooled over those rows ({top} ÷ {bottom}): **{show(m, value, m.column)}**."


def compared(req: TableRequest, catalog: Catalog, sls: list[Slice], rows: list[Row]) -> tuple[str, str, list[Row]]:
    """Two or more periods, files or values side by side, with the change between the first two in time order."""
    m = req.measures[0]
    head = what(req, catalog, m) if req.group_kind is not GroupKind.FILE else label_of(m).capitalize()
    skip = next((c for c, v in req.filters.items() if len(v) > 1), None)
    parts = " vs ".join(f"{r.label} **{r.cells[0].text}**" for r in rows)
    sentence = f"{head}{where(req, skip)}{when(req) if len(req.periods) == 1 else ''}: {parts}."
    if len(rows) != 2:
        ranked = sorted((r for r in rows if r.cells[0].value is not None), key=lambda r: -(r.cells[0].value or 0))
        reading = f"Highest: {ranked[0].label}; lowest: {ranked[-1].label}." if ranked else ""
        return sentence, reading, rows
    if req.periods and len(req.periods) == 2:
        order = sorted(range(2), key=lambda i: req.periods[i].start)
        a, b = (rows[i] for i in order)
        pa, pb = (req.periods[i] for i in order)
        step = NEXT_GRAIN.get(pa.grain, "") if pa.grain is pb.grain and pa.end == pb.start else ""
        changes = [change(x.value, y.value) for x, y in zip(a.cells, b.cells)]
        if changes[0] is None:
            return sentence, "", rows
        way = "Up" if changes[0] >= 0 else "Down"
        by = difference(m, a.cells[0].value or 0.0, b.cells[0].value or 0.0)  # both known, as change() gave one
        reading = f"{way} {fmt.pct(abs(changes[0]))} ({by}) from {a.label} to {b.label}{f' ({step})' if step else ''}."
        if len(req.measures) > 1:
            reading += " Change: " + ", ".join(f"{label_of(x)} {fmt.pct(c, signed=True)}" for x, c in
                                               zip(req.measures, changes) if c is not None) + "."
            return sentence, reading, [a, b]
        return sentence, reading, [Row(r.label, r.cells + (Cell(c, fmt.pct(c, signed=True) if c is not None
                                                                   else ""),), r.rows)
                                   for r, c in ((a, None), (b, changes[0]))]
    a, b = rows
    diff = change(b.cells[0].value, a.cells[0].value)
    if diff is None:
        return sentence, "", rows
    reading = cap(f"{a.label} is {fmt.pct(abs(diff))} {'higher' if diff >= 0 else 'lower'} than {b.label}.")
    return sentence, reading, rows


def computations(req: TableRequest, catalog: Catalog, sls: list[Slice]) -> tuple[Computation, ...]:
    """One citation per file: what was computed, over which rows."""
    out = []
    for f in req.files:
        info = catalog.tables[f]
        mine = [s for s in sls if s.file == f]
        union = [s for s in sls if f in s.file.split(", ") and s.file != f]
        n = sum(len(s.frame) for s in mine) or (len(filtered(info, req, req.periods[0] if req.periods else None))
                                                if union else 0)
        aggs = ", ".join(AGG_WORDS[m.agg] + (f" {m.column}" if m.column else "") for m in req.measures)
        conds = [f"{c} = {' or '.join(v)}" for c, v in req.filters.items()]
        col = req.date_columns.get(f)
        if len(req.periods) > 1:
            conds.append(f"{col} in " + " or ".join(f"{s.label} ({fmt.count(len(s.frame))} rows)" for s in mine))
        elif req.periods:
            conds.append(f"{col} in {req.periods[0].label}")
        group = f", by {noun_of(req, catalog)}" if req.group_kind in (GroupKind.COLUMN, GroupKind.PERIOD) else ""
        scope = f" where {' and '.join(conds)}" if conds else f" over all dates ({date_range(info, req)})" if col else ""
        out.append(Computation(f, tuple(m.column for m in req.measures if m.column) + ((col,) if col else ()),
                               dict(req.filters), f"{aggs}{scope}{group}", n))
    return tuple(out)


def build(req: TableRequest, catalog: Catalog) -> TableAnswer:
    """Compute a request and word the answer."""
    sls = slices(req, catalog)
    rows = [row_of(req, s) for s in sls]
    label = {GroupKind.FILE: "channel", GroupKind.PERIOD: req.group_by or "period"}.get(
        req.group_kind, "") if req.group_kind else ""
    header = (label or (noun_of(req, catalog) if req.group_kind else ""), *[label_of(m) for m in req.measures])
    if sum(r.rows for r in rows) == 0 and req.op is not Op.COMPARE:
        info = catalog.tables[req.files[0]]
        rng = date_range(info, req)
        sentence = f"No rows of {info.name} match{where(req)}{when(req)}."
        return TableAnswer(req, sentence, f"Its dates run from {rng}." if rng else "", header, (),
                           computations(req, catalog, sls))
    if req.op is Op.AVERAGE and req.group_kind in (GroupKind.PERIOD, GroupKind.COLUMN):
        sentence, reading, shown = per_period_average(req, catalog, rows)
    elif req.op is Op.COMPARE:
        sentence, reading, shown = compared(req, catalog, sls, rows)
        if len(shown[0].cells) > len(req.measures):
            header = (*header, "change")
    elif req.op is Op.TOTAL and req.group_kind is GroupKind.FILE:
        sentence, reading, shown = file_total(req, rows)
    elif req.op is Op.BY_PERIOD:
        sentence, reading, shown = over_time(req, catalog, rows)
    elif req.group_kind is not None:
        sentence, reading, shown = ranked(req, catalog, rows)
    else:
        sentence, reading = single(req, catalog, rows)
        shown = rows
    return TableAnswer(req, sentence, reading, header, tuple(shown), computations(req, catalog, sls))
