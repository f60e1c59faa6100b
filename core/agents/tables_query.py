"""A question as a typed TableRequest: which file(s), measures, filters, periods, grouping and operation.

Conservative by design: a tie between files, a word no chosen file can filter by, two columns that fit a word
equally, or a period that cannot be dated all give None, and the caller falls back to document search.
"""

from __future__ import annotations

import re
from dataclasses import replace

from core.agents.acronyms import contract
from core.agents.tables_calendar import YearsWith, resolve, span_of
from core.agents.tables_cues import (
    BLOCK,
    CHANGE_FROM,
    DAYPART,
    DISTINCT,
    FIRST_PERSON,
    IGNORING_BLANKS,
    LOWER_IS_BETTER,
    MONTH_NAMED,
    PEAK_VERB,
    PRICE_PAID,
    RATE_ASKED,
    UNSUPPORTED,
    WHEN_PEAK,
    WHO,
    Cues,
    extreme,
)
from core.agents.tables_link import LinkKind, Token, channel_spans, distinctive, link_file, tokenize, unexplained
from core.agents.tables_periods import ON_PREVIOUS_RX, PeriodWords, find_periods
from core.agents.tables_plan import FilePlan, column_hits, plan_file
from core.agents.tables_types import FILE_GROUP, Agg, Grain, GroupKind, Measure, Op, Period, TableRequest
from core.agents.tables_vocab import MEASURE_KINDS, Catalog, ColumnKind, plural, words_of
from core.agents.typos import mend
from core.catalog.categories import Category

MARGIN = 0.25  # a rival file this close to the best makes the question ambiguous
MIN_COVERAGE = 0.5  # share of the question's content words the chosen file(s) must explain
CATEGORY_WORDS = {"digital": (Category.DIGITAL_MEDIA,), "online": (Category.DIGITAL_MEDIA,),
                  "traditional": (Category.TRADITIONAL_MEDIA,), "offline": (Category.TRADITIONAL_MEDIA,)}
MEDIA = (Category.DIGITAL_MEDIA, Category.TRADITIONAL_MEDIA)


def others_figures(plan: FilePlan, channels: list[tuple[str, int, int]]) -> bool:
    """A file of other parties' money (competitor estimates) that the question does not name: by its file name or
    a value other than a channel ('Kia', 'Nielsen'). "How much did we spend on TV" is never a rival's TV spend."""
    if plan.info.category is not Category.EXTERNAL or not any(c.money for c in plan.measures):
        return False
    return not any(ln.kind is LinkKind.STEM or ln.kind is LinkKind.VALUE
                   and not any(a < ln.end and ln.start < b for _, a, b in channels) for ln in plan.links.links)


def choose(plans: list[FilePlan], channels: list[tuple[str, int, int]], cues: Cues) -> list[FilePlan] | None:
    """The file(s) the question is about: the best plan, several channel files, or None when it is a toss-up."""
    if not plans:
        return None
    best = plans[0]
    named = list(dict.fromkeys(ch for ch, _, _ in channels))
    channel_file = best.info.channel is not None
    if len(named) >= 2 and channel_file:
        picked = [next((p for p in plans if p.info.channel == ch), None) for ch in named]
        if any(p is None for p in picked):
            return None
        chosen = [p for p in picked if p is not None]
        return chosen if len({p.key() for p in chosen}) == 1 and all(p.measures for p in chosen) else None
    by_channel_column = best.group is not None and best.group.channel_values
    if cues.cross and not by_channel_column and (channel_file or not named):
        word = (cues.cross.group(1) or cues.cross.group(2) or "").lower()
        cats = CATEGORY_WORDS.get(word, MEDIA)
        media = [p for p in plans if p.info.channel and p.info.category in cats and p.measures]
        if not media:
            return None
        lead = media[0].key()
        chosen = [p for p in media if p.key() == lead]
        return chosen if len(chosen) >= 2 else None
    rivals = [p for p in plans[1:] if p.links.score >= best.links.score - MARGIN]
    if not rivals:
        return [best]
    if best.distinct and all(p.distinct and p.distinct.name == best.distinct.name and p.key() == best.key()
                             for p in rivals):
        return [best, *rivals]
    return None


