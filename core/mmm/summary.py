"""Dashboard headline numbers straight from the weekly table (no model needed)."""

from __future__ import annotations

import pandas as pd

from core.domain import SPEND_PREFIX
from core.mmm.data import DATE_CANDIDATES


def _total(df: pd.DataFrame, col: str) -> float:
    """Sum of a numeric column, 0 when it is absent."""
    return float(pd.to_numeric(df[col], errors="coerce").fillna(0).sum()) if col in df.columns else 0.0


def summarize(df: pd.DataFrame) -> dict:
    """total_spend, total_units, total_revenue, total_leads, channel_breakdown (£ by channel),
    weekly_spend ([{week_start, spend}]) and weeks_of_data."""
    spend_cols = [c for c in df.columns if c.startswith(SPEND_PREFIX)]
    spend = df[spend_cols].apply(pd.to_numeric, errors="coerce").fillna(0)
    date_col = next((c for c in DATE_CANDIDATES if c in df.columns), None)
    weeks = df[date_col].astype(str) if date_col else pd.Series(range(len(df))).astype(str)
    weekly = spend.sum(axis=1)
    return {
        "total_spend": float(weekly.sum()),
        "total_units": _total(df, "units_sold"),
        "total_revenue": _total(df, "revenue"),
        "total_leads": _total(df, "leads"),
        "channel_breakdown": {c[len(SPEND_PREFIX):]: float(spend[c].sum()) for c in spend_cols},
        "weekly_spend": [{"week_start": w, "spend": float(s)} for w, s in zip(weeks, weekly)],
        "weeks_of_data": int(len(df)),
    }
