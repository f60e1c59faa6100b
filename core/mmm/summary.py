"""Headline numbers of a weekly table: straight from the file (dashboard) or from the data a model was fitted on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.domain import SPEND_PREFIX
from core.mmm.data import DATE_CANDIDATES, WeeklyData

WEEK_FORMAT = "%Y-%m-%d"
SALES_COLUMNS = ("units_sold", "revenue")  # the generated world's sales columns, which the model does not read


@dataclass(frozen=True)
class FittedSummary:
    """Totals of the weekly data a model was fitted on; KPI under its own column name, money in the data's currency."""

    total_spend: float
    channel_breakdown: dict[str, float]  # spend by channel key
    weeks_of_data: int
    first_week: str  # YYYY-MM-DD
    last_week: str
    kpi_name: str  # the fitted target column, e.g. 'leads' or 'sales'
    total_kpi: float
    total_units: float | None = None  # units_sold of the source table, when the caller passed it
    total_revenue: float | None = None  # revenue of the source table, when the caller passed it


def _total(df: pd.DataFrame, col: str) -> float:
    """Sum of a numeric column, 0 when it is absent."""
    return float(pd.to_numeric(df[col], errors="coerce").fillna(0).sum()) if col in df.columns else 0.0


def _spend_totals(spend: pd.DataFrame) -> tuple[pd.Series, dict[str, float]]:
    """Weekly spend (all channels) and total spend by channel, for a frame whose columns are channel keys."""
    return spend.sum(axis=1), {str(c): float(spend[c].sum()) for c in spend.columns}


def summarize(df: pd.DataFrame) -> dict:
    """total_spend, total_units, total_revenue, total_leads, channel_breakdown (£ by channel),
    weekly_spend ([{week_start, spend}]) and weeks_of_data."""
    spend_cols = [c for c in df.columns if c.startswith(SPEND_PREFIX)]
    spend = df[spend_cols].apply(pd.to_numeric, errors="coerce").fillna(0)
    weekly, by_channel = _spend_totals(spend.rename(columns=lambda c: c[len(SPEND_PREFIX):]))
    date_col = next((c for c in DATE_CANDIDATES if c in df.columns), None)
    weeks = df[date_col].astype(str) if date_col else pd.Series(range(len(df))).astype(str)
    return {
        "total_spend": float(weekly.sum()),
        "total_units": _total(df, "units_sold"),
        "total_revenue": _total(df, "revenue"),
        "total_leads": _total(df, "leads"),
        "channel_breakdown": by_channel,
        "weekly_spend": [{"week_start": w, "spend": float(s)} for w, s in zip(weeks, weekly)],
        "weeks_of_data": int(len(df)),
    }


def summarize_fitted(data: WeeklyData, source: pd.DataFrame | None = None) -> FittedSummary:
    """Spend, weeks and KPI total of the data a model was fitted on.

    `source` is the table `data` was read from, when the caller knows it: its units_sold and revenue columns
    (not modelled, so not in `data`) are added when present and not the KPI itself. Without it they stay None.
    """
    weekly, by_channel = _spend_totals(data.spend)
    extra = {col: _total(source, col) for col in SALES_COLUMNS
             if source is not None and col in source.columns and col != data.target_name}
    return FittedSummary(
        total_spend=float(weekly.sum()), channel_breakdown=by_channel, weeks_of_data=data.weeks,
        first_week=data.dates[0].strftime(WEEK_FORMAT), last_week=data.dates[-1].strftime(WEEK_FORMAT),
        kpi_name=data.target_name, total_kpi=float(np.sum(data.target)),
        total_units=extra.get("units_sold"), total_revenue=extra.get("revenue"))


def same_data(a: WeeklyData, b: WeeklyData) -> bool:
    """Same weeks, same channels with the same weekly spend, and the same KPI series (equal up to float rounding)."""
    return (a.target_name == b.target_name and a.channels == b.channels and a.dates.equals(b.dates)
            and np.allclose(a.spend.to_numpy(), b.spend.to_numpy()) and np.allclose(a.target, b.target))
