"""The vocabulary of a folder of CSV exports, read from the data: date, measure and categorical columns, their values.

Nothing here knows the generated world: a column is a date because its values parse as dates
(core.catalog.dates.parse_dates), money because its name says spend/cost/price/revenue, a rate because its name
says ctr/rate/pct/avg/..., categorical because it is text with few distinct values; a file's channel and
category come from core.catalog.categories by its name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from pathlib import PurePath

import pandas as pd
from lemminflect import getAllLemmas

from core.agents.acronyms import acronyms_of
from core.agents.entities import channel_pattern
from core.catalog.categories import Category, category_of, channel_of
from core.catalog.dates import TEXT_LABEL, parse_dates
from core.domain import channel_of_word

MAX_CATEGORY_VALUES = 200  # text columns with more distinct values are free text or ids, not categories
DATE_SAMPLE = 50  # values tried before parsing a whole column as dates
MIN_DATE_SHARE = 0.9  # share of sampled values that must parse for a column to count as dates
MAX_VALUE_CHARS = 60  # longer values are descriptions, never named in a question
MIN_CHANNEL_VALUES = 3  # a column naming at least this many channels is "the channel" of its rows
MIN_INFLECTED = 4  # words this short are never read with -ed/-ing forms
MAX_PATTERNS = 8192  # compiled value patterns kept (values repeat across files and reloads)
SHORT_VALUE = 2  # upper-case values this short ("DE", "GB") only match upper-case in the question

GENERIC_TOKENS = frozenset({"id", "000", "pct", "name", "total", "estimated", "num", "no", "count", "of", "amount",
                            "gbp", "usd", "eur", "in", "the", "per"})
COLUMN_SYNONYMS = {"spent": "spend", "spending": "spend", "impr": "impression", "imp": "impression"}
MONEY_TOKENS = frozenset({"spend", "spent", "cost", "price", "revenue", "paid", "discount", "budget", "amount", "cpc",
                          "cpm", "cpa", "cpl", "fee", "value"})
RATE_TOKENS = frozenset({"ctr", "cpc", "cpm", "cpa", "cpl", "rate", "pct", "percent", "share", "ratio", "avg",
                         "average", "mean", "median", "index", "rating", "score", "hour", "second", "minute",
                         "confidence", "inflation", "ppl"})
NON_MONEY_TOKENS = frozenset({"ppl", "pence", "pct", "percent", "share"})  # a unit that is not pounds
UNIT_PRICE_TOKENS = frozenset({"price"})  # a price is per unit: averaged unless revenue is asked for
SUM_TOKENS = frozenset({"paid", "revenue"})  # ...but what was paid adds up
PERIOD_TOKENS = frozenset({"year", "month", "week", "day", "quarter"})
DATE_NAME_TOKENS = frozenset({"date", "day", "week", "month", "start", "end", "time", "created", "period"})
COMMON_WORDS = frozenset({"new", "other", "all", "none", "unknown", "total", "yes", "no", "true", "false", "na"})
LIST_WORDS = frozenset({"manifest", "list", "register", "log", "table", "export", "data"})  # 'asset_manifest' rows are assets
IRREGULAR = {"people": "person", "analytics": "analytics", "series": "series", "news": "news"}


def plural(word: str) -> str:
    """A crude English plural: region → regions, city → cities, campaign id → campaign ids."""
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def singular(word: str) -> str:
    """A crude English singular of a lower-case word: leads → lead, cities → city, TVRs → tvr; 'ss'/'us' kept."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words_of(name: str) -> list[str]:
    """Lower-case words of a column or file name: 'videoViews_000' → ['video', 'views', '000']."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def name_tokens(name: str) -> tuple[str, ...]:
    """The singular words of a name that carry its meaning (id, pct, total, GBP ... dropped; 'spent' read as
    'spend'); all its words when nothing else is left ('Amount')."""
    words = [singular(w) for w in words_of(name)]
    kept = tuple(COLUMN_SYNONYMS.get(w, w) for w in words if w not in GENERIC_TOKENS)
    return kept or tuple(words)


class ColumnKind(str, Enum):
    """The role a column can play in a computed answer."""

    DATE = "date"
    MONEY = "money"  # summed, printed in £
    COUNT = "count"  # summed
    RATE = "rate"  # averaged (ctr, pct, hours, an index)
    PRICE = "price"  # money per unit: averaged
    CATEGORY = "category"  # filter and group by its values
    KEY = "key"  # unique per row: what a row is
    OTHER = "other"


MEASURE_KINDS = frozenset({ColumnKind.MONEY, ColumnKind.COUNT, ColumnKind.RATE, ColumnKind.PRICE})
SUMMABLE_KINDS = frozenset({ColumnKind.MONEY, ColumnKind.COUNT})


@dataclass(frozen=True)
class Column:
    """One profiled column: kind, meaning words, distinct values (categorical text), channel column or not."""

    name: str
    kind: ColumnKind
    tokens: tuple[str, ...]
    values: tuple[str, ...] = ()
    channel_values: bool = False  # its values name media channels (meta, google, tv, ...)
    unique: bool = False  # text, present and different in every row: rows are things (leads, sales, files)

    @property
    def money(self) -> bool:
        words = set(words_of(self.name))
        if words & NON_MONEY_TOKENS:
            return False
        return self.kind in (ColumnKind.MONEY, ColumnKind.PRICE) or bool(MONEY_TOKENS & words)


@dataclass(frozen=True)
class ValuePattern:
    """How a categorical value is recognised in a question."""

    column: str
    value: str
    pattern: re.Pattern[str]


@dataclass
class TableInfo:
    """One CSV, profiled: its columns by role, parsed dates, channel, category and what one row is."""

    name: str
    df: pd.DataFrame
    channel: str | None
    category: Category
    stem_tokens: frozenset[str]
    columns: dict[str, Column]
    dates: dict[str, pd.Series]
    primary_date: str | None
    row_nouns: frozenset[str] = frozenset()  # words naming one row ('lead'), when rows are things with an id
    values: list[ValuePattern] = field(default_factory=list)

    def of_kind(self, *kinds: ColumnKind) -> list[Column]:
        return [c for c in self.columns.values() if c.kind in kinds]

    @property
    def noun(self) -> str:
        """How rows are named in answers: 'test drives', 'assets' (asset_manifest.csv), or 'rows'."""
        words = words_of(PurePath(self.name).stem)
        if not self.row_nouns or not words:
            return "rows"
        if not self.row_nouns & set(name_tokens(PurePath(self.name).stem)):  # named by its date: 'insertions'
            return " ".join(plural(w) for w in sorted(self.row_nouns))
        if len(words) > 1 and words[-1] in LIST_WORDS:
            words = words[:-1]
            words[-1] = plural(words[-1])
        return " ".join(words)


def numeric_kind(name: str) -> ColumnKind:
    """Money, count or rate, from the column's name words."""
    raw = set(words_of(name))
    toks = {singular(w) for w in raw}
    if toks & PERIOD_TOKENS and not toks & (MONEY_TOKENS | RATE_TOKENS) or "id" in raw:
        return ColumnKind.OTHER  # a year or week number, a numeric id
    if toks & NON_MONEY_TOKENS:
        return ColumnKind.RATE
    if toks & UNIT_PRICE_TOKENS and not toks & SUM_TOKENS:
        return ColumnKind.PRICE
    if toks & RATE_TOKENS:
        return ColumnKind.RATE
    if toks & MONEY_TOKENS:
        return ColumnKind.MONEY
    return ColumnKind.COUNT