def _split_name(name: str) -> str:
    """A file name without its years: 'DV360_Report_2024.csv' and 'DV360_Report_2025.csv' are one export."""
    return re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", "", name.lower())


def by_period_split(plans: list[FilePlan], words: PeriodWords, catalog: Catalog) -> list[FilePlan] | None:
    """Of one export split into files by year (the tied best plans: the same columns and request, names equal
    but for the year), the one file holding the asked period; None when the tie is anything else."""
    if len(plans) < 2:
        return None
    tied = [p for p in plans if p.links.score >= plans[0].links.score - MARGIN]
    if (len(tied) < 2 or len({_split_name(p.info.name) for p in tied}) != 1
            or len({tuple(p.info.df.columns) for p in tied}) != 1 or len({p.key() for p in tied}) != 1):
        return None
    periods = distinct_periods(resolve(words, catalog.data_end, _years_with(tied)))
    if not periods:
        return None
    holding = [p for p in tied if p.date_column is not None and any(
        ((p.info.dates[p.date_column] >= per.start) & (p.info.dates[p.date_column] < per.end)).any()
        for per in periods)]
    return holding if len(holding) == 1 else None


def _years_with(plans: list[FilePlan]) -> YearsWith:
    """A function: the years a month/quarter/half appears in the chosen files' dates."""
    def years(grain: Grain, index: int) -> set[int]:
        out: set[int] = set()
        for p in plans:
            if p.date_column is None:
                continue
            dates = p.info.dates[p.date_column].dropna()
            for y in dates.dt.year.unique():
                start, end, _ = span_of(grain, index, int(y))
                if ((dates >= start) & (dates < end)).any():
                    out.add(int(y))
        return out
    return years


def distinct_periods(periods: tuple[Period, ...] | None) -> tuple[Period, ...] | None:
    """The periods without repeats; None when two overlap ("2025 ... in September 2025": which one is meant?)."""
    if periods is None:
        return None
    unique = tuple(dict.fromkeys(periods))
    for i, a in enumerate(unique):
        if any(a.start < b.end and b.start < a.end for b in unique[i + 1:]):
            return None
    return unique


def _op(plans: list[FilePlan], cues: Cues, periods: tuple[Period, ...], words: PeriodWords,
        text: str) -> tuple[Op, str | None, GroupKind | None] | None:
    """The operation and grouping, or None when the question mixes groupings we do not compute."""
    lead = plans[0]
    multi = len(plans) > 1
    lower_better = bool(lead.measures and set(lead.measures[0].tokens) & LOWER_IS_BETTER)
    pick = extreme(cues, text, lower_better)
    grouped = [(lead.group.name, GroupKind.COLUMN)] if lead.group and not multi else []
    if words.grain and not (cues.average and not pick):
        grouped.append((words.grain.value, GroupKind.PERIOD))
    if multi and lead.distinct is None:
        grouped.append((FILE_GROUP, GroupKind.FILE))
    if len(grouped) > 1:
        return None
    if cues.average and words.grain and not grouped:
        return (Op.AVERAGE, words.grain.value, GroupKind.PERIOD) if len(periods) < 2 else None
    if grouped:
        name, kind = grouped[0]
        if len(periods) > 1:
            return None
        if kind is GroupKind.COLUMN and lead.per_group and not pick:
            return Op.AVERAGE, name, kind
        if cues.top_n:
            return Op.TOP_N, name, kind
        if pick:
            return (Op.MAX if pick == "max" else Op.MIN), name, kind
        if kind is GroupKind.FILE and not (cues.compare or cues.either):
            return Op.TOTAL, name, kind
        if kind is GroupKind.FILE:
            return Op.COMPARE, name, kind
        return (Op.BY_PERIOD if kind is GroupKind.PERIOD else Op.TOP_N), name, kind
    if cues.top_n:
        return None  # "top 3" of nothing grouped
    if len(periods) > 1 or multi and lead.distinct is None or any(len(v) > 1 for v in lead.filters.values()):
        if multi and len(periods) > 1:
            return None
        return Op.COMPARE, None, None
    if lead.distinct is not None:
        return Op.DISTINCT_COUNT, None, None
    if cues.average:
        return Op.AVERAGE, None, None
    if pick and lead.measures and not lead.rows:
        return (Op.MAX if pick == "max" else Op.MIN), None, None
    if pick or WHO.search(text) and not cues.how_many:  # "of the people who ..., how many" counts them
        return None  # "who had the most no-shows": a superlative over groups the question does not name
    return (Op.COUNT_ROWS if lead.rows and not lead.measures else Op.TOTAL), None, None


