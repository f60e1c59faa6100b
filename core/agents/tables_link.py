"""Linking a question's words to the data: which file, which columns, which categorical values it names.

Each file is scored by the question words it explains: its name or channel (STEM_WEIGHT, spread over the words of
a multi-word mention), a categorical value found in it (VALUE_WEIGHT a word: "AVATR 12", "cancelled", a campaign
id), a column name (COLUMN_WEIGHT a word when every meaning word of the name is there, PARTIAL_WEIGHT when only
some are). A word that some file reads as a value or a whole column name must be explained by the chosen file
too, or the question asks for something that file cannot filter by (see `unexplained`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import Enum

from lemminflect import getAllLemmas

from core.agents.entities import channel_mentions
from core.agents.tables_vocab import MEASURE_KINDS, ColumnKind, TableInfo, singular
from core.domain import channel_of_word

STEM_WEIGHT = 1.5
VALUE_WEIGHT = 1.0
PHRASE_VALUE_WEIGHT = 1.5  # a value of several words ("test drive request") is as telling as a file name
COLUMN_WEIGHT = 1.0
PARTIAL_WEIGHT = 0.5
DATE_WEIGHT = 0.5

STOPWORDS = frozenset("""
a an the of in on for to from by with at as and or vs versus than is are was were be been being do does did done
have has had we our us i you they their it its this that these those there what which who whom how much many
when where why me my get got give gave bring brought make made run ran go went come came show tell please
can could would should will about into over under per each every all any some total sum overall average avg mean
number count most least top bottom highest lowest biggest largest smallest best worst cheapest dearest expensive
more less fewer compare compared comparison against difference between versus month year quarter week day
ever date so far also just only up down see find give us did so far whole entire receive received deliver
delivered report reported generate generated see saw see happen happened one two three four five six seven eight
nine ten during within since until through among like such then now yet still already gets getting there
s t re ve ll d roughly approximately approx around circa ballpark across track tracked tracking trended stack stacked
peaked peaking people drew draw draws drawn attract attracted attracts
""".split())

# The ratio measures the aliases below spell out, with their parts (numerator words, denominator words, scale):
# a mean over rows weights a quiet day like a busy one, so the pooled ratio (spend ÷ clicks over the same rows) is
# what a platform's report calls the period's CPC.
RATE_PARTS = {"ctr": (("click",), ("impression",), 1.0), "cpc": (("spend", "cost"), ("click",), 1.0),
              "cpm": (("spend", "cost"), ("impression",), 1000.0), "cpa": (("spend", "cost"), ("conversion",), 1.0),
              "cpl": (("spend", "cost"), ("lead",), 1.0)}
RATES = frozenset(RATE_PARTS)
ALIASES: tuple[tuple[re.Pattern[str], frozenset[str], frozenset[str]], ...] = tuple(
    (re.compile(rf"\b(?:{rx})\b", re.I), frozenset(norms.split()), frozenset(names.split())) for rx, norms, names in (
        (r"click[- ]?through(?:[- ]rates?)?", "ctr", ""),
        (r"cost per (?:click|visit)", "cpc", ""),
        (r"cost per (?:thousand|mille|1,?000)(?: impressions)?", "cpm", ""),
        (r"cost per (?:acquisition|conversion)", "cpa", ""),
        (r"cost per lead", "cpl", ""),
        (r"money off|discount(?:s|ed)?|price cuts?", "discount", ""),
        (r"(?:transaction|achieved|realised|realized|selling)(?=\s+prices?\b)", "paid", ""),  # the price paid
        (r"titles?|mastheads?", "publication", ""),
        (r"punters?", "customer buyer", ""),
        (r"scores?", "rating score", ""),
        (r"slices?", "share", ""),
        (r"online", "web website online", ""),
        (r"finish(?:ed|es|ing)?", "completed complete finished", ""),
        (r"ads|adverts?|commercials?|spots?|slots?", "spot", ""),
        (r"spen[dt]\w*|costs?|costing|invest(?:ed|ing|ment)?|budgets?|put (?:in|into)|(?<!price )paid for|outlay"
         r"|splash(?:ed)?(?: out)?|money|damage|bill", "spend cost budget", ""),
        (r"revenue|turnover|takings|income|sales value|order values?|basket values?", "revenue", "price_paid revenue sales_value sale_value amount"),
        (r"visits?|traffic(?! sources?)", "session visit", ""),
        (r"attendance|visitors|footfall|crowds?|turnout|attended|(?:turned|came) along", "attendee", ""),
        (r"response times?", "response", ""),
        (r"sold|sell\w*|shift(?:ed)?|units?|cars?|vehicles?|orders?|purchases?|deliveries|buyers?|purchasers?", "sale",
         ""),
        (r"creatives?|images?|banners?|visuals?|artworks?", "asset", ""),
        (r"enquir(?:y|ies)|prospects?|hand[- ]?raisers?|sign[- ]?ups?", "lead", ""),
        (r"eyeballs", "impression", ""),
        (r"rival brands?|rivals?", "competitor", ""),
        (r"retailers?|showrooms?|dealerships?", "dealer", ""),
        (r"stations?|broadcasters?", "station broadcaster", ""),
    ))
class LinkKind(str, Enum):
    """What a question word was read as, in one file."""

    STEM = "stem"  # the file's name or channel
    VALUE = "value"  # a categorical value of one of its columns
    COLUMN = "column"  # (part of) a column name


@dataclass(frozen=True)
class Token:
    """A question word (or an alias phrase) with the singular forms it may stand for."""

    start: int
    end: int
    text: str
    norms: frozenset[str]
    names: frozenset[str] = frozenset()  # whole column names an alias stands for ("price_paid" for revenue)


@dataclass(frozen=True)
class Link:
    """One reading of a span of the question in one file."""

    kind: LinkKind
    start: int
    end: int
    weight: float  # per word covered
    column: str | None = None
    value: str | None = None  # the value of a VALUE link; the channel of a STEM link made by a channel mention
    full: bool = True  # every meaning word of the column name is in the question


@dataclass
class FileLinks:
    """A file's readings of the question and its score."""

    info: TableInfo
    links: list[Link] = field(default_factory=list)
    score: float = 0.0

    def covers(self, start: int, end: int) -> bool:
        return any(ln.start <= start and end <= ln.end for ln in self.links)


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= a or start >= b for a, b in spans)


