"""One file's reading of a question: its filters, measures, a row count, a grouping or distinct column.

`plan_file` turns a file's links (tables_link) into a FilePlan: value links become filters (longest first), column
links become measures (whole-name matches first; two columns fitting a word equally make it ambiguous) or the
categorical column to group by or count distinct values of.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.agents.tables_cues import GROUP_BEFORE, Cues
from core.agents.tables_link import FileLinks, Link, LinkKind, Token
from core.agents.tables_vocab import MEASURE_KINDS, SUMMABLE_KINDS, Column, ColumnKind, TableInfo, words_of

Hits = dict[str, tuple[frozenset[int], bool]]  # column → (start offsets of the words naming it, whole name named)


@dataclass
class FilePlan:
    """What the question asks of one file: filters, measures, a row count, a grouping or distinct column."""

    links: FileLinks
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    measures: list[Column] = field(default_factory=list)
    rows: bool = False
    group: Column | None = None
    distinct: Column | None = None
    date_column: str | None = None
    revenue: set[str] = field(default_factory=set)  # columns asked for as revenue: summed even if a price
    guessed_rows: bool = False  # rows counted only because a value was written in the plural: a weak reading
    per_group: bool = False  # "average leads per dealer": the mean of the groups' totals

    @property
    def info(self) -> TableInfo:
        return self.links.info

    def key(self) -> tuple[object, ...]:
        """What must agree across files for one request to cover them all."""
        return (tuple(c.name for c in self.measures), self.rows, tuple(sorted(self.filters.items())),
                self.distinct.name if self.distinct else None)


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def filters_of(fl: FileLinks) -> tuple[dict[str, tuple[str, ...]], list[tuple[int, int]]]:
    """Value links as filters, longest first, no overlaps; the spans they use."""
    kept: list[Link] = []
    for ln in sorted((x for x in fl.links if x.kind is LinkKind.VALUE), key=lambda x: (x.start - x.end, x.start)):
        if ln.column is not None and ln.value is not None and not _overlaps((ln.start, ln.end),
                                                                            [(k.start, k.end) for k in kept]):
            kept.append(ln)
    picked: dict[str, list[str]] = {}
    for ln in sorted(kept, key=lambda x: x.start):  # values in the order the question names them
        assert ln.column is not None and ln.value is not None
        if ln.value not in picked.setdefault(ln.column, []):
            picked[ln.column].append(ln.value)
    return {c: tuple(v) for c, v in picked.items()}, [(k.start, k.end) for k in kept]


PER_ROW = re.compile(r"\bper\s+$", re.I)  # "average footfall per event" is a mean over rows, "per dealer" over dealers


YES_NO = ({"y", "n"}, {"yes", "no"}, {"true", "false"})
BREAKDOWN_BEFORE = re.compile(r"\b(?:by|per|which|what|each|every|across|split by|breakdown of)\s+(?:\w+\s+){0,2}$",
                              re.I)


def yes_value(col: Column) -> str | None:
    """The 'yes' of a yes/no flag column ('Y' of Launch Partner Y/N, 'True' of launch_dealer), else None."""
    if col.kind is not ColumnKind.CATEGORY or {v.lower() for v in col.values} not in YES_NO:
        return None
    return next(v for v in col.values if v.lower() in ("y", "yes", "true"))


def flag_filters(fl: FileLinks, used: list[tuple[int, int]], text: str) -> dict[str, tuple[str, ...]]:
    """A yes/no column the question names as a kind of row ("launch dealers" of Launch Partner Y/N) holds its
    rows to 'yes'; named after "by" or "which" it is a breakdown, not a filter."""
    out: dict[str, tuple[str, ...]] = {}
    for ln in fl.links:
        if ln.kind is LinkKind.COLUMN and ln.column and not _overlaps((ln.start, ln.end), used):
            yes = yes_value(fl.info.columns[ln.column])
            # the word must be the flag's own: "dealers" names dealer_id as much as launch_dealer, "launch" only it
            shared = any(o.kind is LinkKind.COLUMN and o.column != ln.column and o.start == ln.start
                         for o in fl.links)
            if yes is not None and not shared and not BREAKDOWN_BEFORE.search(text[:ln.start]):
                out[ln.column] = (yes,)
    return out


def column_hits(fl: FileLinks, used: list[tuple[int, int]]) -> Hits:
    """Per column: the token starts it was linked to (outside value spans) and whether the whole name matched."""
    out: dict[str, tuple[set[int], bool]] = {}
    for ln in fl.links:
        if ln.kind is LinkKind.COLUMN and ln.column and not _overlaps((ln.start, ln.end), used):
            starts, full = out.get(ln.column, (set(), False))
            starts.add(ln.start)
            out[ln.column] = (starts, full or ln.full)
    return {c: (frozenset(s), f) for c, (s, f) in out.items()}


# "when's the first one?" names no "First Response (hrs)": an ordinal alone is not part of a measure's name
ORDINAL_WORDS = frozenset("first second third last next final latest earliest".split())


def _measures(info: TableInfo, hits: Hits, ordinals: frozenset[int] = frozenset()
              ) -> tuple[list[Column], set[int]] | None:
    """Measure columns named by the question, greedily by match quality; None when two fit a word equally."""
    cands = [(info.columns[c], s, f) for c, (s, f) in hits.items() if info.columns[c].kind in MEASURE_KINDS
             and (f or not s <= ordinals)]
    cands.sort(key=lambda x: (not x[2], -len(x[1]), min(x[1])))
    chosen: list[tuple[Column, frozenset[int], bool]] = []
    consumed: set[int] = set()
    for col, starts, full in cands:
        if starts <= consumed:
            continue
        rivals = [c for c, s, f in cands if c is not col and s == starts and f == full and not s <= consumed]
        if rivals:
            return None
        chosen.append((col, starts, full))
        consumed |= starts
    chosen.sort(key=lambda x: (not x[2], min(x[1])))  # whole-name matches lead, then in question order
    return [c for c, _, _ in chosen], consumed


def _noun_after_how_many(cues: Cues, tokens: list[Token], skip: list[tuple[int, int]]) -> Token | None:
    """The first content word after 'how many' outside `skip` (values, the file's name or channel, cue words):
    'how many AVATR 12 cars' → cars, 'how many different radio stations' → stations."""
    if cues.how_many is None:
        return None
    for t in tokens:
        if t.start >= cues.how_many.end() and not _overlaps((t.start, t.end), skip):
            return t
    return None


def _prefer_id(cols: list[Column], hits: Hits) -> Column:
    """Of columns a word names, the one the question names most fully ('event type' over 'event_name'), then
    the id of those naming the same thing (campaign_id over campaign_name)."""
    return max(cols, key=lambda c: (len(hits[c.name][0]), "id" in words_of(c.name)))


def _nouns(info: TableInfo, hits: Hits, consumed: set[int]) -> dict[int, list[Column]]:
    """Categorical columns the question names in full, by the word naming them (words measures took excluded)."""
    nouns: dict[int, list[Column]] = {}
    for name, (starts, full) in hits.items():
        if full and info.columns[name].kind in (ColumnKind.CATEGORY, ColumnKind.KEY):
            for s in starts - consumed:
                nouns.setdefault(s, []).append(info.columns[name])
    return nouns


def _date_column(info: TableInfo, hits: Hits, by_token: dict[int, Token]) -> str | None:
    """The one date column the question names ('booked' → booked_date, not 'drive' of test drives), else the file's
    primary date."""
    named = [n for n, (starts, full) in hits.items() if info.columns[n].kind is ColumnKind.DATE and full
             and not any(by_token[s].norms & (info.row_nouns | info.stem_tokens) for s in starts if s in by_token)]
    return named[0] if len(named) == 1 else info.primary_date


def _count_target(plan: FilePlan, tokens: list[Token], cues: Cues, text: str, nouns: dict[int, list[Column]],
                  value_spans: list[tuple[int, int]], hits: Hits) -> None:
    """Set what 'how many' counts: distinct values of a column ('how many dealers'), or rows ('how many leads',
    'how many no-shows', 'leads in August': rows when the file's rows are the things named)."""
    info = plan.info
    adjectives = [(ln.start, ln.end) for ln in plan.links.links if ln.kind is LinkKind.STEM and not any(
        t.norms & info.row_nouns or t.start in nouns for t in tokens if ln.start <= t.start and t.end <= ln.end)]
    first = _noun_after_how_many(cues, tokens, value_spans + adjectives + cues.cue_spans(text))
    # "how many car models", "how many lead sources": the last noun of the phrase is what is counted
    head = next((t for t in tokens if first is not None and t.start > first.end
                 and not text[first.end:t.start].strip() and t.start in nouns), None)
    if head is not None and not head.norms & info.row_nouns:
        first = head
    if first is not None and first.start in nouns and all(yes_value(c) for c in nouns[first.start]):
        # "how many launch dealers": the flag says which dealers; the dealers are what is counted
        after = next((t for t in tokens if t.start > first.end), None)
        kinds = (ColumnKind.CATEGORY, ColumnKind.KEY)
        counted = [info.columns[n] for n, (starts, _) in hits.items() if after is not None and after.start in starts
                   and info.columns[n].kind in kinds and yes_value(info.columns[n]) is None]
        if counted:
            plan.distinct = _prefer_id(counted, hits)
            return
    if first is not None and first.start in nouns and not first.norms & info.row_nouns:
        named = nouns.pop(first.start)  # of "launch dealers", the dealers are counted and the flag filters them
        plan.distinct = _prefer_id([c for c in named if yes_value(c) is None] or named, hits)
        return
    # "how many of our retailers are launch dealers that offer test drives?" counts retailers, not the test drives
    # named later: a counted word that names another of the file's columns counts that column's values
    other = [info.columns[ln.column] for ln in plan.links.links if first is not None and ln.column is not None
             and ln.kind is LinkKind.COLUMN and ln.start == first.start and not first.norms & info.row_nouns]
    other_thing = bool(other)
    countable = [c for c in other if c.kind in (ColumnKind.CATEGORY, ColumnKind.KEY) and yes_value(c) is None]
    if countable and not plan.measures:  # "how many unique leads had a test drive": its lead_id values
        plan.distinct = _prefer_id(countable, hits)
        return
    named_rows = any(t.norms & info.row_nouns for t in tokens) and (cues.quantity or not cues.what) and not other_thing
    plan.rows = bool(info.row_nouns) and bool(
        first is not None and first.norms & info.row_nouns
        or named_rows and not plan.measures
        or first is None and cues.how_many and plan.filters and not plan.measures)
    plan.guessed_rows = (not plan.rows and bool(info.row_nouns) and first is None and cues.quantity
                         and bool(plan.filters) and not plan.measures and _plural_value(plan.links, text))
    plan.rows = plan.rows or plan.guessed_rows


def _plural_value(links: FileLinks, text: str) -> bool:
    """A value the question writes in the plural ('avatr 11 no shows nov 25'): it counts the rows holding it."""
    return any(ln.kind is LinkKind.VALUE and ln.value is not None and not ln.value.lower().endswith("s")
               and text[ln.start:ln.end].lower().endswith("s") for ln in links.links)


def plan_file(fl: FileLinks, tokens: list[Token], cues: Cues, text: str) -> FilePlan | None:
    """The question read against one file; None when it asks nothing this file can compute."""
    info = fl.info
    plan = FilePlan(fl)
    plan.filters, value_spans = filters_of(fl)
    plan.filters |= flag_filters(fl, value_spans, text)
    hits = column_hits(fl, value_spans)
    measured = _measures(info, hits, frozenset(t.start for t in tokens if t.text in ORDINAL_WORDS))
    if measured is None:
        return None
    plan.measures, consumed = measured
    by_token = {t.start: t for t in tokens}
    plan.revenue = {c.name for c in plan.measures for s in hits[c.name][0]
                    if s in by_token and c.name in by_token[s].names}
    plan.date_column = _date_column(info, hits, by_token)
    nouns = _nouns(info, hits, consumed)
    _count_target(plan, tokens, cues, text, nouns, value_spans, hits)
    # "the most sessions in the UK market": a column held to one value is a filter, not a breakdown
    grouping = [s for s in sorted(nouns) if (GROUP_BEFORE.search(text[:s]) or cues.top_n or cues.most or cues.least)
                and not all(len(plan.filters.get(c.name, ())) == 1 for c in nouns[s])
                and not (cues.average and PER_ROW.search(text[:s]) and by_token[s].norms & info.row_nouns)]
    if grouping:
        plan.group = _prefer_id(nouns[grouping[0]], hits)
        plan.per_group = cues.average and PER_ROW.search(text[:grouping[0]]) is not None
    if not (plan.measures or plan.rows or plan.distinct):
        money = info.of_kind(ColumnKind.MONEY)
        if cues.perform and info.of_kind(*SUMMABLE_KINDS):  # "how did Meta perform": its money, then its counts
            plan.measures = sorted(info.of_kind(*SUMMABLE_KINDS), key=lambda c: not c.money)
        elif cues.how_much and len(money) == 1:
            plan.measures = money
        else:
            return None
    return plan
