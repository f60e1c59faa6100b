"""Finding one raw export's date, spend and channel columns: pure functions of a DataFrame, each saying why."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

import pandas as pd

from core.catalog.categories import channel_of
from core.catalog.dates import parse_dates
from core.domain import channel_of_word

DATE_SAMPLE = 200  # values parsed per column while looking for the date column (the chosen one is parsed whole)
MIN_DATE_SHARE = 0.5  # a date column parses as dates for at least this share of its rows
SHARE_DECIMALS = 2  # shares this close count as equal, so the name decides (start_date over end_date)
MIN_MONEY_SHARE = 0.9  # a spend column reads as money for at least this share of its non-empty values
MIN_CHANNEL_SHARE = 0.8  # a channel column names a known channel in at least this share of its rows
MAX_CHANNEL_VALUES = 50  # more distinct values than this is an id or free text, not a channel column
MAX_NGRAM = 3  # longest run of words matched against channel synonyms ("out of home")

DATE_NAMES = ("week_start", "date", "week", "day", "week_commencing", "week_beginning", "period")
DATE_START_WORDS = frozenset({"start", "starts", "starting", "created", "insertion", "begin", "beginning", "commencing",
                              "from"})
DATE_WORDS = frozenset({"date", "week", "day", "period", "month", "time", "dt"})
DATE_END_WORDS = frozenset({"end", "ends", "ended", "ending", "to", "until", "updated", "modified", "closed"})
# best first; "spent" as in Meta's "Amount spent (GBP)" and LinkedIn's "Total Spent"
SPEND_PRIORITY = ("spend", "spent", "media_cost", "net_cost", "cost", "amount", "budget")
NOT_SPEND_WORDS = frozenset({"per", "pct", "percent", "share", "ratio", "rate", "index", "avg", "average",
                             "cpc", "cpm", "cpa", "cpv", "cpl", "ctr"})
CHANNEL_NAME_WORDS = frozenset({"channel", "platform", "media", "medium", "network", "publisher", "source",
                                "broadcaster", "vendor", "partner"})
MONEY_JUNK = re.compile(r"[£$€\s,]|gbp|usd|eur", re.I)  # currency marks and thousands separators


@dataclass(frozen=True)
class ColumnChoice:
    """A chosen column and why it was chosen."""

    column: str
    why: str


@dataclass(frozen=True)
class ChannelChoice:
    """A file's channel: fixed (`channel`), per row from `column` (values mapped to keys), or both (fallback)."""

    channel: str | None
    column: str | None
    values: dict[str, str] = field(default_factory=dict)
    why: str = ""


def words(name: str) -> list[str]:
    """Lower-case words of a column or file name: 'Media Cost (£)' → ['media', 'cost']."""
    return [w for w in re.split(r"[^a-z0-9]+", str(name).lower()) if w]


def is_text(values: pd.Series) -> bool:
    """True for label columns: neither numbers nor booleans."""
    return not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values))


def money_values(values: pd.Series) -> pd.Series:
    """Amounts as floats, NaN where a value is not a number; '£1,234.50' reads as 1234.5."""
    if pd.api.types.is_bool_dtype(values):
        return pd.Series(float("nan"), index=values.index)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    cleaned = values.astype(str).str.replace(MONEY_JUNK, "", regex=True).where(values.notna())
    return pd.to_numeric(cleaned, errors="coerce").astype(float)


