"""The world's calendar: model weeks, days, the plan year, and the UK car-market seasonality index."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.domain import PLAN_WEEKS
from core.synth.facts import DARK_DAYS, FIRST_WEEK, N_WEEKS


def week_starts() -> pd.DatetimeIndex:
    """The Mondays that start each model week."""
    return pd.date_range(FIRST_WEEK, periods=N_WEEKS, freq="7D")


def last_day() -> date:
    """The final day covered by a model week (a Sunday)."""
    return FIRST_WEEK + timedelta(days=7 * N_WEEKS - 1)


def plan_start() -> date:
    """First day of the plan year: the last PLAN_WEEKS model weeks."""
    return FIRST_WEEK + timedelta(days=7 * (N_WEEKS - PLAN_WEEKS))


def days() -> pd.DatetimeIndex:
    """Every day covered by the model weeks."""
    return pd.date_range(FIRST_WEEK, last_day(), freq="D")


def week_of(dates: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Model-week index (0-based) of each date; dates outside the weeks map outside 0..N_WEEKS-1."""
    delta = (pd.DatetimeIndex(dates) - pd.Timestamp(FIRST_WEEK)).days
    return np.floor_divide(np.asarray(delta), 7)


def monday_of(dates: pd.Series) -> pd.Series:
    """The Monday starting each date's week."""
    d = pd.to_datetime(dates)
    return (d - pd.to_timedelta(d.dt.weekday, unit="D")).dt.normalize()


def dark_mask(index: pd.DatetimeIndex) -> np.ndarray:
    """True on the days no media runs (between the two years)."""
    return np.isin(index.date, np.array(DARK_DAYS))


def seasonality(index: pd.DatetimeIndex) -> np.ndarray:
    """UK plate-change seasonality in [-1, 1]: peaks in March and September, a dip at Christmas.

    s(d) = exp(-((doy-75)/22)²) + exp(-((doy-250)/22)²) − 0.6·exp(-((doy-358)/10)²), centred to mean 0 and
    scaled so its largest absolute value is 1 over a year.
    """
    doy = np.asarray(index.dayofyear, dtype=float) + 3.0  # weeks are indexed by Monday; centre on Thursday
    raw = (np.exp(-(((doy - 75) / 22) ** 2)) + np.exp(-(((doy - 250) / 22) ** 2))
           - 0.6 * np.exp(-(((doy - 358) / 10) ** 2)))
    year = np.arange(1, 366, dtype=float)
    ref = (np.exp(-(((year - 75) / 22) ** 2)) + np.exp(-(((year - 250) / 22) ** 2))
           - 0.6 * np.exp(-(((year - 358) / 10) ** 2)))
    centred = raw - ref.mean()
    return centred / np.abs(ref - ref.mean()).max()
