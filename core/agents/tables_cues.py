"""The words that say what to compute: how many / how much, average, compare, top N, most / least, by / per.

`Cues.read` only looks at words; which file, column or value they apply to is decided in tables_query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10}
_N = r"(\d{1,2}|" + "|".join(WORD_NUMBERS) + ")"

# Contract clauses and model questions are not table questions: document search and the MMM answer them.
BLOCK = re.compile(
    r"\broi\b|\broas\b|return on|marginal|contribut|incremental|optimi[sz]|realloc|what if|what happens|"
    r"\bif we\b|saturat|adstock|carry[- ]?over|half[- ]life|r[- ]?squared|r²|\bmmm\b|model fit|forecast|predict|"
    r"elasticit|uplift|diminishing|should we|recommend|\bagreement|contract value|contracted|\bclauses?\b|"
    r"\bnotice\b|(?<!in )\bterms\b|terminat|cancellation (?:notice|terms|period|fee|polic)|make[- ]?goods?|\brebates?\b|"
    r"commission|addendum|guarantee|penalt|\brenew|expir|\bwhy\b|\bwhen (?:does|do|did|was|were|is|will)\b|"
    r"\bworth\b|best[- ]performing|performing best|\beffective|\befficien|commitment|committed|rate card|"
    r"obligat|\bcaus|\bspikes?\b|\bexplain|\breasons?\b|\bdrivers\b|\bname of\b|\binclud|"
    r"\b(?:not|non|without|except|excluding|other than|besides|apart from|(?:with|had|having|got) no)\b|"  # negations
    r"\bno\s+\w+\s+at all\b|"  # we cannot filter by
    r"\bplann(?:ed|ing)\b|\bbudgeted\b|\bphas(?:ed|ing)\b|\ballocat\w*|\bappendix\b|"  # a plan is in the documents; the exports hold what ran
    r"\b(?:more|less|fewer|greater|higher|lower) than\b|"
    r"\b(?:over|under|above|below|at least|at most) (?!(?:19|20)\d\d\b)£?\d", re.I)  # "over 2025" is a period
# outcome words no column holds: answering them with a plain count would be wrong
UNSUPPORTED = re.compile(r"\b(?:lose|lost|losing|drop(?:ped)?|fail(?:ed)?|miss(?:ed)?|reject(?:ed)?|convert(?:ed)?|"
                         r"churn(?:ed)?|abandon(?:ed)?|unsold|return(?:ed)?|refund(?:ed)?|waste[ds]?)\b", re.I)
HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b|\bhow often\b", re.I)
HOW_MUCH = re.compile(r"\bhow much\b", re.I)
TOTAL = re.compile(r"\b(?:total|sum|overall|combined|altogether|in all|together)\b", re.I)
AVERAGE = re.compile(r"\b(?:average|avg|mean|typical)\b", re.I)
COMPARE = re.compile(r"\b(?:vs\.?|versus|compar\w*|against|relative to|difference)\b", re.I)
# "how did views change from H1 to H2": from X to Y after a word of change is two periods, not one range
CHANGE_FROM = re.compile(r"\b(?:chang\w*|grow\w*|grew|growth|ris(?:e|en|es|ing)|rose|f[ae]ll\w*|mov\w*|shift\w*|"
                         r"went|go(?:ne|es)?|jump\w*|slip\w*)\b[^?]*?\b(?:from|between)\b", re.I)
EITHER = re.compile(r"\bor\b", re.I)
_RANK = r"top|bottom|best|worst|biggest|largest|highest|lowest|smallest|leading"
TOP = re.compile(rf"\b(?:({_RANK})\s+{_N}|{_N}\s+({_RANK}|busiest|quietest|cheapest|strongest|weakest))\b", re.I)
BOTTOM = ("bottom", "worst", "lowest", "smallest", "quietest", "cheapest", "weakest")
MOST = re.compile(r"\b(?:most|highest|biggest|largest|best|top|max(?:imum)?|greatest|strongest|busiest|"
                  r"(?<!off-)(?<!off )(?<!in )(?<!at )(?<!during )(?<!into )"  # "spend in peak" is a daypart
                  r"peak(?:ed|ing|s)?(?!\s+(?:and|or|vs|versus|against)\s+off[- ]peak)|"
                  r"leading|dearest|priciest)\b|\bmost expensive\b", re.I)
LEAST = re.compile(r"\b(?:least|lowest|smallest|fewest|worst|cheapest|min(?:imum)?|weakest|quietest|lightest|"
                   r"bottom)\b", re.I)
BETTER_WORDS = re.compile(r"\b(?:best|worst|top|bottom|strongest|weakest)\b", re.I)
DISTINCT = re.compile(r"\b(?:distinct|different|unique|separate)\b", re.I)
GROUP_BEFORE = re.compile(r"\b(?:which|what|by|per|each|every|across|breakdown of|split by)\s+(?:the\s+|our\s+)?$",
                          re.I)
GROUP_WORDS = re.compile(r"\b(?:breakdown|split|broken down)\b", re.I)
# how a series moved: the breakdown answers it ("are lead volumes rising or falling through 2025?")
TREND = re.compile(r"\b(?:trend\w*|ris(?:e|es|en|ing)|rose|f[ae]ll(?:s|en|ing)?|grow(?:s|n|ing)?|grew|declin\w*|"
                   r"mov(?:e|ed|es|ing)|volumes?|up or down|trajector\w*)\b", re.I)
PERFORM = re.compile(r"\bperform\w*|\bresults?\b|\bkpis?\b|\bmetrics\b|\bhow did\b.*\bdo\b", re.I)
WHAT = re.compile(r"\b(?:what|which)\b", re.I)
QUANTITY = re.compile(r"\b(?:how many|number of|count|vs\.?|versus|compar\w*|total|sum|top|most|least|fewest|"
                      r"highest|lowest|by|per|each|every|breakdown|split|daily|weekly|monthly|quarterly|yearly|"
                      r"trend\w*|over time|percentage|proportion|share|percent)\b", re.I)
CROSS = re.compile(
    r"\b(?:(?:all|every|each|across|which|what|by|per)\s+(?:of\s+)?(?:the\s+|our\s+)?"
    r"(?:(digital|online|traditional|offline|media)\s+)?(?:channels?|media|platforms?)"
    r"|(digital|online|traditional|offline)\s+(?:channels|media|platforms)|(?:total|all|our)\s+(?:marketing|media)"
    r"|channels)\b",
    re.I)
# rewordings and refusals that tables_query applies before reading the question
# "when did Google conversions peak in 2025?" asks which month had the most (which week, within a month)
WHEN_PEAK = re.compile(r"\bwhen\b(?= (?:did|was|were|do|does)\b[^?]*\b(?:peak\w*|highest|lowest|most|least|fewest|"
                       r"busiest|quietest|top(?:ped)? out|bottom(?:ed)? out)\b)", re.I)
PEAK_VERB = re.compile(r"\b(which (?:month|week|day|quarter)) (?:did|do|does)\s+([^?]*?)\s+peak\b", re.I)
MONTH_NAMED = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|"
                         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.I)
IGNORING_BLANKS = re.compile(r",?\s*\b(?:ignoring|excluding|leaving out|not counting|skipping)\s+(?:the\s+|any\s+)?"
                             r"(?:\w+\s+){0,2}?(?:with(?:out)?\s+(?:no\s+|a\s+|an\s+|any\s+)?|that (?:have|had) no\s+|"
                             r"having no\s+)\w+(?=\s*[?.!]|\s*$)", re.I)
DAYPART = re.compile(r"\b(?:(?<=in )|(?<=at )|(?<=during )|(?<=outside )|(?<=into ))peak\b|\boff[- ]peak\b|"
                     r"\bprime[- ]?time\b|\bdaytime\b|\bday[- ]?parts?\b", re.I)
# "the price customers actually paid" is the price paid
PRICE_PAID = re.compile(r"\b(prices?)\s+(?:(?:that|which)\s+)?(?:[a-z]+\s+){1,2}?(?:actually\s+|really\s+)?(paid)\b", re.I)
RATE_ASKED = re.compile(r"\brates?\b", re.I)
WHO = re.compile(r"\bwho(?:m|se)?\b", re.I)  # a question asking for a person
FIRST_PERSON = re.compile(r"\b(?:we|our|us|ours|ourselves)\b", re.I)
LOWER_IS_BETTER = frozenset({"cpm", "cpc", "cpa", "cpl", "cost", "hour", "second", "bounce", "minute", "day"})


@dataclass(frozen=True)
class Cues:
    """What the question's wording asks for, independent of the data."""

    how_many: re.Match[str] | None
    how_much: bool
    total: bool
    average: bool
    compare: bool
    top_n: int | None
    most: bool
    least: bool
    perform: bool
    cross: re.Match[str] | None
    what: bool
    either: bool = False  # "TikTok or LinkedIn": side by side
    quantity: bool = False  # words asking for a count or comparison ("which creatives ..." alone lists, not counts)

    @classmethod
    def read(cls, text: str) -> Cues:
        top = TOP.search(text)
        n = None
        if top:  # "top 3", "the three biggest"
            raw = (top.group(2) or top.group(3)).lower()
            n = WORD_NUMBERS.get(raw) or int(raw)
        most, least = bool(MOST.search(text)), bool(LEAST.search(text))
        if top:  # "top 3 ... lowest cpm" ranks from the bottom
            bottom = (top.group(1) or top.group(4)).lower() in BOTTOM or (
                least and not MOST.search(text[:top.start()] + text[top.end():]))
            most, least = not bottom, bottom
        return cls(HOW_MANY.search(text), bool(HOW_MUCH.search(text)), bool(TOTAL.search(text)),
                   bool(AVERAGE.search(text)), bool(COMPARE.search(text)), n, most, least,
                   bool(PERFORM.search(text)), CROSS.search(text),
                   bool(WHAT.search(text)), bool(EITHER.search(text)),
                   bool(QUANTITY.search(text) or MOST.search(text) or LEAST.search(text) or AVERAGE.search(text)))

    @property
    def asks(self) -> bool:
        """True when the wording asks for a number at all (not just names things, as a creative search does)."""
        return any((self.how_many, self.how_much, self.total, self.average, self.compare, self.top_n, self.most,
                    self.least, self.perform, self.what))

    def cue_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of cue words (they count as explained)."""
        out = []
        for rx in (HOW_MANY, HOW_MUCH, TOTAL, AVERAGE, COMPARE, TOP, MOST, LEAST, DISTINCT, PERFORM, CROSS,
                   GROUP_WORDS, TREND):
            out += [(m.start(), m.end()) for m in rx.finditer(text)]
        return out


def extreme(cues: Cues, text: str, lower_is_better: bool) -> str | None:
    """'max' or 'min' for a superlative, flipping best/worst when a lower value is better (cpm, cost, hours)."""
    if not (cues.most or cues.least):
        return None
    wants_max = cues.most
    if lower_is_better and BETTER_WORDS.search(text) and not re.search(r"\bcheapest|most expensive\b", text, re.I):
        wants_max = not wants_max
    return "max" if wants_max else "min"