def parsed_dates(name: str, s: pd.Series) -> pd.Series | None:
    """The column as dates when (a sample of) its values parse as dates; None otherwise."""
    present = s.dropna()
    if present.empty:
        return None
    sample = parse_dates(present.head(DATE_SAMPLE))
    if sample.dates.notna().mean() < MIN_DATE_SHARE:
        return None
    if sample.format == TEXT_LABEL and not set(words_of(name)) & DATE_NAME_TOKENS:
        return None  # pandas' free-text guesses need the name to say "date"
    distinct = pd.Series(present.unique())  # exports repeat dates on every row: parse each text once
    parsed = dict(zip(distinct, parse_dates(distinct).dates))
    return pd.to_datetime(s.map(parsed))


@lru_cache(maxsize=MAX_PATTERNS)
def value_pattern(value: str) -> re.Pattern[str] | None:
    """A whole-word pattern for a value: its words in order with any of space _ - / . between, plurals and simple
    inflections allowed ('no-shows' for no_show, 'cancel' for cancelled); short upper-case values exact ('DE')."""
    exact = len(value) <= SHORT_VALUE and value.isupper()
    parts = [p for p in re.split(r"[^0-9A-Za-z]+", value if exact else value.lower()) if p]
    if not parts or len(value) > MAX_VALUE_CHARS or all(p.isdigit() for p in parts) or value.lower() in COMMON_WORDS:
        return None
    words = [re.escape(p) for p in parts[:-1]] + [parts[-1] if exact else word_forms(parts[-1])]
    body = r"[\s_\-/.']*".join(words)
    return re.compile(rf"(?<![0-9A-Za-z]){body}(?![0-9A-Za-z])", 0 if exact else re.I)


