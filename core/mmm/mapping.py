"""A user's weekly CSV mapped onto the model's layout (week_start, spend_<channel>, controls, KPI)."""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np
import pandas as pd

from core.catalog.dates import parse_dates
from core.domain import SPEND_PREFIX
from core.mmm.data import KPI_COLUMNS, MmmDataError, load_weekly

PANDAS_DUPLICATE = re.compile(r"^(?P<base>.+)\.(?P<n>[1-9][0-9]*)$")  # read_csv renames a repeated 'x' to 'x.1'
DATE_NAME = re.compile(r"date|week|day|period", re.I)
SPEND_NAME = re.compile(r"spend|cost|budget", re.I)
NOT_OURS_NAME = re.compile(r"competitor|competition|rival", re.I)
KPI_NAME = re.compile(r"lead|sale|unit|revenue|conversion|kpi|order|target|outcome|^y$", re.I)
DRIVER_NAME = re.compile(r"price|temperature|weather|rate|index|confidence|holiday|event|season|trend", re.I)
MIN_ZERO_SHARE = 0.2  # flighted media is dark at least one week in five; drivers and KPIs rarely sit at 0
MIN_SPEND_CV = 0.6  # std/mean of bursty media (x1 0.77, TV 1.6); weather, rates and KPIs stay under 0.45
MIN_MAGNITUDE_CV = 0.25  # on the KPI's scale or above (£ against leads) a smaller spread still reads as spend
MIN_TREND_ROWS = 8  # fewer values than this are monotone by chance


@dataclass(frozen=True)
class ColumnMap:
    """Which of the user's columns is the week, the KPI, the spend per channel and the controls."""

    date: str
    kpi: str
    spend: tuple[str, ...]
    controls: tuple[str, ...] = field(default_factory=tuple)


def channel_key(column: str) -> str:
    """A spend column's channel key: 'Spend - TV (£)' → 'tv'; 'spend_meta' → 'meta'."""
    name = column[len(SPEND_PREFIX):] if column.startswith(SPEND_PREFIX) else column
    key = re.sub(r"[^a-z0-9]+", "_", name.lower())
    key = re.sub(r"(^|_)(spend|cost|gbp|£)(_|$)", "_", key).strip("_")
    return key or "channel"


class ColumnKind(str, Enum):
    """What a numeric column's values look like, before any name is read."""

    MEASURE = "measure"  # varies freely: spend, a KPI or a driver
    DUMMY = "dummy"  # only 0 and 1: an event or holiday flag
    TREND = "trend"  # strictly monotone: a week index (0..n-1) or a trend
    CALENDAR = "calendar"  # the date again: day of year, week number, month, quarter, year
    CONSTANT = "constant"  # one value: explains nothing


@dataclass(frozen=True)
class ColumnProfile:
    """A numeric column's kind and the shape of its values (over the non-empty ones)."""

    name: str
    kind: ColumnKind
    minimum: float
    mean: float
    cv: float  # std / mean (inf when the mean is 0 or below)
    zero_share: float


def _calendar_fields(dates: pd.Series | None) -> list[np.ndarray]:
    """Day of year, ISO week, month, quarter, year and day of month of the parsed dates (none without dates)."""
    if dates is None or dates.isna().any():
        return []
    d = pd.DatetimeIndex(dates)
    return [np.asarray(v, dtype=float) for v in
            (d.day_of_year, d.isocalendar().week, d.month, d.quarter, d.year, d.day)]


def profile(name: str, values: pd.Series, calendar: list[np.ndarray]) -> ColumnProfile:
    """Classify one numeric column by its values and measure its level, dispersion and zeros."""
    x = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    present = x[np.isfinite(x)]
    if present.size == 0 or np.ptp(present) == 0:
        kind = ColumnKind.CONSTANT
    elif set(np.unique(present)) <= {0.0, 1.0}:
        kind = ColumnKind.DUMMY
    elif present.size == x.size and any(np.array_equal(x, c) for c in calendar):
        kind = ColumnKind.CALENDAR
    elif present.size >= MIN_TREND_ROWS and (np.all(np.diff(present) > 0) or np.all(np.diff(present) < 0)):
        kind = ColumnKind.TREND
    else:
        kind = ColumnKind.MEASURE
    mean = float(present.mean()) if present.size else 0.0
    cv = float(present.std() / mean) if mean > 0 else math.inf
    zeros = float(np.mean(present == 0)) if present.size else 0.0
    return ColumnProfile(name, kind, float(present.min()) if present.size else 0.0, mean, cv, zeros)


