"""Generic checks of any CSV table, read from the data itself (column names and values, never our file names):
each gives pass, a warning or a failure with a reason, and none raises.

A CSV line number is the row's position + 2 (line 1 is the header), so a message points at the line an analyst
sees in a text editor or spreadsheet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import numpy as np
import pandas as pd

from core.catalog.dates import ParsedDates, parse_dates

ABSURD_MAGNITUDE = 1e15  # no spend, count or price in this domain comes near a quadrillion
NUMERIC_SHARE = 0.5  # a text column counts as numeric when at least this share of its values parse as numbers
DATE_SHARE = 0.5  # a text column counts as dates when at least this share of its sampled values parse as dates
DATE_SAMPLE = 200  # values sampled per column while deciding whether it holds dates
MIN_SERIES_DATES = 4  # fewer distinct dates than this is no series to look for gaps in
WEEKLY_SHARE = 0.5  # a series is weekly when at least this share of the steps between its dates is one week
WEEK = pd.Timedelta(days=7)
LISTED = 6  # weeks, values or lines named in one message before "…"
REASON_CHARS = 200  # a one-line reason is cut here
HEADER_LINES = 1
NUMBER_MARKS = re.compile(r"[£$€\s,]|gbp|usd|eur", re.I)  # currency marks and thousands separators
DATE_NAMES = frozenset({"week_start", "week_commencing", "week_beginning", "week_ending", "week_of"})
DATE_WORDS = frozenset({"date", "dt"})
ID_WORDS = frozenset({"id", "ids", "code", "ref", "reference", "number", "no", "postcode", "zip", "phone", "sku"})
MONEY_WORDS = frozenset({"spend", "cost", "costs", "budget", "price", "fee", "fees"})
COUNT_WORDS = frozenset({"impressions", "clicks", "conversions", "sessions", "leads", "views", "visits", "spots",
                         "attendees", "grps", "reach", "units"})
SIGNED_WORDS = frozenset({"change", "delta", "diff", "difference", "growth", "variance", "adjustment", "refund",
                          "refunds", "credit", "discount", "balance", "index", "pct", "percent", "rate", "ratio"})


class Status(str, Enum):
    """A check's verdict: passed, passed with something to look at, or failed."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"

    @property
    def rank(self) -> int:
        """0 for pass, 1 for warn, 2 for fail: the worst of several verdicts is the highest."""
        return list(Status).index(self)


def worst(statuses: Iterable[Status]) -> Status:
    """The most serious of the verdicts (pass when there are none)."""
    return max(statuses, key=lambda s: s.rank, default=Status.PASS)


@dataclass(frozen=True)
class Issue:
    """One thing a check found: a warning or a failure, and what it is."""

    status: Status
    text: str


def fail(text: str) -> Issue:
    """A failure."""
    return Issue(Status.FAIL, text)


def warn(text: str) -> Issue:
    """A warning."""
    return Issue(Status.WARN, text)


def one_line(exc: BaseException, root: Path | None = None) -> str:
    """An exception as one short line for a user: a missing file by its name (relative to root), else its message."""
    if isinstance(exc, FileNotFoundError) and exc.filename:
        path, base = Path(str(exc.filename)).absolute(), None if root is None else Path(root).absolute()
        shown = path.relative_to(base).as_posix() if base is not None and path.is_relative_to(base) else path.name
        return f"{shown} is missing"
    if isinstance(exc, KeyError):
        return f"missing column or entry {exc.args[0]!r}" if exc.args else "missing column or entry"
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= REASON_CHARS else text[:REASON_CHARS - 1] + "…"


def words(name: object) -> list[str]:
    """Lower-case words of a column name: 'Media Cost (£)' → ['media', 'cost']."""
    return [w for w in re.split(r"[^a-z0-9]+", str(name).lower()) if w]


def listed(items: Iterable[object], limit: int = LISTED) -> str:
    """Up to `limit` items joined with commas, '…' when there are more."""
    items = list(items)
    return ", ".join(str(i) for i in items[:limit]) + (", …" if len(items) > limit else "")


def line_of(position: int) -> int:
    """The file line of the row at this position."""
    return position + HEADER_LINES + 1


def is_text(values: pd.Series) -> bool:
    """True for columns pandas read as text: not numbers, booleans or dates."""
    return not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
                or pd.api.types.is_datetime64_any_dtype(values))


def present_text(values: pd.Series) -> pd.Series:
    """The non-empty values as stripped strings."""
    texts = values.dropna().astype(str).str.strip()
    return texts[texts != ""]


def as_numbers(values: pd.Series) -> pd.Series:
    """Values as floats (NaN where not a number), currency marks and thousands separators removed; bools are not."""
    if pd.api.types.is_bool_dtype(values):
        return pd.Series(np.nan, index=values.index)
    if pd.api.types.is_numeric_dtype(values):
        return values.astype(float)
    cleaned = values.astype(str).str.replace(NUMBER_MARKS, "", regex=True).where(values.notna())
    return pd.to_numeric(cleaned, errors="coerce").astype(float)