def word_forms(word: str) -> str:
    """A pattern for a word and its simple inflections: 'completed' → complete(s), completing; 'cancelled' →
    cancel(s), canceled, cancelling, cancellations; 'show' → shows."""
    if len(word) > MIN_INFLECTED and word.endswith("ed") and not word[-3].isdigit():
        base = word[:-2]
        if len(base) > 1 and base[-1] == base[-2]:  # cancelled → cancel, cancell-ed
            base = re.escape(base[:-1]) + re.escape(base[-1]) + "?"
        else:
            base = re.escape(base)
        return base + r"(?:ed|e|es|ing|s|d|ations?)?"
    return re.escape(word) + r"(?:e?s)?"


def short_aliases(values: list[str]) -> dict[str, str]:
    """A value's last word when it mixes letters and digits and no other value ends in it: 'S07' → 'DEEPAL S07'."""
    last: dict[str, list[str]] = {}
    for v in values:
        parts = v.split()
        if len(parts) > 1 and re.search(r"[A-Za-z]", parts[-1]) and re.search(r"\d", parts[-1]):
            last.setdefault(parts[-1], []).append(v)
    return {word: vs[0] for word, vs in last.items() if len(vs) == 1}


def profile_column(name: str, s: pd.Series) -> tuple[Column, pd.Series | None]:
    """The column's role (and its parsed dates when it is a date column)."""
    tokens = name_tokens(name)
    if pd.api.types.is_bool_dtype(s):  # a flag ('launch_dealer'): its two values filter rows, as 'Y'/'N' do
        return Column(name, ColumnKind.CATEGORY, tokens, tuple(sorted(str(v) for v in s.dropna().unique()))), None
    if pd.api.types.is_numeric_dtype(s):
        return Column(name, numeric_kind(name), tokens), None
    dates = parsed_dates(name, s)
    if dates is not None:
        return Column(name, ColumnKind.DATE, tokens), dates
    present = s.dropna().astype(str)
    distinct = present.unique()
    unique_key = len(present) == len(s) and len(distinct) == len(s) and len(s) > 1
    if len(distinct) > MAX_CATEGORY_VALUES:
        return Column(name, ColumnKind.KEY if unique_key else ColumnKind.OTHER, tokens, unique=unique_key), None
    values = tuple(sorted(str(v) for v in distinct))
    channels = {channel_of_word(v.lower()) for v in values} - {None}
    kind = ColumnKind.KEY if unique_key and "id" in words_of(name) else ColumnKind.CATEGORY
    return Column(name, kind, tokens, values, len(channels) >= MIN_CHANNEL_VALUES, unique_key), None


DATE_WORDS = frozenset("date week day month year quarter start end commencing beginning time".split())


def event_nouns(date_column: str | None) -> frozenset[str]:
    """What a row is when nothing identifies it, as its date says ('insertion_date': an insertion), or nothing."""
    if date_column is None:
        return frozenset()
    return frozenset(w for w in name_tokens(date_column) if w not in DATE_WORDS and set(getAllLemmas(w)) == {"NOUN"})