def tokenize(text: str, skip: list[tuple[int, int]]) -> list[Token]:
    """Content words of the question outside `skip` spans; alias phrases become one token with their meanings."""
    tokens: list[Token] = []
    used = list(skip)
    for rx, norms, names in ALIASES:
        for m in rx.finditer(text):
            if _free(used, m.start(), m.end()):
                own = singular(m.group(0).lower()) if " " not in m.group(0) else ""
                tokens.append(Token(m.start(), m.end(), m.group(0).lower(), norms | ({own} - {""}), names))
                used.append((m.start(), m.end()))
    for m in re.finditer(r"[A-Za-z0-9]+", text):
        word = m.group(0).lower()
        if _free(used, m.start(), m.end()) and word not in STOPWORDS:
            tokens.append(Token(m.start(), m.end(), word, frozenset({singular(word)})))
    return sorted(tokens, key=lambda t: t.start)


def channel_spans(text: str) -> list[tuple[str, int, int]]:
    """(channel, start, end) of every channel mention, in the domain's words and analysts' slang ('telly')."""
    return [(m.value, m.start, m.end) for m in channel_mentions(text)]


def _words_in(tokens: list[Token], start: int, end: int) -> int:
    return max(1, sum(1 for t in tokens if start <= t.start and t.end <= end))


def column_links(info: TableInfo, tokens: list[Token]) -> list[Link]:
    """Columns whose meaning words (or alias names) the question uses; channel columns also answer to 'channel'."""
    out: list[Link] = []
    for col in info.columns.values():
        key = set(col.tokens) - ({"date"} if col.kind is ColumnKind.DATE else set())
        for want in ([key, {"channel"}] if col.channel_values else [key]):
            if not want:
                continue
            hits = [t for t in tokens if t.norms & want or col.name in t.names]
            if not hits:
                continue
            named = any(col.name in t.names for t in hits)
            full = (named or want <= set().union(*(t.norms & want for t in hits))) and not col.unique
            weight = DATE_WEIGHT if col.kind is ColumnKind.DATE else COLUMN_WEIGHT if full else PARTIAL_WEIGHT
            out += [Link(LinkKind.COLUMN, t.start, t.end, weight, col.name, full=full) for t in hits]
    return out