def _bursty(p: ColumnProfile) -> bool:
    """Values that come and go like media flighting: dark weeks, or a spread large against the level."""
    return p.minimum >= 0 and (p.zero_share >= MIN_ZERO_SHARE or p.cv >= MIN_SPEND_CV)


def _spend_like(p: ColumnProfile, kpi: ColumnProfile | None) -> bool:
    """Spend by its name (spend/cost/budget; not a competitor's), else by its values.

    By values: a non-negative measure that is bursty (≥ MIN_ZERO_SHARE dark weeks, or std/mean ≥ MIN_SPEND_CV),
    or that runs at or above the KPI's weekly level with a real spread (std/mean ≥ MIN_MAGNITUDE_CV: money
    against leads); never a column named as a KPI or a known driver (price, temperature, rates, events).
    """
    name = str(p.name)
    if NOT_OURS_NAME.search(name):
        return False  # someone else's spend drives the KPI but is not ours to allocate: a control
    if SPEND_NAME.search(name):
        return True  # even when negative or constant: apply then says what is wrong with it
    if (p.kind is not ColumnKind.MEASURE or p.minimum < 0 or KPI_NAME.search(name) or name in KPI_COLUMNS
            or DRIVER_NAME.search(name)):
        return False
    on_kpi_scale = kpi is not None and kpi.mean > 0 and p.mean >= kpi.mean and p.cv >= MIN_MAGNITUDE_CV
    return _bursty(p) or on_kpi_scale


def _reads_as_dates(values: pd.Series) -> bool:
    """Every non-empty value is a date and there is at least one."""
    parsed = parse_dates(values)
    return not parsed.bad and bool(parsed.dates.notna().any())


def guess_date(df: pd.DataFrame) -> str:
    """The first text column that reads as dates (one named like a date first); else the first date-like name."""
    cols = list(df.columns)
    readable = [c for c in cols if not pd.api.types.is_numeric_dtype(df[c]) and _reads_as_dates(df[c])]
    named = [c for c in readable if DATE_NAME.search(str(c))]
    if named or readable:
        return (named or readable)[0]
    return next((c for c in cols if DATE_NAME.search(str(c))), cols[0])


def _guess_kpi(measures: list[ColumnProfile]) -> ColumnProfile | None:
    """A measure named like a KPI (leads, sales, revenue, y, …), else the first that is not bursty, else the first."""
    named = [p for p in measures if KPI_NAME.search(str(p.name)) and not SPEND_NAME.search(str(p.name))]
    steady = [p for p in measures if not _bursty(p) and not SPEND_NAME.search(str(p.name))]
    return next(iter(named or steady or measures), None)


def guess(df: pd.DataFrame) -> ColumnMap:
    """A first guess the user can correct: the date, the KPI, spend columns by content and name, the controls.

    Numeric columns are first told apart by their values: 0/1 flags (events) and strictly monotone columns (a
    week index or trend) are controls, copies of the calendar (day of year, week number, month) and constant
    columns are left out. Spend is then chosen by name and content (see _spend_like); every other numeric
    column is a control.
    """
    if df.columns.empty:
        return ColumnMap("", "", ())
    date = guess_date(df)
    parsed = parse_dates(df[date]) if not pd.api.types.is_numeric_dtype(df[date]) else None
    calendar = _calendar_fields(parsed.dates if parsed is not None and not parsed.bad else None)
    profiles = [profile(c, df[c], calendar) for c in df.columns
                if c != date and pd.api.types.is_numeric_dtype(df[c])]
    measures = [p for p in profiles if p.kind is ColumnKind.MEASURE]
    kpi = _guess_kpi(measures)
    if kpi is None:  # nothing varies freely: fall back to the first numeric column, as a user would
        kpi = next(iter(profiles), None)
    kpi_name = kpi.name if kpi is not None else ""
    spend = tuple(p.name for p in profiles if p.name != kpi_name and _spend_like(p, kpi))
    usable = (ColumnKind.MEASURE, ColumnKind.DUMMY, ColumnKind.TREND)
    controls = tuple(p.name for p in profiles if p.name not in (kpi_name, *spend) and p.kind in usable)
    return ColumnMap(date, kpi_name, spend, controls)


