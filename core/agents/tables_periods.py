"""Calendar periods in analysts' words: 2025, Q4 2025, H1, September 2025, 15 Sep 2025, Oct vs Nov 2025, last year,
the last 3 months, 2025 to date, "which month", "monthly".

`find_periods` only reads the words (no data needed); core.agents.tables_calendar dates them.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from core.agents.tables_types import Grain

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
            "front": 1, "back": 2}  # "the back half of 2025"
_YEAR = r"(?:19|20)\d\d"
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_ORD = "|".join(ORDINALS)
_OF_YEAR = rf"(?:,?\s*(?:of\s+)?({_YEAR}))?"
_OF_SHORT_YEAR = rf"(?:,?\s*(?:of\s+)?({_YEAR}|'?\d\d(?![\d,.%])))?"  # "Q4 25", "H2 '25": terse, but never a day
_DAY = r"([0-3]?\d)(?:st|nd|rd|th)?"
_MONTH_ABBR = "|".join(sorted({name[:3].lower() for name in calendar.month_abbr if name} | {"sept"}, key=len, reverse=True))
PATTERNS: tuple[tuple[Grain, re.Pattern[str]], ...] = (  # the day / month / quarter ... each pattern names
    # "nov 25", "sept '25", "dec-25": a chat box's month of 2025 (a day is written "25 nov" here, or in full)
    (Grain.MONTH, re.compile(rf"\b({_MONTH_ABBR})\.?(?:\s*-\s*|\s+'?|')(\d\d)(?![\d,.%:]|\s*(?:st|nd|rd|th)\b|,?\s*{_YEAR})\b",
                             re.I)),
    (Grain.DAY, re.compile(rf"(?<![\w-])({_YEAR})-(0[1-9]|1[0-2])-([0-3]\d)(?![\w-])")),
    (Grain.DAY, re.compile(rf"\b{_DAY}\s+(?:of\s+)?({_MONTH_NAMES})\.?{_OF_YEAR}\b", re.I)),
    (Grain.DAY, re.compile(rf"\b({_MONTH_NAMES})\.?\s+{_DAY}(?:,?\s*({_YEAR}))?\b", re.I)),
    (Grain.MONTH, re.compile(rf"(?<![\w-])({_YEAR})-(0[1-9]|1[0-2])(?![\w-])")),
    (Grain.QUARTER, re.compile(rf"\b(?:q([1-4])|({_ORD})\s+quarter){_OF_SHORT_YEAR}\b", re.I)),
    (Grain.QUARTER, re.compile(rf"\b({_YEAR})\s*q([1-4])\b", re.I)),
    (Grain.HALF, re.compile(rf"\b(?:h([12])|({_ORD})\s+half){_OF_SHORT_YEAR}\b", re.I)),
    (Grain.MONTH, re.compile(rf"\b({_MONTH_NAMES})\.?{_OF_YEAR}\b", re.I)),
    (Grain.YEAR, re.compile(rf"(?<![\w-])({_YEAR})(?![\w-])")),
)
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                "eleven": 11, "twelve": 12}
LAST_N = re.compile(rf"\b(?:last|past|previous|recent|trailing)\s+(\d{{1,3}}|{'|'.join(NUMBER_WORDS)})\s+"
                    r"(day|week|month|quarter|year)s?\b", re.I)
# time words we do not date: answering them over all dates would be wrong
UNSUPPORTED_TIME = re.compile(r"\b(?:yesterday|today|tonight|tomorrow|this week|last week|next (?:week|month|quarter|"
                              r"year)|(?:week|wk)\s*\d+|fy\s?'?\d{2,4}|financial year|fiscal|"
                              r"(?:hour|time) of (?:the )?day|(?:what|which) hours?|by hour|hourly)\b", re.I)
WEEK_FROM = re.compile(r"\bweek (?:commencing|starting|beginning)(?: on)?\s+$", re.I)
RELATIVE = re.compile(r"\b(?:(last|previous|this|current)\s+(?:full\s+|calendar\s+)?(year|quarter|month)"
                      r"|(ytd|year[- ]to[- ]date))\b", re.I)
# "December 2025 against the month before": a step back from the period named before it, not from today
PRIOR = re.compile(r"\b(?:the\s+|a\s+)?(month|quarter|year|week)\s+(?:before|prior|earlier)\b"
                   r"|\b(?:the\s+)?(?:previous|prior|preceding)\s+(month|quarter|year|week)\b", re.I)
MAY_CONTEXT = re.compile(r"\b(?:in|of|during|for|since|from|to|until|vs|versus|and|or|between|than)\s+$", re.I)
RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|through|thru|until|till)\s*$", re.I)
AND_JOIN = re.compile(r"^\s*and\s*$", re.I)
BETWEEN = re.compile(r"\b(?:between|from)\s+$", re.I)
SINCE = re.compile(r"\bsince\s+$", re.I)
GRAIN_WORDS = {"day": Grain.DAY, "daily": Grain.DAY, "week": Grain.WEEK, "weekly": Grain.WEEK,
               "month": Grain.MONTH, "monthly": Grain.MONTH, "quarter": Grain.QUARTER, "quarterly": Grain.QUARTER,
               "year": Grain.YEAR, "yearly": Grain.YEAR, "annual": Grain.YEAR, "annually": Grain.YEAR,
               "mom": Grain.MONTH, "qoq": Grain.QUARTER, "yoy": Grain.YEAR}
# "MoM", "YoY": period on period. Beside two named periods ("Q4 2025 vs Q4 2024 YoY") they compare those two,
# so they set no breakdown there.
ON_PREVIOUS = frozenset({"mom", "qoq", "yoy"})
GRAIN_RX = re.compile(
    r"\b(?:which|what|each|every|per|by|busiest|quietest|best|worst|peak|strongest|weakest|highest|lowest|top|"
    r"biggest|largest|smallest|heaviest|lightest)"
    r"\s+(day|week|month|quarter|year)s?\b"
    r"|\b(daily|weekly|monthly|quarterly|yearly|annual|annually|mom|qoq|yoy)\b"
    r"|\b(day|week|month|quarter|year)[- ](?:by|on|over)[- ](?:day|week|month|quarter|year)\b"
    r"|\bthe\s+(day|week|month|quarter|year)\s+(?:with|that|when|in which)\b"
    r"|\b(trend(?:s|ing)?|over time|going (?:up|down)|rising|falling|growing|declining)\b"
    # "the three biggest TV spend weeks": a ranking of periods named after what is ranked (only the noun is used)
    r"|\b(?:top|biggest|largest|highest|lowest|best|worst|busiest|quietest|strongest|weakest)\s+(?:[\w£-]+\s+){0,3}?"
    r"(day|week|month|quarter)s\b", re.I)
RANKED_PERIODS = 6  # the group of GRAIN_RX that holds the plural period noun after a ranking word


@dataclass(frozen=True)
class Mention:
    """A period named in the text; year None when the words leave it out ("August")."""

    start: int
    end: int
    grain: Grain
    index: int  # month 1-12, quarter 1-4, half 1-2; 0 for a year
    year: int | None
    relative: str = ""  # "last year", "this month", "ytd", "last 3 months", ...
    day: int = 0  # day of the month, for a day
    count: int = 0  # N of "the last N months"


@dataclass(frozen=True)
class PeriodWords:
    """Everything about time a question says: the periods, ranges between them, a breakdown grain."""

    mentions: tuple[Mention, ...]
    ranges: tuple[tuple[int, int], ...]  # mention index pairs forming "from X to Y"
    since: tuple[int, ...]  # mention indices after "since"
    grain: Grain | None
    grain_span: tuple[int, int] | None
    unsupported: bool = False  # "yesterday", "week 37", "FY25": time words this parser does not date

    @property
    def spans(self) -> list[tuple[int, int]]:
        """Character spans of the text used by periods (other readers skip them)."""
        out = [(m.start, m.end) for m in self.mentions]
        return out + ([self.grain_span] if self.grain_span else [])


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in spans)


def _day(m: re.Match[str]) -> Mention | None:
    """A day: 2025-09-15, 15 September 2025, September 15, 2025 (year may be left out)."""
    g = m.groups()
    if g[0].isdigit() and len(g[0]) == 4:
        return Mention(m.start(), m.end(), Grain.DAY, int(g[1]), int(g[0]), day=int(g[2]))
    day, name = (g[0], g[1]) if g[0].isdigit() else (g[1], g[0])
    return Mention(m.start(), m.end(), Grain.DAY, MONTHS[name.lower()], int(g[2]) if g[2] else None, day=int(day))


def _full_year(text: str) -> int:
    """2025 from '2025', '25' or "'25" (two digits are this century's)."""
    digits = text.lstrip("'")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _mention(grain: Grain, m: re.Match[str], text: str) -> Mention | None:
    """One regex match as a Mention (None for 'may' the verb)."""
    g = m.groups()
    if grain is Grain.DAY:
        return _day(m)
    if grain is Grain.YEAR:
        return Mention(m.start(), m.end(), grain, 0, int(g[0]))
    if grain is Grain.MONTH and len(g) == 2 and g[0] and g[0].isdigit():  # ISO 2025-09
        return Mention(m.start(), m.end(), grain, int(g[1]), int(g[0]))
    if grain is Grain.MONTH:
        name, year = g[0].lower(), g[1]
        if name == "may" and not year and not MAY_CONTEXT.search(text[:m.start()]):
            return None
        return Mention(m.start(), m.end(), grain, MONTHS[name], _full_year(year) if year else None)
    if len(g) == 2:  # 2025 Q4
        return Mention(m.start(), m.end(), grain, int(g[1]), int(g[0]))
    index = int(g[0]) if g[0] else ORDINALS[g[1].lower()]
    if grain is Grain.HALF and index > 2:
        return None
    return Mention(m.start(), m.end(), grain, index, _full_year(g[2]) if g[2] else None)


def _mentions(text: str) -> list[Mention]:
    """Relative periods first ("last year"), then explicit ones, never overlapping, left to right."""
    found: list[Mention] = []
    spans: list[tuple[int, int]] = []
    for lm in LAST_N.finditer(text):
        raw = lm.group(1).lower()
        n = NUMBER_WORDS.get(raw) or int(raw)
        found.append(Mention(lm.start(), lm.end(), Grain(lm.group(2).lower()), 0, None, f"last {n}", count=n))
        spans.append((lm.start(), lm.end()))
    for rm in RELATIVE.finditer(text):
        if not _free(spans, rm.start(), rm.end()):
            continue
        which = (rm.group(3) or f"{rm.group(1)} {rm.group(2)}").lower().replace("previous", "last")
        which = "ytd" if which.startswith(("ytd", "year")) else which.replace("current", "this")
        found.append(Mention(rm.start(), rm.end(), Grain.YEAR if which == "ytd" else Grain(which.split()[1]), 0,
                             None, which))
        spans.append((rm.start(), rm.end()))
    for grain, rx in PATTERNS:
        for m in rx.finditer(text):
            if _free(spans, m.start(), m.end()) and (men := _mention(grain, m, text)) is not None:
                week = WEEK_FROM.search(text[:m.start()]) if men.grain is Grain.DAY else None
                if week:  # "week commencing 1 Dec 2025" is that week, not its Monday
                    men = replace(men, start=week.start(), grain=Grain.WEEK)
                found.append(men)
                spans.append((men.start, m.end()))
    return _prior_steps(text, sorted(found, key=lambda x: x.start))


def _step_back(anchor: Mention, step: Grain, start: int, end: int) -> Mention | None:
    """The period one step before an anchor: the month before a month, the same period a year earlier."""
    if step is Grain.YEAR:  # 29 February has no day a year before
        leap_day = (anchor.index, anchor.day) == (2, 29)
        return None if anchor.year is None or leap_day else replace(anchor, start=start, end=end, year=anchor.year - 1)
    if step is not anchor.grain:
        return None
    if step is Grain.WEEK and anchor.year is not None:
        monday = date(anchor.year, anchor.index, anchor.day) - timedelta(days=7)
        return replace(anchor, start=start, end=end, year=monday.year, index=monday.month, day=monday.day)
    if step in (Grain.MONTH, Grain.QUARTER):
        last = 12 if step is Grain.MONTH else 4
        back_a_year = anchor.index == 1
        year = anchor.year - 1 if back_a_year and anchor.year is not None else anchor.year
        if back_a_year and year is None:
            return None
        return replace(anchor, start=start, end=end, index=last if back_a_year else anchor.index - 1, year=year)
    return None


def _prior_steps(text: str, found: list[Mention]) -> list[Mention]:
    """'The month before' / 'the previous quarter' after a named period is the one before it."""
    for pm in PRIOR.finditer(text):
        anchors = [m for m in found if not m.relative and m.end <= pm.start()]
        step = Grain((pm.group(1) or pm.group(2)).lower())
        shifted = _step_back(anchors[-1], step, pm.start(), pm.end()) if anchors else None
        if shifted is not None:
            found = sorted([m for m in found if m.end <= pm.start() or m.start >= pm.end()] + [shifted],
                           key=lambda x: x.start)
    return found


def _grain(text: str, spans: list[tuple[int, int]]) -> tuple[Grain | None, tuple[int, int] | None]:
    """The breakdown a question asks for ("which month", "quarterly", a trend: monthly) and its span."""
    found = [(word, gm) for gm in GRAIN_RX.finditer(text) if _free(spans, gm.start(), gm.end())
             and not ((word := next(w for w in gm.groups() if w)).lower() in ON_PREVIOUS and len(spans) >= 2)]
    # a named breakdown wins over a trend word wherever each stands: "trend quarter by quarter" is by quarter
    named = [(w, gm) for w, gm in found if w.lower() in GRAIN_WORDS]
    for word, gm in named or found:
        span = gm.span(RANKED_PERIODS) if gm.group(RANKED_PERIODS) else gm.span()
        return GRAIN_WORDS.get(word.lower(), Grain.MONTH), span
    return None, None


# period on period: "YoY", "year-on-year" beside one named period compare it with the one before
ON_PREVIOUS_RX = re.compile(r"\b(?:(yoy)|(mom)|(qoq)|(year)[- ](?:on|over)[- ]year|(month)[- ](?:on|over)[- ]month|"
                            r"(quarter)[- ](?:on|over)[- ]quarter)\b", re.I)


def previous(men: Mention, text: str) -> Mention | None:
    """The period a lone named period is compared with by "YoY" (a year before), "MoM" or "QoQ" (the one before)."""
    m = ON_PREVIOUS_RX.search(text)
    if m is None or men.year is None or men.relative or men.grain is Grain.DAY:
        return None
    if m.group(1) or m.group(4):  # year on year: the same period a year earlier
        return replace(men, end=men.start, year=men.year - 1)
    last = {Grain.MONTH: 12, Grain.QUARTER: 4}
    asked = Grain.MONTH if m.group(2) or m.group(5) else Grain.QUARTER
    if men.grain is not asked:
        return None
    index, year = (men.index - 1, men.year) if men.index > 1 else (last[asked], men.year - 1)
    return replace(men, end=men.start, index=index, year=year)


def find_periods(text: str) -> PeriodWords:
    """The periods, ranges, breakdown grain and "to date" of a question, left to right."""
    found = _mentions(text)
    before = previous(found[0], text) if len(found) == 1 else None
    if before is not None:  # "leads in 2025 year on year": 2024 against 2025, no breakdown
        return PeriodWords((before, found[0]), (), (), None, None, bool(UNSUPPORTED_TIME.search(text)))
    ranges: list[tuple[int, int]] = []
    for i in range(len(found) - 1):
        between = text[found[i].end:found[i + 1].start]
        if RANGE_JOIN.match(between) or (AND_JOIN.match(between) and BETWEEN.search(text[:found[i].start])):
            ranges.append((i, i + 1))
    since = [i for i, men in enumerate(found) if SINCE.search(text[:men.start])]
    grain, grain_span = _grain(text, [(m.start, m.end) for m in found])
    return PeriodWords(tuple(found), tuple(ranges), tuple(since), grain, grain_span,
                       bool(UNSUPPORTED_TIME.search(text)))