def _measures_of(plan: FilePlan, op: Op, grouped: bool, total: bool = False, average: bool = False
                 ) -> tuple[Measure, ...]:
    """Typed measures: a row count or distinct count first, then the columns (rates and prices averaged, and every
    column when the question asks for an average, except the per-period average, which averages period totals)."""
    out: list[Measure] = []
    if plan.distinct is not None:
        words = [w for w in words_of(plan.distinct.name) if w not in ("id", "name")] or ["value"]
        return (Measure(plan.distinct.name, Agg.DISTINCT, " ".join([*words[:-1], plural(words[-1])])),)
    if plan.rows:
        out.append(Measure(None, Agg.ROWS, plan.info.noun))
    for col in plan.measures:
        mean = (average and not (op is Op.AVERAGE and grouped)) or col.kind is ColumnKind.RATE or (
            col.kind is ColumnKind.PRICE and col.name not in plan.revenue and not total)
        row_extreme = op in (Op.MAX, Op.MIN) and not grouped
        agg = (Agg.MAX if op is Op.MAX else Agg.MIN) if row_extreme and col.kind in MEASURE_KINDS else (
            Agg.MEAN if mean else Agg.SUM)
        label = " ".join(words_of(col.name)).replace(" 000", " (000s)")
        out.append(Measure(col.name, agg, f"revenue ({label})" if col.name in plan.revenue else label, col.money))
    return tuple(out)


def coverage(tokens: list[Token], plans: list[FilePlan], extra: list[tuple[int, int]]) -> float:
    """Share of content words that the chosen file(s) or the cue words explain."""
    if not tokens:
        return 0.0
    ok = sum(1 for t in tokens if any(p.links.covers(t.start, t.end) for p in plans)
             or any(s <= t.start and t.end <= e for s, e in extra))
    return ok / len(tokens)


PER = re.compile(r"\bper\s+\w", re.I)


def _unread_ratio(text: str, tokens: list[Token], chosen: list[FilePlan], extra: list[tuple[int, int]]) -> bool:
    """'watch time per view': a ratio whose first part no chosen file reads, so the file cannot compute it."""
    for m in PER.finditer(text):
        before = [t for t in tokens if t.end <= m.start()]
        if before and not any(p.links.covers(before[-1].start, before[-1].end) for p in chosen) and all(
                not (a <= before[-1].start and before[-1].end <= b) for a, b in extra):
            return True
    return False