@dataclass(frozen=True)
class MappedTable:
    """The table in model layout and how its dates were read (e.g. "day-first (DD/MM/YYYY)")."""

    table: pd.DataFrame
    date_format: str


def duplicated_column(df: pd.DataFrame, used: tuple[str, ...]) -> str | None:
    """The name of a used column that the file had twice, else None.

    Either the frame has the name twice, or pandas renamed the repeat: 'spend_tv.1' next to 'spend_tv'.
    """
    names = [str(c) for c in df.columns]
    present = set(names)
    groups: dict[str, set[str]] = {}
    for name in names:
        m = PANDAS_DUPLICATE.match(name)
        base = m["base"] if m and m["base"] in present else name
        groups.setdefault(base, set()).add(name)
    for base, members in groups.items():
        repeated = len(members) > 1 or names.count(base) > 1
        if repeated and members & set(used):
            return base
    return None


def apply(df: pd.DataFrame, cmap: ColumnMap) -> pd.DataFrame:
    """The table in model layout; MmmDataError when the mapping is incomplete or the data unusable."""
    return apply_with_report(df, cmap).table


def apply_with_report(df: pd.DataFrame, cmap: ColumnMap) -> MappedTable:
    """The table in model layout and the date format read; MmmDataError when the mapping or the data is unusable."""
    if not cmap.spend:
        raise MmmDataError("choose at least one spend column")
    missing = [c for c in (cmap.date, cmap.kpi, *cmap.spend, *cmap.controls) if c not in df.columns]
    if missing:
        raise MmmDataError(f"columns not in the file: {', '.join(map(str, missing))}")
    dup = duplicated_column(df, (cmap.date, cmap.kpi, *cmap.spend, *cmap.controls))
    if dup is not None:
        raise MmmDataError(f"the file has two columns named '{dup}' (the second reads as '{dup}.1'); "
                           "rename or delete one so each column has its own name")
    if cmap.kpi in cmap.spend or cmap.date in cmap.spend:
        raise MmmDataError("the date and KPI columns cannot also be spend columns")
    keys = [channel_key(c) for c in cmap.spend]
    if len(set(keys)) != len(keys):
        raise MmmDataError(f"two spend columns map to the same channel name: {keys}")
    dates = df[cmap.date]
    if pd.api.types.is_numeric_dtype(dates) and not np.all(np.mod(dates.dropna().to_numpy(dtype=float), 1) == 0):
        # read as text, 3984.66 can pass for a date in the year 3984; only whole numbers (20240108) may be dates
        example = dates[np.mod(dates.fillna(0).to_numpy(dtype=float), 1) != 0].iloc[0]
        raise MmmDataError(f"date column '{cmap.date}' holds numbers (e.g. {example:g}), not dates; "
                           "choose the column that holds the week's date")
    # ISO stays ISO; DD/MM vs MM/DD is decided by the values; the result is stored ISO for the loader and cache
    parsed = parse_dates(dates)
    if parsed.bad:
        raise MmmDataError(f"date column '{cmap.date}' has values that are not dates (e.g. {parsed.bad[0]!r}); "
                           f"the column reads as {parsed.format}")
    out = pd.DataFrame({"week_start": parsed.dates.dt.strftime("%Y-%m-%d")})
    for col, key in zip(cmap.spend, keys):
        out[SPEND_PREFIX + key] = df[col]
    for col in cmap.controls:
        if col not in (cmap.kpi, cmap.date) and col not in cmap.spend:
            out[channel_key(col)] = df[col]
    out["kpi"] = df[cmap.kpi]
    try:
        load_weekly(out, target="kpi")  # validates: dates, weeks, negatives, constants, non-numeric
    except MmmDataError as exc:
        if not parsed.assumed:
            raise
        # an assumed order may itself be the problem (a US file read day-first): say how the dates were read
        raise MmmDataError(f"{exc} (dates were read {parsed.format})") from exc
    return MappedTable(out, parsed.format)


def save(mapped: pd.DataFrame, folder: Path) -> Path:
    """Write a mapped table under folder, named by its content hash (so the fit cache keys on it)."""
    data = mapped.to_csv(index=False).encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"upload_{hashlib.sha256(data).hexdigest()[:16]}.csv"
    if not path.exists():
        path.write_bytes(data)
    return path
