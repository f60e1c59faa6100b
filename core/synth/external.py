"""External drivers: weekly UK economic indicators and competitors' estimated media spend."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from core.domain import PLAN_WEEKS
from core.synth.calendar import seasonality, week_starts
from core.synth.facts import COMPETITORS

# Bank of England base rate decisions in the window: (effective from, rate %).
BANK_RATE = ((date(2023, 8, 3), 5.25), (date(2024, 8, 1), 5.0), (date(2024, 11, 7), 4.75), (date(2025, 2, 6), 4.5),
             (date(2025, 5, 8), 4.25), (date(2025, 8, 7), 4.0), (date(2025, 11, 6), 3.75))
COMPETITOR_SCALE = {"BYD": 260_000, "Tesla": 90_000, "MG": 210_000, "Polestar": 70_000, "Kia": 240_000}
COMPETITOR_MIX = {"tv": 0.45, "digital": 0.4, "ooh": 0.15}


def bank_rate(weeks: pd.DatetimeIndex) -> np.ndarray:
    """The base rate in force on each Monday."""
    out = np.empty(len(weeks))
    for i, d in enumerate(weeks.date):
        out[i] = [rate for start, rate in BANK_RATE if start <= d][-1]
    return out


def economic_indicators(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly indicators: GfK consumer confidence (random walk), base rate, CPI, petrol price, EV share."""
    weeks = week_starts()
    n = len(weeks)
    confidence = np.clip(-24 + np.cumsum(rng.normal(0.15, 1.1, n)), -35, -5)
    t = np.arange(n) / PLAN_WEEKS
    return pd.DataFrame({
        "week_start": weeks.strftime("%Y-%m-%d"),
        "consumer_confidence": np.round(confidence, 1),
        "bank_rate": bank_rate(weeks),
        "cpi_inflation": np.round(3.8 - 1.0 * t + rng.normal(0, 0.15, n), 1),
        "petrol_price_ppl": np.round(145 - 4 * t + np.cumsum(rng.normal(0, 0.6, n)), 1),
        "ev_market_share_pct": np.round(15.5 + 3.2 * t + rng.normal(0, 0.6, n), 1),
        "seasonality_index": np.round(seasonality(weeks), 4),
    })


def competitor_spend(rng: np.random.Generator) -> pd.DataFrame:
    """Weekly estimated spend per competitor and channel (share of voice data)."""
    weeks = week_starts()
    rows = []
    for comp in COMPETITORS:
        level = COMPETITOR_SCALE[comp] * (1 + 0.3 * seasonality(weeks)) * rng.lognormal(0, 0.25, len(weeks))
        for ch, share in COMPETITOR_MIX.items():
            spend = np.round(level * share * rng.lognormal(0, 0.15, len(weeks)), -2)
            rows.append(pd.DataFrame({"week_start": weeks.strftime("%Y-%m-%d"), "competitor": comp, "channel": ch,
                                      "estimated_spend": spend, "source": "Nielsen AdDynamix (estimate)"}))
    return pd.concat(rows, ignore_index=True).sort_values(["week_start", "competitor", "channel"],
                                                          kind="stable").reset_index(drop=True)
