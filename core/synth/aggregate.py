"""Weekly aggregates of the raw files: the one rule that turns raw media rows into model_ready spend."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.domain import SPEND_PREFIX
from core.synth.calendar import monday_of, week_starts
from core.synth.facts import CHANNEL_KEYS, DIGITAL_FILES, TRADITIONAL_FILES

CHANNEL_FILES = {**DIGITAL_FILES, **TRADITIONAL_FILES, "events": "events.csv"}
# Which date puts a row's spend in a week: the day it ran, the week bought, the insertion, the event start.
SPEND_DATE = {**{f: "date" for f in DIGITAL_FILES.values()}, "tv_performance.csv": "week_start",
              "ooh_performance.csv": "week_start", "radio_performance.csv": "week_start",
              "print_performance.csv": "insertion_date", "events.csv": "start_date"}
CONTROLS = ("seasonality", "consumer_confidence", "bank_rate", "competitor_spend")
KPIS = ("leads", "test_drives", "units_sold", "revenue")


def weekly_sum(df: pd.DataFrame, date_col: str, value_col: str) -> np.ndarray:
    """Sum of value_col per model week (weeks with no rows are 0)."""
    weeks = week_starts()
    if df.empty:
        return np.zeros(len(weeks))
    keyed = df.assign(_w=monday_of(df[date_col])).groupby("_w")[value_col].sum()
    return keyed.reindex(weeks, fill_value=0).to_numpy(dtype=float)


def weekly_count(dates: pd.Series) -> np.ndarray:
    """Rows per model week."""
    return weekly_sum(pd.DataFrame({"d": dates, "n": 1}), "d", "n").astype(int)


def weekly_spend(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """week_start plus spend_<channel> from the raw media files (keyed by file name), rounded to pence."""
    out = pd.DataFrame({"week_start": week_starts().strftime("%Y-%m-%d")})
    for ch in CHANNEL_KEYS:
        name = CHANNEL_FILES[ch]
        out[f"{SPEND_PREFIX}{ch}"] = np.round(weekly_sum(frames[name], SPEND_DATE[name], "spend"), 2)
    return out


def controls(economic: pd.DataFrame, competitors: pd.DataFrame) -> pd.DataFrame:
    """The model's weekly controls from the external files."""
    return pd.DataFrame({
        "seasonality": economic.seasonality_index.to_numpy(),
        "consumer_confidence": economic.consumer_confidence.to_numpy(),
        "bank_rate": economic.bank_rate.to_numpy(),
        "competitor_spend": weekly_sum(competitors, "week_start", "estimated_spend"),
    })