def numeric_values(s: pd.Series) -> pd.Series | None:
    """The column as floats when it is numeric (or mostly numbers stored as text), else None; bools are not.

    A text column is judged on an evenly spaced sample first, so long columns of words cost little.
    """
    if pd.api.types.is_bool_dtype(s):
        return None
    if pd.api.types.is_numeric_dtype(s):
        return s.astype(float)
    present = s.dropna()
    if not len(present) or pd.to_numeric(_sample(present).astype(str).str.strip(),
                                          errors="coerce").notna().mean() < NUMERIC_SHARE:
        return None
    values = pd.to_numeric(present.astype(str).str.strip(), errors="coerce")
    return values if values.notna().mean() >= NUMERIC_SHARE else None


def number_problems(df: pd.DataFrame, nan_text: Mapping[str, int] | None = None,
                    limit: float = ABSURD_MAGNITUDE) -> list[str]:
    """Numeric columns holding infinities, cells spelled NaN, or values with |x| > limit, with column and count."""
    problems = []
    for col in df.columns:
        values = numeric_values(df[col])
        if values is None:
            continue
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        infinite = int(np.isinf(arr).sum())
        absurd = int((np.isfinite(arr) & (np.abs(arr) > limit)).sum())
        spelled_nan = int((nan_text or {}).get(str(col), 0))
        if infinite:
            problems.append(f"{infinite} infinite values in {col}")
        if spelled_nan:
            problems.append(f"{spelled_nan} NaN values in {col}")
        if absurd:
            problems.append(f"{absurd} values beyond ±{limit:.0e} in {col}")
    return problems


def _sample(values: pd.Series, size: int = DATE_SAMPLE) -> pd.Series:
    """Up to `size` evenly spaced values."""
    step = max(1, len(values) // size)
    return values.iloc[::step].iloc[:size].reset_index(drop=True)


def named_like_dates(name: object) -> bool:
    """True for a column whose name says it holds dates ('date', 'created_date', 'week_start')."""
    return "_".join(words(name)) in DATE_NAMES or bool(set(words(name)) & DATE_WORDS)


def looks_like_dates(values: pd.Series) -> bool:
    """True when a text column's name says dates or most of its sampled values read as dates."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    if not is_text(values) or values.notna().sum() == 0:
        return False
    if named_like_dates(values.name):
        return True
    sample = present_text(_sample(values.dropna()))
    return not sample.empty and float(parse_dates(sample.reset_index(drop=True)).dates.notna().mean()) >= DATE_SHARE


def parse_column(values: pd.Series) -> ParsedDates:
    """parse_dates over a column's distinct values, mapped back to its rows (a daily column of 150,000 rows has a
    few hundred distinct dates); the layout is decided by the distinct values."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return parse_dates(values)
    distinct = pd.Series(values.dropna().unique(), dtype=object)
    parsed = parse_dates(distinct)
    lookup = dict(zip(distinct, parsed.dates))
    dates = pd.to_datetime(values.map(lookup), errors="coerce")
    return ParsedDates(dates, parsed.format, list(values[dates.isna()]))


def date_columns(df: pd.DataFrame) -> dict[str, ParsedDates]:
    """Every column that holds dates (by its name or its values), parsed whole."""
    return {str(c): parse_column(df[c]) for c in df.columns if looks_like_dates(df[c])}


def date_issues(df: pd.DataFrame, dates: Mapping[str, ParsedDates]) -> list[Issue]:
    """Failures for values of a date column that are not dates; a warning when day-first was only assumed."""
    out = []
    for col, parsed in dates.items():
        values = df[col]
        filled = values.notna() & (values.astype(str).str.strip() != "")
        bad = values[parsed.dates.isna() & filled]
        if len(bad):
            out.append(fail(f"{len(bad)} unparsable dates in {col} (e.g. {bad.iloc[0]!r} on line "
                            f"{line_of(values.index.get_loc(bad.index[0]))})"))
        if parsed.assumed:
            out.append(warn(f"{col} has no day above 12, so its dates were read day-first (DD/MM); check they are "
                            "not month-first"))
    return out


def numeric_text_issues(df: pd.DataFrame, dates: Mapping[str, ParsedDates]) -> list[Issue]:
    """Columns that look numeric but are not: text cells among numbers, or numbers written with £ or commas (warnings)."""
    out = []
    for col in df.columns:
        values = df[col]
        if str(col) in dates or not is_text(values) or set(words(col)) & ID_WORDS:
            continue
        sample = present_text(_sample(values.dropna()))
        if sample.empty or as_numbers(sample).notna().mean() < NUMERIC_SHARE:
            continue  # a text column (judged on a sample first: long columns of words cost little)
        present = present_text(values)
        numbers = as_numbers(present)
        if numbers.notna().mean() < NUMERIC_SHARE:
            continue
        text_cells = present[numbers.isna()]
        if len(text_cells):  # a warning: readers take these cells as missing, the rest of the column still counts
            out.append(warn(f"{len(text_cells)} values in {col} are not numbers (e.g. {text_cells.iloc[0]!r} on line "
                            f"{line_of(values.index.get_loc(text_cells.index[0]))}), so they read as missing"))
        else:
            out.append(warn(f"{col} holds numbers written with currency marks or thousands separators "
                            f"(e.g. {present.iloc[0]!r}), so they read as text"))
    return out


