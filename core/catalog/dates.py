"""Read a column of dates the way the file wrote them: ISO first, then day- or month-first only where values prove it.

pandas' `dayfirst=True, format="mixed"` reorders ISO dates too (2024-01-08 becomes 1 August), so every value is
matched against an explicit layout here and the fields are assembled by position; pandas guesses only for text
dates (e.g. "8 Jan 2024"), and never with `dayfirst`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

import pandas as pd

ISO_LABEL = "ISO (YYYY-MM-DD)"
DAY_FIRST_LABEL = "day-first (DD/MM/YYYY)"
MONTH_FIRST_LABEL = "month-first (MM/DD/YYYY)"
ASSUMED_DAY_FIRST_LABEL = "day-first (assumed: no day above 12)"  # UK data: the default when nothing proves either
TEXT_LABEL = "written out (e.g. 8 Jan 2024)"
NATIVE_LABEL = "already dates"
EMPTY_LABEL = "no dates"
MAX_MONTH = 12  # a leading field above this can only be a day
TWO_DIGIT_PIVOT = 69  # POSIX %y: 00–68 are 20xx, 69–99 are 19xx

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a midnight time from spreadsheets; rows are days, not times
_YEAR_FIRST = re.compile(rf"^(\d{{4}})[-/.](\d{{1,2}})[-/.](\d{{1,2}}){_TIME}$")
_TWO_SMALL_FIRST = re.compile(rf"^(\d{{1,2}})[-/.](\d{{1,2}})[-/.](\d{{4}}|\d{{2}}){_TIME}$")


class DateLayout(str, Enum):
    """How one raw value is laid out."""

    YEAR_FIRST = "year-first"
    TWO_SMALL_FIRST = "two small fields first"  # DD/MM/YYYY or MM/DD/YYYY: the values must say which
    TEXT = "text"
    EMPTY = "empty"


@dataclass(frozen=True)
class ParsedDates:
    """Dates aligned with the input (NaT where unreadable), the layout used as a human label, the unreadable values."""

    dates: pd.Series
    format: str
    bad: list[object] = field(default_factory=list)

    @property
    def assumed(self) -> bool:
        """True when the day/month order was a default, not proven by the values."""
        return self.format == ASSUMED_DAY_FIRST_LABEL


def layout_of(text: str) -> DateLayout:
    """The layout of one stripped raw value."""
    if not text or text.lower() in ("nan", "nat", "none"):
        return DateLayout.EMPTY
    if _YEAR_FIRST.match(text):
        return DateLayout.YEAR_FIRST
    if _TWO_SMALL_FIRST.match(text):
        return DateLayout.TWO_SMALL_FIRST
    return DateLayout.TEXT


def _full_year(year: str) -> int:
    """A four-digit year from a two- or four-digit field."""
    y = int(year)
    if len(year) == 4:
        return y
    return y + (1900 if y >= TWO_DIGIT_PIVOT else 2000)


def _assemble(fields: list[tuple[int, int, int] | None], index: pd.Index) -> pd.Series:
    """Dates from (year, month, day) triples by an explicit ISO format; impossible dates (31/02) become NaT."""
    iso = [None if f is None else f"{f[0]:04d}-{f[1]:02d}-{f[2]:02d}" for f in fields]
    return pd.to_datetime(pd.Series(iso, index=index, dtype=object), format="%Y-%m-%d", errors="coerce")


def _year_first(texts: pd.Series) -> pd.Series:
    """Parse YYYY-MM-DD (any of - / . as separator)."""
    fields = []
    for t in texts:
        m = _YEAR_FIRST.match(t)
        fields.append((int(m[1]), int(m[2]), int(m[3])) if m else None)
    return _assemble(fields, texts.index)


def _small_fields(texts: pd.Series) -> list[tuple[int, int, str] | None]:
    """(first, second, year) of each DD/MM/YYYY-like value, None for other layouts."""
    out: list[tuple[int, int, str] | None] = []
    for t in texts:
        m = _TWO_SMALL_FIRST.match(t)
        out.append((int(m[1]), int(m[2]), m[3]) if m else None)
    return out


def _day_month_order(fields: list[tuple[int, int, str] | None]) -> str:
    """The label of the order the values prove: a first field > 12 is a day, a second field > 12 is a day."""
    day_first_proof = sum(1 for f in fields if f and f[0] > MAX_MONTH)
    month_first_proof = sum(1 for f in fields if f and f[1] > MAX_MONTH)
    if day_first_proof == month_first_proof == 0:
        return ASSUMED_DAY_FIRST_LABEL
    # both proven means some rows are wrong; the better-supported order wins and the others are reported as bad
    return MONTH_FIRST_LABEL if month_first_proof > day_first_proof else DAY_FIRST_LABEL


def _two_small_first(texts: pd.Series) -> tuple[pd.Series, str]:
    """Parse DD/MM/YYYY or MM/DD/YYYY, the order decided by the values themselves."""
    fields = _small_fields(texts)
    label = _day_month_order(fields)
    month_first = label == MONTH_FIRST_LABEL
    triples = [None if f is None else
               (_full_year(f[2]), f[0], f[1]) if month_first else (_full_year(f[2]), f[1], f[0])
               for f in fields]
    return _assemble(triples, texts.index), label


def _text(texts: pd.Series, layouts: pd.Series) -> pd.Series:
    """Written-out dates ("8 Jan 2024"): month names make the order plain, so pandas may guess (never day-first).

    Numeric values in a text column stay unread: pandas would read 08/01/2024 month-first without a word.
    """
    written = texts.where(layouts == DateLayout.TEXT, "")
    return pd.to_datetime(written, format="mixed", errors="coerce")


def parse_dates(values: pd.Series) -> ParsedDates:
    """Parse a column of dates by the layout most of its values share; values that do not fit are listed in `bad`.

    Year-first (ISO) is tried first and read by explicit format. DD/MM vs MM/DD is decided by the values: day-first
    when some first field is above 12, month-first when some second field is; with neither, day-first is assumed
    (UK data) and the label says so.
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return ParsedDates(pd.Series(values, index=values.index), NATIVE_LABEL,
                           [v for v in values[values.isna()]])
    texts = values.astype(str).str.strip().where(values.notna(), "")
    layouts = texts.map(layout_of)
    counts = layouts[layouts != DateLayout.EMPTY].value_counts()
    if counts.empty:
        return ParsedDates(pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]"), EMPTY_LABEL,
                           list(values))
    # ties go to the earlier, stricter layout: year-first, then DD/MM, then text
    order = [DateLayout.YEAR_FIRST, DateLayout.TWO_SMALL_FIRST, DateLayout.TEXT]
    chosen = max(order, key=lambda lay: (int(counts.get(lay, 0)), -order.index(lay)))
    if chosen is DateLayout.YEAR_FIRST:
        dates, label = _year_first(texts), ISO_LABEL
    elif chosen is DateLayout.TWO_SMALL_FIRST:
        dates, label = _two_small_first(texts)
    else:
        dates, label = _text(texts, layouts), TEXT_LABEL
    return ParsedDates(dates, label, list(values[dates.isna()]))