def primary_date(stem_tokens: frozenset[str], dates: dict[str, pd.Series]) -> str | None:
    """The date a row is about: the date column named like the file ('drive_date' in test_drives), else the first."""
    for name in dates:
        if set(name_tokens(name)) - {"date"} & stem_tokens:
            return name
    return next(iter(dates), None)


def profile_table(name: str, df: pd.DataFrame) -> TableInfo:
    """Profile one CSV (name is its file name, e.g. 'meta_ads.csv')."""
    stem = PurePath(name).stem
    stem_tokens = frozenset(name_tokens(stem))
    columns: dict[str, Column] = {}
    dates: dict[str, pd.Series] = {}
    for col in df.columns:
        column, parsed = profile_column(str(col), df[col])
        columns[str(col)] = column
        if parsed is not None:
            dates[str(col)] = parsed
    keys = [c for c in columns.values() if c.kind is ColumnKind.KEY]
    has_key = any(c.unique for c in columns.values())
    first_date = primary_date(stem_tokens, dates)
    row_nouns = (stem_tokens | frozenset(keys[0].tokens if keys else ())) if has_key else event_nouns(first_date)
    info = TableInfo(name, df, channel_of(name), category_of(name), stem_tokens, columns, dates, first_date,
                     row_nouns)
    info.values = value_patterns(info)
    return info


# how English names the people or things of a place: "Scottish enquiries" are the leads whose region is Scotland;
# a country's code answers to its name ("the UK market" is a market column's GB)
DEMONYMS = {"scotland": r"scottish|scots", "wales": r"welsh", "england": r"english", "ireland": r"irish",
            "northern ireland": r"northern irish", "gb": r"british|uk|united kingdom|(?:great )?britain",
            "uk": r"british|gb|united kingdom|(?:great )?britain", "great britain": r"british|uk|united kingdom",
            "france": r"french", "germany": r"german", "spain": r"spanish", "italy": r"italian",
            "netherlands": r"dutch", "london": r"london's|londoners?",
            # European markets by their ISO codes, as web analytics exports write them
            "de": r"germany|german", "fr": r"france|french", "es": r"spain|spanish", "it": r"italy|italian",
            "nl": r"netherlands|holland|dutch", "ie": r"ireland|irish|eire", "be": r"belgium|belgian",
            "ch": r"switzerland|swiss", "at": r"austria|austrian", "se": r"sweden|swedish", "no": r"norway|norwegian",
            "dk": r"denmark|danish", "pl": r"poland|polish", "pt": r"portugal|portuguese"}


# everyday words for kinds of thing exports name in their own terms, keyed by the value (or its last words):
# "phones" are the mobile rows, "failed to turn up" the no_show ones, "shopping centres" a "DOOH mall"
VALUE_WORDS = {"mobile": r"phones?|smartphones?|mobiles?", "desktop": r"laptops?|computers?|pcs?|desktops?",
               "no show": r"failed to (?:turn|show) up|did(?:n't| not) (?:turn|show) up|never (?:turned|showed) up",
               "mall": r"shopping[- ]cent(?:re|er)s?|malls?", "bus shelter": r"bus[- ]stops?|bus shelters?",
               "bvod": r"catch[- ]up(?: tv)?|on[- ]demand|streaming", "linear": r"linear|broadcast tv|traditional tv",
               "finance quote": r"monthly[- ]payment quotes?|finance quotes?|pcp quotes?",
               "test drive request": r"(?:ask|asks|asking|asked|want|wants|wanting|wanted) to (?:take|try) (?:a|the|one) "
                                     r"(?:car )?(?:out )?for a (?:spin|drive)|test[- ]drive requests?",
               "completed": r"went ahead|took place|(?:actually |really )?happened|were completed|completed",
               "sold": r"went on to (?:buy|purchase)(?: (?:a|one|the) (?:car|vehicle))?|ended up buying",
               "brochure request": r"(?:want|wants|wanting|wanted|ask(?:ing|ed)? for) (?:a )?brochures? (?:sent|posted)"
                                   r"(?: out)?|brochure requests?"}


_EVERYDAY = {key: re.compile(rf"\b(?:{rx})\b", re.I) for key, rx in VALUE_WORDS.items()}


