"""Wording of grouped answers: a ranking (top N, highest, lowest), values over time, a per-period average, a
total across channel files."""

from __future__ import annotations

from core.agents import fmt
from core.agents.tables_compute import show
from core.agents.tables_types import Agg, Cell, GroupKind, Op, Row, TableRequest
from core.agents.tables_vocab import Catalog, plural
from core.agents.tables_words import cap, change, context, label_of, measured, noun_of, what, when, where

MAX_TABLE_ROWS = 25
SHOWN_WITH_EXTREME = 5  # rows of context under "the highest is ..."
MAX_LISTED_VALUES = 12


def ranked(req: TableRequest, catalog: Catalog, rows: list[Row]) -> tuple[str, str, list[Row]]:
    """Groups ranked by the headline measure: top N, the highest / lowest, or the whole breakdown."""
    m = req.measures[0]
    lowest = req.op is Op.MIN or req.lowest_first
    have = [r for r in rows if r.cells[0].value is not None]
    have.sort(key=lambda r: (r.cells[0].value or 0) * (1 if lowest else -1))
    noun = noun_of(req, catalog)
    scope = f"{where(req)}{when(req)}"
    ctx = context(req, catalog)
    subject = f"{ctx} {label_of(m)}" if ctx and m.agg is not Agg.ROWS else label_of(m)
    if not have:
        return f"No {subject}{scope} to rank.", "", []
    total = sum(r.cells[0].value or 0 for r in have)
    if req.op in (Op.MAX, Op.MIN):
        top = have[0]
        word = "lowest" if lowest else "highest"
        sentence = f"The {noun} with the {word} {subject}{scope}: **{top.label}** ({top.cells[0].text})."
        nxt = f"Next: {have[1].label} ({have[1].cells[0].text})." if len(have) > 1 else ""
        shown = have[:SHOWN_WITH_EXTREME] if req.group_kind is GroupKind.COLUMN else (
            have if req.group_kind is GroupKind.FILE else rows)[:MAX_TABLE_ROWS]
        if m.agg in (Agg.SUM, Agg.ROWS) and total:
            nxt = f"{nxt} {cap(top.label)} is {fmt.pct(100 * (top.cells[0].value or 0) / total)} of the total.".strip()
        return sentence, nxt, shown
    n = req.n or len(have)
    best = have[:n]
    listed = ", ".join(f"{r.label} ({r.cells[0].text})" for r in best[:MAX_LISTED_VALUES])
    if req.n and req.n < len(have):
        sentence = f"{'Lowest' if lowest else 'Top'} {n} {plural(noun)} by {subject}{scope}: {listed}."
    elif req.n:
        sentence = f"All {fmt.count(len(have))} {plural(noun)} by {subject}{scope}: {listed}."
    else:
        sentence = f"{cap(subject)}{scope} by {noun}: {listed}."
    reading = ""
    if m.agg in (Agg.SUM, Agg.ROWS) and total:
        reading = f"{cap(best[0].label)} is {fmt.pct(100 * (best[0].cells[0].value or 0) / total)} of the total."
    return sentence, reading, best[:MAX_TABLE_ROWS]


def over_time(req: TableRequest, catalog: Catalog, rows: list[Row]) -> tuple[str, str, list[Row]]:
    """A measure per period, in time order, with its peak and low."""
    m = req.measures[0]
    have = [r for r in rows if r.cells[0].value is not None]
    if not have:
        return f"No {what(req, catalog, m).lower()}{where(req)}{when(req)}.", "", []
    hi = max(have, key=lambda r: r.cells[0].value or 0)
    lo = min(have, key=lambda r: r.cells[0].value or 0)
    sentence = (f"{what(req, catalog, m)}{where(req)}{when(req)} by {req.group_by}: peak {hi.label} "
                f"(**{hi.cells[0].text}**), lowest {lo.label} (**{lo.cells[0].text}**).")
    return sentence, direction(have[0], have[-1]), rows[:MAX_TABLE_ROWS]


def direction(first: Row, last: Row) -> str:
    """Which way a series went from its first period to its last ("up 236.6%"): what "rising or falling?" asks."""
    pct = change(first.cells[0].value, last.cells[0].value)
    if first is last or pct is None:
        return ""
    way = "up" if pct > 0 else "down" if pct < 0 else "unchanged"
    by = f" {way} {fmt.pct(abs(pct))}" if pct else f" {way}"
    return f"From {first.label} ({first.cells[0].text}) to {last.label} ({last.cells[0].text}):{by}."


def per_period_average(req: TableRequest, catalog: Catalog, rows: list[Row]) -> tuple[str, str, list[Row]]:
    """The mean of per-period or per-group totals ('average monthly leads', 'average leads per dealer')."""
    m = req.measures[0]
    values = [r.cells[0].value for r in rows if r.cells[0].value is not None]
    if not values:
        return f"No {label_of(m)}{where(req)}{when(req)}.", "", []
    mean = sum(values) / len(values)
    cell = Cell(mean, show(m, mean, m.column))
    grain = noun_of(req, catalog)
    sentence = (f"Average {measured(req, catalog, m)} per {grain}{where(req)}{when(req)}: "
                f"**{cell.text}** over {fmt.count(len(values))} {plural(grain)}.")
    return sentence, "", [Row(f"average per {grain}", (cell,), sum(r.rows for r in rows)), *rows[:MAX_TABLE_ROWS]]


def file_total(req: TableRequest, rows: list[Row]) -> tuple[str, str, list[Row]]:
    """The sum over several files, each file a row, biggest first, the total last."""
    m = req.measures[0]
    have = sorted((r for r in rows if r.cells[0].value is not None), key=lambda r: -(r.cells[0].value or 0))
    total = sum(r.cells[0].value or 0 for r in have)
    cell = Cell(total, show(m, total, m.column))
    sentence = f"Total {label_of(m)}{where(req)}{when(req)} across {fmt.count(len(have))} channels: **{cell.text}**."
    reading = f"{have[0].label} is the largest ({fmt.pct(100 * (have[0].cells[0].value or 0) / total)})." if total \
        else ""
    return sentence, reading, [*have, Row("Total", (cell,), sum(r.rows for r in have))]