def date_share(values: pd.Series, sample: int = DATE_SAMPLE) -> float:
    """Share of a column's rows that read as dates, judged on up to `sample` evenly spaced non-empty values."""
    present = values.dropna()
    if present.empty or not (is_text(values) or pd.api.types.is_datetime64_any_dtype(values)):
        return 0.0
    step = max(1, len(present) // sample)
    picked = present.iloc[::step].iloc[:sample]
    parsed = parse_dates(picked.reset_index(drop=True)).dates
    return float(parsed.notna().mean()) * len(present) / len(values)


def date_rank(name: str) -> int:
    """How much a name says 'the date a row belongs to' (lower is better): week_start, then created/start..."""
    w = set(words(name))
    if "_".join(words(name)) in DATE_NAMES:
        return 0
    if w & DATE_END_WORDS:
        return 3
    if w & DATE_START_WORDS:
        return 1
    return 2 if w & DATE_WORDS else 3


def find_date_column(df: pd.DataFrame) -> ColumnChoice | None:
    """The column that reads as dates for most rows (at least MIN_DATE_SHARE); near-ties go to the better name."""
    shares = {str(c): date_share(df[c]) for c in df.columns}
    found = [c for c, s in shares.items() if s >= MIN_DATE_SHARE]
    if not found:
        return None
    order = {c: i for i, c in enumerate(shares)}
    best = min(found, key=lambda c: (-round(shares[c], SHARE_DECIMALS), date_rank(c), order[c]))
    why = f"{shares[best]:.0%} of rows read as dates"
    others = [c for c in found if c != best]
    if others:
        why += f"; chosen over {', '.join(repr(c) for c in others)}"
    return ColumnChoice(best, why)


def spend_rank(name: str) -> int | None:
    """Position of a column name in SPEND_PRIORITY (exact names before names containing it), None if not spend."""
    w = words(name)
    if not w or set(w) & NOT_SPEND_WORDS:
        return None
    for i, key in enumerate(SPEND_PRIORITY):
        k = key.split("_")
        if w == k:
            return 2 * i
        if any(w[j:j + len(k)] == k for j in range(len(w) - len(k) + 1)):
            return 2 * i + 1
    return None


def money_problem(values: pd.Series) -> str | None:
    """Why a column cannot be spend (no numbers, not numbers, negative amounts), or None when it can."""
    amounts = money_values(values)
    present = values.notna().sum()
    if present == 0:
        return "it is empty"
    if amounts.notna().sum() < MIN_MONEY_SHARE * present:
        return "its values are not amounts"
    if (amounts < 0).any():
        return "it has negative amounts"
    return None


def find_spend_column(df: pd.DataFrame, exclude: tuple[str, ...] = ()) -> tuple[ColumnChoice | None, list[str]]:
    """The spend column by name priority among money-like non-negative columns, and notes on names passed over."""
    named = sorted(((r, i, str(c)) for i, c in enumerate(df.columns)
                    if str(c) not in exclude and (r := spend_rank(str(c))) is not None))
    notes, usable = [], []
    for _, _, col in named:
        problem = money_problem(df[col])
        if problem:
            notes.append(f"'{col}' is named like spend but {problem}")
        else:
            usable.append(col)
    if not usable:
        return None, notes
    best, rest = usable[0], usable[1:]
    if rest:
        why = (f"chosen over {', '.join(repr(c) for c in rest)} by name priority "
               f"({' > '.join(SPEND_PRIORITY)})")
    else:
        why = "the only money column named like spend"
    return ColumnChoice(best, why), notes


def channel_of_value(value: object) -> str | None:
    """The channel key a cell names: the whole value ('Channel 4'), runs of its words ('paid search'), a word."""
    text = str(value).strip().lower()
    if not text or text in ("nan", "none"):
        return None
    hit = channel_of_word(text)
    if hit:
        return hit
    w = words(text)
    for n in range(min(MAX_NGRAM, len(w)), 0, -1):
        for j in range(len(w) - n + 1):
            hit = channel_of_word(" ".join(w[j:j + n]))
            if hit:
                return hit
    return channel_of(PurePath(text.replace("/", "_")))


def channel_column_candidates(df: pd.DataFrame, exclude: tuple[str, ...]) -> list[tuple[str, dict[str, str], float]]:
    """(column, value → channel, share of rows mapped) of text columns that mostly name known channels, best first."""
    found = []
    for pos, col in enumerate(str(c) for c in df.columns):
        values = df[col]
        if col in exclude or not is_text(values) or values.notna().sum() == 0:
            continue
        labels = values.dropna().astype(str).str.strip()
        if labels.nunique() > MAX_CHANNEL_VALUES:
            continue
        mapping = {v: ch for v in labels.unique() if (ch := channel_of_value(v))}
        share = float(labels.isin(list(mapping)).sum()) / len(values)
        if share >= MIN_CHANNEL_SHARE:
            named = 0 if set(words(col)) & CHANNEL_NAME_WORDS else 1
            found.append(((named, -round(share, SHARE_DECIMALS), -len(set(mapping.values())), pos),
                          col, mapping, share))
    return [(col, mapping, share) for _, col, mapping, share in sorted(found, key=lambda f: f[0])]


def find_channel(df: pd.DataFrame, file_channel: str | None, exclude: tuple[str, ...] = ()) -> ChannelChoice | None:
    """A channel column when one splits the file (or names another channel than its name), else the file name."""
    candidates = channel_column_candidates(df, exclude)
    if candidates:
        col, mapping, share = candidates[0]
        if file_channel is None or set(mapping.values()) != {file_channel}:
            why = f"channel column '{col}' ({share:.0%} of rows name a channel)"
            if file_channel:
                why += f"; other rows go to '{file_channel}' from the file name"
            return ChannelChoice(file_channel, col, mapping, why)
        return ChannelChoice(file_channel, None, {}, f"file name (column '{col}' agrees)")
    if file_channel:
        return ChannelChoice(file_channel, None, {}, "file name")
    return None
