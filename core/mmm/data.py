"""Load a weekly modelling table (date, spend_<channel> columns, a KPI, optional controls) with clear errors."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.catalog.dates import parse_dates
from core.domain import PLAN_WEEKS, SPEND_PREFIX

MIN_WEEKS = PLAN_WEEKS  # a year: seasonality and carry-over cannot be told apart with less
MAX_WEEKS = 520  # ten years; older weeks describe another market, and the CV search grows with every week
MAX_CHANNELS = 60  # the transform search is per channel: beyond this a fit takes minutes and says little
MAX_CONTROLS = 30  # more drivers than this on a few hundred weeks only soak up the media effects
MAX_WEEKLY_SPEND = 1e12  # £ a week; above this the column is in the wrong units or pasted wrong
MAX_ABS_VALUE = 1e15  # KPI and controls: beyond this sums lose whole units (2^53 ≈ 9e15) and squares overflow
WEEK_DAYS = 7
DATE_CANDIDATES = ("week_start", "week", "date", "week_commencing", "period")
KPI_COLUMNS = ("leads", "test_drives", "units_sold", "revenue")  # never used as controls


class MmmDataError(ValueError):
    """The weekly table cannot be modelled; the message says what to fix."""


@dataclass(frozen=True)
class WeeklyData:
    """A validated weekly table split into spend, controls and the target KPI."""

    dates: pd.DatetimeIndex
    spend: pd.DataFrame  # columns = channel keys, £ per week
    controls: pd.DataFrame  # numeric, non-constant extra drivers (may have no columns)
    target: np.ndarray
    target_name: str
    channels: tuple[str, ...]
    source_name: str = ""  # the weekly file's name, which a read-out cites ("" for a table passed in memory)

    @property
    def weeks(self) -> int:
        """Number of weeks."""
        return len(self.target)


def _refuse_duplicates(names: list[str], where: str) -> None:
    """Two columns with one name: pandas would rename the second ('spend_tv.1') and model it as its own channel."""
    counts = Counter(n for n in names if n)
    dupes = [n for n, k in counts.items() if k > 1]
    if dupes:
        raise MmmDataError(f"{where} has {counts[dupes[0]]} columns named '{dupes[0]}'; "
                           "rename or delete the extra one so every column has its own name")


def _header(path: Path) -> list[str]:
    """The header row as written (pandas renames duplicate names on read, so read it ourselves)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            return next(csv.reader(fh), [])
    except (csv.Error, UnicodeDecodeError) as exc:
        raise MmmDataError(f"{path.name} is not a readable CSV: {exc}") from exc


def read_table(source: Path | str | pd.DataFrame, max_rows: int | None = None) -> pd.DataFrame:
    """The raw table from a path (at most max_rows rows) or a DataFrame; refuses duplicate column names."""
    if isinstance(source, pd.DataFrame):
        _refuse_duplicates([str(c) for c in source.columns], "the table")
        return source.copy()
    path = Path(source)
    if not path.exists():
        raise MmmDataError(f"{path} does not exist; generate the data or pass --data FILE")
    if not path.is_file():
        raise MmmDataError(f"{path} is not a file; pass the weekly CSV itself")
    try:
        _refuse_duplicates(_header(path), path.name)
        return pd.read_csv(path, nrows=max_rows)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise MmmDataError(f"{path.name} is not a readable CSV: {' '.join(str(exc).split())}") from exc
    except OSError as exc:
        raise MmmDataError(f"{path} cannot be read: {exc.strerror or exc}") from exc


def _find_date_col(df: pd.DataFrame, date_col: str | None) -> str:
    """The date column: the one asked for, else the first usual name present."""
    if date_col is not None:
        if date_col not in df.columns:
            raise MmmDataError(f"date column '{date_col}' not found; columns are {list(df.columns)}")
        return date_col
    for name in DATE_CANDIDATES:
        if name in df.columns:
            return name
    raise MmmDataError(f"no date column found: add one named one of {list(DATE_CANDIDATES)}")