def parse(question: str, catalog: Catalog) -> TableRequest | None:
    """The TableRequest a question asks for, or None when it is not a table question or not clear enough."""
    text = contract(re.sub(r"\s+", " ", question.strip()), catalog.acronyms)  # "pence per litre" is the ppl column
    # "finance qoute leads" are its finance_quote leads: ask() mends against every word of the folder and of
    # analysts' questions, where "qoute" is also one edit from "route"; the exports' own words alone settle it
    text = mend(text, catalog.words)
    text = WHEN_PEAK.sub(lambda m: "which week" if MONTH_NAMED.search(text) else "which month", text)
    text = PEAK_VERB.sub(r"\1 had the highest \2", text)  # "peak" the verb is no TV daypart
    text = PRICE_PAID.sub(r"\1 \2", text)
    if DISTINCT.search(text):  # a count of distinct values never counts a blank: "ignoring leads with no campaign"
        text = IGNORING_BLANKS.sub("", text)
    if not text or BLOCK.search(text) or not catalog.tables:
        return None
    words = find_periods(text)
    cues = Cues.read(text)
    # "change from H1 to H2" compares two periods; "month by month from September to December" groups one range
    if words.ranges and CHANGE_FROM.search(text) and not words.grain:
        words, cues = replace(words, ranges=()), replace(cues, compare=True)
    if ON_PREVIOUS_RX.search(text) and len(words.mentions) == 2:  # "leads in 2025 YoY" is a change from 2024
        cues = replace(cues, compare=True)
    cues = replace(cues, quantity=cues.quantity or bool(words.mentions or words.grain))
    tokens = tokenize(text, words.spans)
    channels = channel_spans(text)
    links = sorted((link_file(t, text, tokens, channels, words.spans) for t in catalog.tables.values()),
                   key=lambda fl: -fl.score)
    # a cue word inside a value the data holds is part of a name ('Pro Max AWD' asks for no maximum)
    values = [(ln.start, ln.end) for fl in links for ln in fl.links if ln.kind is LinkKind.VALUE]
    if values:
        masked = "".join(" " if any(a <= i < b for a, b in values) else ch for i, ch in enumerate(text))
        cues = replace(Cues.read(masked), quantity=cues.quantity)
    # "TV spend in peak": a daypart no file holds as a value cannot be filtered, and all day is another answer
    if any(not any(a <= m.start() < b for a, b in values) for m in DAYPART.finditer(text)):
        return None
    plans = [p for fl in links if fl.score > 0 and (p := plan_file(fl, tokens, cues, text)) is not None]
    if FIRST_PERSON.search(text):
        plans = [p for p in plans if not others_figures(p, channels)]
    if any(p.measures for p in plans):  # 'completed configurator builds': the file with the column, not the value
        plans = [p for p in plans if not p.guessed_rows]
    chosen = choose(plans, channels, cues) or by_period_split(plans, words, catalog)
    if not chosen:
        return None
    extra = cues.cue_spans(text)
    strong = any(hits[1] for p in chosen for hits in column_hits(p.links, []).values())
    if not (cues.asks or words.mentions or strong) or coverage(tokens, chosen, extra) < MIN_COVERAGE:
        return None
    if any(UNSUPPORTED.fullmatch(t.text) and not any(p.links.covers(t.start, t.end) for p in chosen) for t in tokens):
        return None
    if _unread_ratio(text, tokens, chosen, extra):
        return None
    names = {p.info.name for p in chosen}
    if unexplained([p.links for p in chosen], [fl for fl in links if fl.info.name not in names], tokens, extra,
                   distinctive(list(catalog.tables.values()))):
        return None
    periods = distinct_periods(resolve(words, catalog.data_end, _years_with(chosen)))
    if periods is None or (periods or words.grain) and any(p.date_column is None for p in chosen):
        return None
    decided = _op(chosen, cues, periods, words, text)
    if decided is None:
        return None
    op, group_by, group_kind = decided
    lead = chosen[0]
    measures = _measures_of(lead, op, group_by is not None, cues.total, cues.average)
    counts_only = all(m.column is None for m in measures)
    if counts_only and (cues.how_much or op in (Op.MAX, Op.MIN, Op.AVERAGE) and group_by is None):
        return None  # "how much is a lead", "average order": an amount no column holds
    if RATE_ASKED.search(text) and all(m.agg in (Agg.SUM, Agg.ROWS) and not m.money and (
            m.column is None or lead.info.columns[m.column].kind is not ColumnKind.RATE) for m in measures):
        return None  # "what video completion rate did YouTube get?": a total of views is no rate
    assumptions = tuple(p.assumed for p in periods if p.assumed)
    lower_better = bool(lead.measures and set(lead.measures[0].tokens) & LOWER_IS_BETTER)
    bottom = op is Op.TOP_N and extreme(cues, text, lower_better) == "min"
    return TableRequest(op, measures, tuple(p.info.name for p in chosen), dict(lead.filters), periods,
                        {p.info.name: p.date_column for p in chosen if p.date_column}, group_by, group_kind,
                        cues.top_n if op is Op.TOP_N else None, assumptions, bottom)

