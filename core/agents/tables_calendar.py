"""Dating the periods a question names (core.agents.tables_periods) against the data.

A month without a year takes the year of a neighbouring mention ("Oct vs Nov 2025"), else the only year the data
has it in; "last year" is the latest full year in the data, "the last 3 months" the latest three full months.
Every such reading is recorded in `Period.assumed`.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable

import pandas as pd

from core.agents.tables_periods import Mention, PeriodWords
from core.agents.tables_types import Grain, Period

FULL_YEAR_SLACK_DAYS = 10  # weekly data that starts its last row on 22 December still covers the year
FULL_MONTH_SLACK_DAYS = 7  # ... and a month whose last weekly row starts within its last week


def span_of(grain: Grain, index: int, year: int, day: int = 0) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """[start, end) and label of a day, a week from a day, a month, quarter, half or year (ValueError for 31 February)."""
    if grain is Grain.DAY:
        start = pd.Timestamp(year, index, day)
        return start, start + pd.Timedelta(days=1), f"{day} {calendar.month_name[index]} {year}"
    if grain is Grain.WEEK:  # "week commencing 1 December 2025": seven days from that day
        start = pd.Timestamp(year, index, day)
        return start, start + pd.Timedelta(days=7), f"week commencing {day} {calendar.month_name[index]} {year}"
    if grain is Grain.MONTH:
        start = pd.Timestamp(year, index, 1)
        return start, start + pd.offsets.MonthBegin(1), f"{calendar.month_name[index]} {year}"
    if grain is Grain.QUARTER:
        start = pd.Timestamp(year, 3 * index - 2, 1)
        return start, start + pd.offsets.MonthBegin(3), f"Q{index} {year}"
    if grain is Grain.HALF:
        start = pd.Timestamp(year, 6 * index - 5, 1)
        return start, start + pd.offsets.MonthBegin(6), f"H{index} {year}"
    return pd.Timestamp(year, 1, 1), pd.Timestamp(year + 1, 1, 1), str(year)


def latest_full(grain: Grain, data_end: pd.Timestamp) -> tuple[int, int]:
    """(index, year) of the latest month, quarter or year the data covers to its end."""
    if grain is Grain.YEAR:
        full = data_end >= pd.Timestamp(data_end.year, 12, 31) - pd.Timedelta(days=FULL_YEAR_SLACK_DAYS)
        return 0, data_end.year if full else data_end.year - 1
    months = 3 if grain is Grain.QUARTER else 1
    index = (data_end.month - 1) // months + 1
    _, end, _ = span_of(grain, index, data_end.year)
    if data_end < end - pd.Timedelta(days=FULL_MONTH_SLACK_DAYS + 1):
        index -= 1
    if index == 0:
        return (12 // months), data_end.year - 1
    return index, data_end.year


def _last_n(men: Mention, data_end: pd.Timestamp, end_text: str) -> Period:
    """The last N days or weeks up to the last date in the data; the last N full months, quarters or years."""
    n, grain = men.count, men.grain
    if grain in (Grain.DAY, Grain.WEEK):
        end = data_end + pd.Timedelta(days=1)
        start = end - pd.Timedelta(days=n * (7 if grain is Grain.WEEK else 1))
        return Period(start, end, f"the last {n} {grain.value}s", Grain.RANGE,
                      f"the last {n} {grain.value}s taken as {start.day} {start:%B %Y} to {end_text}, the last date "
                      "in the data")
    index, year = latest_full(grain, data_end)
    first, end, last_label = span_of(grain, index, year)
    months = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[grain]
    start = first - pd.DateOffset(months=months * (n - 1))
    first_label = span_of(grain, (start.month - 1) // months + 1 if grain is not Grain.YEAR else 0, start.year)[2]
    return Period(pd.Timestamp(start), end, f"the last {n} {grain.value}s", Grain.RANGE,
                  f"the last {n} {grain.value}s taken as {first_label} to {last_label}, the latest full "
                  f"{grain.value}s in the data (ends {end_text})")


def _relative(men: Mention, data_end: pd.Timestamp) -> Period:
    """last/this year, quarter or month, last N months, and year to date, against the last date in the data."""
    end_text = f"{data_end:%d %B %Y}".lstrip("0")
    if men.count:
        return _last_n(men, data_end, end_text)
    if men.relative == "ytd":
        start = pd.Timestamp(data_end.year, 1, 1)
        return Period(start, data_end + pd.Timedelta(days=1), f"{data_end.year} to date", Grain.RANGE,
                      f"year to date taken as 1 January {data_end.year} to {end_text}, the last date in the data")
    if men.relative.startswith("this"):
        index = 0 if men.grain is Grain.YEAR else (data_end.month - 1) // (3 if men.grain is Grain.QUARTER else 1) + 1
        start, end, label = span_of(men.grain, index, data_end.year)
        return Period(start, end, label, men.grain, f"{men.relative} taken as {label}, the latest in the data")
    index, year = latest_full(men.grain, data_end)
    start, end, label = span_of(men.grain, index, year)
    return Period(start, end, label, men.grain,
                  f"{men.relative} taken as {label}, the latest full {men.grain.value} in the data (ends {end_text})")


def _year_for(i: int, mentions: tuple[Mention, ...]) -> int | None:
    """The year of the nearest mention that has one: the following ones first ("Oct vs Nov 2025"), then earlier."""
    for j in list(range(i + 1, len(mentions))) + list(range(i - 1, -1, -1)):
        if mentions[j].year is not None and not mentions[j].relative:
            return mentions[j].year
    return None


YearsWith = Callable[[Grain, int], set[int]]  # the years the data has a given month/quarter/half in


def resolve(words: PeriodWords, data_end: pd.Timestamp | None, years_with: YearsWith) -> tuple[Period, ...] | None:
    """Dated periods for the mentions (ranges merged); None when a period cannot be pinned to one year."""
    if words.unsupported:
        return None
    periods: list[Period] = []
    # "over the summer last year (June to August)": a bare month takes the year a relative year resolves to
    said_year = [_relative(m, data_end).start.year for m in words.mentions
                 if m.relative and m.grain is Grain.YEAR and data_end is not None]
    for i, men in enumerate(words.mentions):
        if men.relative:
            if data_end is None:
                return None
            periods.append(_relative(men, data_end))
            continue
        year, assumed = men.year, ""
        if year is None:
            year = _year_for(i, words.mentions)
        if year is None and len(set(said_year)) == 1:
            year = said_year[0]
        if year is None and men.grain not in (Grain.DAY, Grain.WEEK):
            options = years_with(men.grain, men.index)
            if len(options) != 1:
                return None
            year = options.pop()
            assumed = f"{span_of(men.grain, men.index, year)[2]}: the only one in the data"
        if year is None:
            return None
        try:
            start, end, label = span_of(men.grain, men.index, year, men.day)
        except ValueError:  # 31 February
            return None
        periods.append(Period(start, end, label, men.grain, assumed))
    for i in sorted(words.since, reverse=True):
        if data_end is None or periods[i].start > data_end:
            return None
        p = periods[i]
        periods[i] = Period(p.start, data_end + pd.Timedelta(days=1), f"since {p.label}", Grain.RANGE, p.assumed)
    for a, b in sorted(words.ranges, reverse=True):
        first, last = periods[a], periods[b]
        if not first.start < last.end:
            return None
        merged = Period(first.start, last.end, f"{first.label} to {last.label}", Grain.RANGE,
                        "; ".join(x for x in (first.assumed, last.assumed) if x))
        periods[a:b + 1] = [merged]
    # "the summer of 2025, June to August", "September last year": a year that lends its number to a month inside
    # it only dates that month; it is not a second period to compare with
    if not any(m.year is None and not m.relative for m in words.mentions):
        return tuple(periods)
    inner = [p for p in periods if p.grain is not Grain.YEAR]
    return tuple(p for p in periods if not (p.grain is Grain.YEAR and any(
        p.start <= q.start and q.end <= p.end for q in inner)))