def _days(n: float) -> str:
    """'1 day', '14 days', '3.5 days'."""
    return f"{n:g} day" + ("" if n == 1 else "s")


def check_weekly(dates: pd.DatetimeIndex, dcol: str) -> None:
    """Sorted, distinct dates must be exactly a week apart; else say the spacing and the first gap."""
    gaps = np.diff(dates.to_numpy()).astype("timedelta64[D]").astype(int)
    off = np.flatnonzero(gaps != WEEK_DAYS)
    if off.size == 0:
        return
    median = float(np.median(gaps))
    if median != WEEK_DAYS:
        kind = (" (daily data): aggregate to one row per week first" if median == 1 else
                " (monthly data): the model needs one row per week" if 28 <= median <= 31 else
                ": the model needs one row per week")
        raise MmmDataError(f"dates in '{dcol}' are {'' if median == 1 else 'a median of '}{_days(median)} "
                           f"apart{kind}")
    i, more = int(off[0]), int(off.size) - 1
    after, gap = dates[i].strftime("%Y-%m-%d"), int(gaps[i])
    also = f" ({more} more irregular gap{'s' if more > 1 else ''})" if more else ""
    if gap % WEEK_DAYS == 0:
        missing = gap // WEEK_DAYS - 1
        raise MmmDataError(f"gap of {_days(gap)} after {after}: {missing} week{'s' if missing > 1 else ''} missing"
                           f"{also}; add the missing weeks (0 spend where nothing ran)")
    raise MmmDataError(f"{dates[i + 1].strftime('%Y-%m-%d')} is {_days(gap)} after {after}{also}: every row must "
                       "be one week after the previous one (same weekday)")


def _where(mask: np.ndarray, rows: np.ndarray, dates: pd.DatetimeIndex) -> str:
    """'row 5 (week 2024-01-29)' for the first True in mask; rows are the file's data rows, counted from 1."""
    i = int(np.argmax(mask))
    return f"row {rows[i]} (week {dates[i].strftime('%Y-%m-%d')})"


def _numeric(df: pd.DataFrame, col: str, rows: np.ndarray, dates: pd.DatetimeIndex, limit: float) -> np.ndarray:
    """A column as finite floats within ±limit, or an error naming the column, the row and the value."""
    raw = df[col]
    values = pd.to_numeric(raw, errors="coerce")
    bad = (values.isna() & raw.notna()).to_numpy()
    if bad.any():
        raise MmmDataError(f"column '{col}' is not numeric (e.g. {raw[bad].iloc[0]!r} in {_where(bad, rows, dates)})")
    x = values.to_numpy(dtype=float)
    empty = np.isnan(x)
    if empty.any():
        raise MmmDataError(f"column '{col}' has {int(empty.sum())} empty value(s), first in "
                           f"{_where(empty, rows, dates)}; fill them (0 where nothing was spent)")
    wild = ~np.isfinite(x) | (np.abs(x) > limit)
    if wild.any():
        raise MmmDataError(f"column '{col}' has {x[wild][0]:.6g} in {_where(wild, rows, dates)}, beyond the "
                           f"±{limit:.0e} a weekly table can hold; check the units or the paste")
    return x


def _check_spend(name: str, x: np.ndarray) -> None:
    """Spend must be non-negative and vary, else its effect cannot be estimated."""
    if np.any(x < 0):
        raise MmmDataError(f"column '{SPEND_PREFIX}{name}' has negative spend in {int((x < 0).sum())} week(s)")
    if np.ptp(x) == 0:
        raise MmmDataError(f"column '{SPEND_PREFIX}{name}' is constant ({x[0]:g} every week); drop it")


def _is_numeric_column(s: pd.Series) -> bool:
    """Every non-empty value is a number (text columns are labels, not drivers)."""
    present = s.notna()
    return bool(present.any()) and bool(pd.to_numeric(s[present], errors="coerce").notna().all())