def never_negative(name: object) -> bool:
    """True for a column whose name says money spent or a count ('spend', 'media_cost', 'clicks')."""
    w = set(words(name))
    return bool(w & (MONEY_WORDS | COUNT_WORDS)) and not w & SIGNED_WORDS


def negative_issues(df: pd.DataFrame) -> list[Issue]:
    """Failures for negative values where a name says spend, cost, price or a count."""
    out = []
    for col in [c for c in df.columns if never_negative(c)]:
        negative = as_numbers(df[col]) < 0
        if negative.any():
            first = int(np.flatnonzero(negative.to_numpy())[0])
            out.append(fail(f"{int(negative.sum())} negative values in {col} (e.g. line {line_of(first)})"))
    return out


def click_issues(df: pd.DataFrame) -> list[Issue]:
    """A failure when clicks exceed impressions on any row."""
    if not {"clicks", "impressions"} <= set(df.columns):
        return []
    over = as_numbers(df["clicks"]) > as_numbers(df["impressions"])
    return [fail(f"clicks exceed impressions in {int(over.sum())} rows")] if over.any() else []


def duplicate_issues(df: pd.DataFrame) -> list[Issue]:
    """A warning for rows that repeat an earlier row exactly, naming the first such pair of lines."""
    if df.empty:
        return []
    hashes = pd.util.hash_pandas_object(df, index=False).to_numpy()
    repeated = pd.Series(hashes).duplicated().to_numpy()
    if not repeated.any():
        return []
    first = int(np.flatnonzero(repeated)[0])
    original = int(np.flatnonzero(hashes == hashes[first])[0])
    return [warn(f"{int(repeated.sum())} duplicate rows (e.g. line {line_of(first)} repeats line "
                 f"{line_of(original)})")]


def missing_weeks(dates: pd.Series) -> pd.DatetimeIndex | None:
    """The weeks missing from a weekly series (one weekday, most steps a week), None when it is not weekly."""
    days = pd.DatetimeIndex(dates.dropna().dt.normalize().unique()).sort_values()
    if len(days) < MIN_SERIES_DATES or days.weekday.nunique() != 1:
        return None
    steps = days.to_series().diff().dropna()
    if (steps == WEEK).mean() < WEEKLY_SHARE:  # dates on one weekday but mostly further apart are events, not weeks
        return None
    return pd.date_range(days[0], days[-1], freq="7D").difference(days)


def week_gap_issues(dates: Mapping[str, ParsedDates]) -> list[Issue]:
    """A warning per weekly date column with weeks missing between its first and last week, naming them."""
    out = []
    for col, parsed in dates.items():
        gaps = missing_weeks(parsed.dates)
        if gaps is not None and len(gaps):
            out.append(warn(f"{len(gaps)} weeks missing in {col} (no rows): {listed(f'{d:%Y-%m-%d}' for d in gaps)}"))
    return out


def empty_issues(df: pd.DataFrame) -> list[Issue]:
    """A failure for a table with a header and no rows."""
    return [fail("no data rows")] if df.empty else []


CSV_CHECKS: dict[str, Callable[[pd.DataFrame, Mapping[str, ParsedDates]], list[Issue]]] = {
    "rows": lambda df, dates: empty_issues(df),
    "dates": date_issues,
    "numbers": numeric_text_issues,
    "negatives": lambda df, dates: negative_issues(df),
    "clicks": lambda df, dates: click_issues(df),
    "duplicates": lambda df, dates: duplicate_issues(df),
    "weeks": lambda df, dates: week_gap_issues(dates),
}


def csv_issues(df: pd.DataFrame, nan_text: Mapping[str, int] | None = None) -> list[Issue]:
    """Every generic check of a parsed CSV; a check that breaks on odd data fails with its reason instead of raising."""
    try:
        dates = date_columns(df)
    except Exception as exc:  # the boundary: odd data must become a verdict, never a traceback
        dates = {}
        out = [fail(f"date check failed: {one_line(exc)}")]
    else:
        out = []
    for name, check in CSV_CHECKS.items():
        try:
            out += check(df, dates)
        except Exception as exc:  # the boundary, as above
            out.append(fail(f"{name} check failed: {one_line(exc)}"))
    try:
        out += [fail(p) for p in number_problems(df, nan_text)]
    except Exception as exc:  # the boundary, as above
        out.append(fail(f"number check failed: {one_line(exc)}"))
    return out