def everyday_matches(text: str) -> list[tuple[str, re.Match[str]]]:
    """Each everyday phrase of a text with the value word the files use for it: ('mall', "shopping centre")."""
    return [(key, m) for key, rx in _EVERYDAY.items() for m in rx.finditer(text)]


def _everyday_words(value: str) -> str | None:
    """The VALUE_WORDS pattern for a value ('DOOH mall' → the words for malls), if any."""
    name = re.sub(r"[\s_-]+", " ", value.lower()).strip()
    return next((rx for key, rx in VALUE_WORDS.items() if name == key or name.endswith(f" {key}")), None)


def value_patterns(info: TableInfo) -> list[ValuePattern]:
    """Patterns for every categorical value of a table (short aliases such as 'S07', and 'Scottish' for Scotland)."""
    out: list[ValuePattern] = []
    for col in info.columns.values():
        if col.kind not in (ColumnKind.CATEGORY, ColumnKind.KEY) or not col.values:
            continue
        for v in col.values:
            rx = value_pattern(v)
            if rx is not None:
                out.append(ValuePattern(col.name, v, rx))
        for word, v in short_aliases(list(col.values)).items():
            rx = value_pattern(word)
            if rx is not None:
                out.append(ValuePattern(col.name, v, rx))
        out += [ValuePattern(col.name, v, re.compile(rf"\b(?:{DEMONYMS[v.lower()]})\b", re.I))
                for v in col.values if v.lower() in DEMONYMS]
        out += [ValuePattern(col.name, v, re.compile(rf"\b(?:{words})\b", re.I))
                for v in col.values if (words := _everyday_words(v)) is not None]
        # a value that is a channel's own name answers to its other names: "telly" for a competitor's "tv" (not
        # for "ITV", a vendor within TV)
        out += [ValuePattern(col.name, v, re.compile(rf"(?<![\w-])(?:{channel_pattern(key)})(?![\w-])", re.I))
                for v in col.values if (key := channel_of_word(v.lower())) is not None and v.lower() == key]
    return out


@dataclass
class Catalog:
    """Every profiled table of a folder, and the last date in the data (what "last year" is relative to)."""

    tables: dict[str, TableInfo]
    data_end: pd.Timestamp | None
    acronyms: frozenset[str] = frozenset()  # of the column names: 'ppl' of petrol_price_ppl
    words: frozenset[str] = frozenset()  # of the column names and categorical values: what a slip is mended to

    @classmethod
    def build(cls, frames: dict[str, pd.DataFrame]) -> Catalog:
        tables = {name: profile_table(name, df) for name, df in frames.items() if not df.empty}
        ends = [t.dates[t.primary_date].max() for t in tables.values() if t.primary_date]
        ends = [e for e in ends if pd.notna(e)]
        headers = {w for t in tables.values() for col in t.columns for w in words_of(col)}
        values = {w for t in tables.values() for col in t.columns.values() for v in col.values for w in words_of(v)}
        return cls(tables, max(ends) if ends else None, acronyms_of(headers), frozenset(headers | values))

    def segments_named(self, text: str) -> list[str]:
        """The exports' names for parts of a channel's spend that a text names ('Scotland', 'AVATR 12', 'BVOD').

        A segment is a value of a column holding several, written as a name in the data and in the text (so a
        trim called 'Pure' is not read from "a pure brand play"); channels are not segments.
        """
        found: dict[str, tuple[int, int]] = {}
        for info in self.tables.values():
            for vp in info.values:
                col = info.columns.get(vp.column)
                if (col is None or len(col.values) < 2 or col.channel_values or not vp.value[:1].isupper()
                        or any(channel_of_word(w) for w in words_of(vp.value))):
                    continue
                m = vp.pattern.search(text)
                if m and (m.group(0)[:1].isupper() or any(ch.isdigit() for ch in vp.value)):
                    found.setdefault(vp.value, m.span())
        # 'AVATR' (a brand column) inside 'AVATR 12' (a model column) is the same mention
        return [v for v, (a, b) in found.items()
                if not any(c <= a and b <= d and (d - c) > (b - a) for c, d in found.values())]