def _controls(df: pd.DataFrame, skip: set[str], rows: np.ndarray, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Every other numeric, non-constant column; bad numbers in one are errors, text or constant columns are not."""
    controls = {}
    for col in df.columns:
        if col in skip or str(col).startswith(SPEND_PREFIX) or col in KPI_COLUMNS or not _is_numeric_column(df[col]):
            continue
        x = _numeric(df, col, rows, dates, MAX_ABS_VALUE)
        if np.ptp(x) > 0:
            controls[col] = x
    if len(controls) > MAX_CONTROLS:
        raise MmmDataError(f"{len(controls)} control columns (numeric columns besides spend and the KPI); the model "
                           f"takes at most {MAX_CONTROLS}: drop the ones that do not drive the KPI")
    return pd.DataFrame(controls)


def load_weekly(source: Path | str | pd.DataFrame, target: str = "leads", date_col: str | None = None) -> WeeklyData:
    """Validate a weekly table and split it into dates, spend, controls and target.

    Controls are every other numeric, non-constant column that is not a known KPI.
    Raises MmmDataError with a message a user can act on.
    """
    df = read_table(source, max_rows=MAX_WEEKS + 1)  # one row past the limit is enough to refuse a longer file
    if df.empty:
        raise MmmDataError("the table has no rows")
    dcol = _find_date_col(df, date_col)
    parsed = parse_dates(df[dcol])
    if parsed.bad:
        raise MmmDataError(f"date column '{dcol}' has unparseable values (e.g. {parsed.bad[0]!r}); the column reads "
                           f"as {parsed.format}: write every date the same way, e.g. 2024-01-08")
    order = np.argsort(parsed.dates.to_numpy(), kind="stable")
    rows = np.arange(1, len(df) + 1)[order]  # the file's row numbers, for messages
    df, dates = df.iloc[order], pd.DatetimeIndex(parsed.dates.iloc[order])
    if dates.has_duplicates:
        raise MmmDataError(f"date column '{dcol}' repeats {dates[dates.duplicated()][0].strftime('%Y-%m-%d')}; "
                           "the table must have one row per week")
    check_weekly(dates, dcol)
    if len(df) < MIN_WEEKS:
        raise MmmDataError(f"only {len(df)} weeks of data; the model needs at least {MIN_WEEKS}")
    if len(df) > MAX_WEEKS:
        raise MmmDataError(f"more than {MAX_WEEKS} weeks of data; the model takes at most {MAX_WEEKS} "
                           f"({MAX_WEEKS // 52} years): keep the most recent {MAX_WEEKS} weeks")
    spend_cols = [c for c in df.columns if str(c).startswith(SPEND_PREFIX)]
    if not spend_cols:
        raise MmmDataError(f"no spend columns: name media spend columns '{SPEND_PREFIX}<channel>'")
    if len(spend_cols) > MAX_CHANNELS:
        raise MmmDataError(f"{len(spend_cols)} spend columns; the model takes at most {MAX_CHANNELS} channels: "
                           "merge small channels (e.g. all display into one) or drop them")
    if target not in df.columns:
        raise MmmDataError(f"target column '{target}' not found; columns are {list(df.columns)}")
    y = _numeric(df, target, rows, dates, MAX_ABS_VALUE)
    if np.any(y < 0):
        raise MmmDataError(f"target '{target}' has negative values")
    if np.ptp(y) == 0:
        raise MmmDataError(f"target '{target}' is constant; there is nothing to explain")
    channels = tuple(c[len(SPEND_PREFIX):] for c in spend_cols)
    spend = pd.DataFrame({ch: _numeric(df, col, rows, dates, MAX_WEEKLY_SPEND) for ch, col in zip(channels, spend_cols)})
    for ch in channels:
        _check_spend(ch, spend[ch].to_numpy())
    controls = _controls(df, {dcol, target}, rows, dates)
    name = "" if isinstance(source, pd.DataFrame) else Path(source).name
    return WeeklyData(dates=dates, spend=spend, controls=controls, target=y, target_name=target, channels=channels,
                      source_name=name)