def channel_value_links(info: TableInfo, tokens: list[Token], channels: list[tuple[str, int, int]]) -> list[Link]:
    """A channel named in any of its words ('Facebook', 'paid search') as the value of a column of channels
    ('meta' and 'google' in leads.csv's source)."""
    out = []
    for col in info.columns.values():
        if not col.channel_values:
            continue
        by_channel = {channel_of_word(v.lower()): v for v in col.values}
        for ch, a, b in channels:
            if ch in by_channel:
                weight = PHRASE_VALUE_WEIGHT if _words_in(tokens, a, b) > 1 else VALUE_WEIGHT
                out.append(Link(LinkKind.VALUE, a, b, weight, col.name, by_channel[ch]))
    return out


def link_file(info: TableInfo, text: str, tokens: list[Token], channels: list[tuple[str, int, int]],
              skip: list[tuple[int, int]]) -> FileLinks:
    """Every reading of the question in one file, and the file's score (a word counts once, at its best)."""
    fl = FileLinks(info)
    measure_words = {w for c in info.of_kind(*MEASURE_KINDS) for w in c.tokens}
    stem = (info.stem_tokens - measure_words) | info.row_nouns
    fl.links += [Link(LinkKind.STEM, t.start, t.end, STEM_WEIGHT) for t in tokens if t.norms & stem]
    fl.links += [Link(LinkKind.STEM, a, b, STEM_WEIGHT / _words_in(tokens, a, b), value=ch)
                 for ch, a, b in channels if ch == info.channel]
    for vp in info.values:
        for m in vp.pattern.finditer(text):
            if _free(skip, m.start(), m.end()):
                weight = PHRASE_VALUE_WEIGHT if _words_in(tokens, m.start(), m.end()) > 1 else VALUE_WEIGHT
                fl.links.append(Link(LinkKind.VALUE, m.start(), m.end(), weight, vp.column, vp.value))
    fl.links += channel_value_links(info, tokens, channels)
    fl.links += column_links(info, tokens)
    fl.score = sum(max((ln.weight for ln in fl.links if ln.start <= t.start and t.end <= ln.end), default=0.0)
                   for t in tokens)
    return fl


def distinctive(tables: list[TableInfo]) -> frozenset[str]:
    """Name words only one file has ('creative'/'asset', 'lead'), unlike 'ads' or 'performance'."""
    counts = Counter(w for t in tables for w in t.stem_tokens | t.row_nouns)
    return frozenset(w for w, n in counts.items() if n == 1)


def _telling(ln: Link, tokens: list[Token], names: frozenset[str], stem: frozenset[str] = frozenset()) -> bool:
    """A link that pins the question to its file: a value, a whole column name, a channel, a distinctive name.

    One word of a file's two-word name that English also uses as a verb, without the other word, is no name:
    "did paid search drive visits" is not about test_drives.csv.
    """
    inside = [t for t in tokens if ln.start <= t.start and t.end <= ln.end]
    said = {n for t in tokens for n in t.norms}

    def lone_verb(t: Token) -> bool:
        return (len(stem) > 1 and bool(t.norms & stem) and not (stem - t.norms) <= said
                and "VERB" in getAllLemmas(t.text))
    if ln.kind is LinkKind.COLUMN:
        return ln.full and not (inside and all(lone_verb(t) for t in inside))
    if ln.kind is LinkKind.STEM:
        return ln.value is not None or any(t.norms & names and not lone_verb(t) for t in inside)
    return True


def unexplained(chosen: list[FileLinks], others: list[FileLinks], tokens: list[Token],
                extra: list[tuple[int, int]], names: frozenset[str] = frozenset()) -> bool:
    """True when some file reads a question word as a value, a whole column name, its channel or its distinctive
    name, and no chosen file explains it ("Meta spend in London": meta_ads.csv has no region, leads.csv does;
    "the price in the creatives": the asset manifest is named, the configurator's prices do not answer it)."""
    for fl in others:
        for ln in fl.links:
            if not _telling(ln, tokens, names, fl.info.stem_tokens):
                continue
            inside = [t for t in tokens if ln.start <= t.start and t.end <= ln.end] or [
                Token(ln.start, ln.end, "", frozenset())]
            for t in inside:
                if not any(c.covers(t.start, t.end) for c in chosen) and _free(extra, t.start, t.end):
                    return True
    return False
