"""Load a weekly modelling table (date, spend_<channel> columns, a KPI, optional controls) with clear errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.domain import PLAN_WEEKS, SPEND_PREFIX

MIN_WEEKS = PLAN_WEEKS  # a year: seasonality and carry-over cannot be told apart with less
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

    @property
    def weeks(self) -> int:
        """Number of weeks."""
        return len(self.target)


def _read(source: Path | str | pd.DataFrame) -> pd.DataFrame:
    """The raw table from a path or a DataFrame."""
    if isinstance(source, pd.DataFrame):
        return source.copy()
    path = Path(source)
    if not path.exists():
        raise MmmDataError(f"{path} does not exist; generate the data or pass --data FILE")
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise MmmDataError(f"{path.name} is not a readable CSV: {exc}") from exc


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


def _numeric(df: pd.DataFrame, col: str) -> np.ndarray:
    """A column as floats, or an error naming the first bad value."""
    values = pd.to_numeric(df[col], errors="coerce")
    bad = values.isna() & df[col].notna()
    if bad.any():
        raise MmmDataError(f"column '{col}' is not numeric (e.g. {df[col][bad].iloc[0]!r} in row {int(bad.idxmax()) + 1})")
    if values.isna().any():
        raise MmmDataError(f"column '{col}' has {int(values.isna().sum())} empty value(s)")
    return values.to_numpy(dtype=float)


def _check_spend(name: str, x: np.ndarray) -> None:
    """Spend must be non-negative and vary, else its effect cannot be estimated."""
    if np.any(x < 0):
        raise MmmDataError(f"column '{SPEND_PREFIX}{name}' has negative spend in {int((x < 0).sum())} week(s)")
    if np.ptp(x) == 0:
        raise MmmDataError(f"column '{SPEND_PREFIX}{name}' is constant ({x[0]:g} every week); drop it")


def load_weekly(source: Path | str | pd.DataFrame, target: str = "leads", date_col: str | None = None) -> WeeklyData:
    """Validate a weekly table and split it into dates, spend, controls and target.

    Controls are every other numeric, non-constant column that is not a known KPI.
    Raises MmmDataError with a message a user can act on.
    """
    df = _read(source)
    if df.empty:
        raise MmmDataError("the table has no rows")
    dcol = _find_date_col(df, date_col)
    dates = pd.to_datetime(df[dcol], errors="coerce")
    if dates.isna().any():
        raise MmmDataError(f"date column '{dcol}' has unparseable values (e.g. {df[dcol][dates.isna()].iloc[0]!r})")
    order = np.argsort(dates.to_numpy(), kind="stable")
    df, dates = df.iloc[order].reset_index(drop=True), pd.DatetimeIndex(dates.iloc[order])
    if dates.has_duplicates:
        raise MmmDataError(f"date column '{dcol}' repeats dates; the table must have one row per week")
    if len(df) < MIN_WEEKS:
        raise MmmDataError(f"only {len(df)} weeks of data; the model needs at least {MIN_WEEKS}")
    spend_cols = [c for c in df.columns if c.startswith(SPEND_PREFIX)]
    if not spend_cols:
        raise MmmDataError(f"no spend columns: name media spend columns '{SPEND_PREFIX}<channel>'")
    if target not in df.columns:
        raise MmmDataError(f"target column '{target}' not found; columns are {list(df.columns)}")
    y = _numeric(df, target)
    if np.any(y < 0):
        raise MmmDataError(f"target '{target}' has negative values")
    if np.ptp(y) == 0:
        raise MmmDataError(f"target '{target}' is constant; there is nothing to explain")
    channels = tuple(c[len(SPEND_PREFIX):] for c in spend_cols)
    spend = pd.DataFrame({ch: _numeric(df, col) for ch, col in zip(channels, spend_cols)})
    for ch in channels:
        _check_spend(ch, spend[ch].to_numpy())
    controls = {}
    for col in df.columns:
        if col in (dcol, target) or col.startswith(SPEND_PREFIX) or col in KPI_COLUMNS:
            continue
        values = pd.to_numeric(df[col], errors="coerce")
        if values.notna().all() and np.ptp(values.to_numpy(dtype=float)) > 0:
            controls[col] = values.to_numpy(dtype=float)  # text or constant columns are ignored, not errors
    return WeeklyData(dates=dates, spend=spend, controls=pd.DataFrame(controls), target=y,
                      target_name=target, channels=channels)
