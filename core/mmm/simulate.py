"""Small simulated worlds with known media truth, for the benchmark and the tests.

Each world draws its own decays, saturation, slopes, ROIs, spend patterns, baseline and
noise, and generates the KPI with the same `media_response` the model fits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.config import DEFAULT_VALUE_PER_LEAD
from core.domain import PLAN_WEEKS, SPEND_PREFIX, WEEKS_PER_YEAR
from core.mmm.transforms import geometric_adstock, media_response

SIM_VALUE_PER_UNIT = DEFAULT_VALUE_PER_LEAD  # the simulated KPI is leads, valued as the app's default
FLIGHTED_SHARE = 0.4  # share of channels bought in on/off flights (TV-like); the rest run always-on
TRUE_ROI_RANGE = (0.15, 1.2)  # each channel's plan-period £ ROI is drawn uniformly from this range


@dataclass(frozen=True)
class SimWorld:
    """A weekly table like model_ready.csv plus the true parameters and plan-period ROI per channel."""

    table: pd.DataFrame
    truth: dict[str, dict[str, float]]
    seed: int


def _spend_pattern(rng: np.random.Generator, weeks: int, flighted: bool) -> np.ndarray:
    """Relative weekly spend: on/off flights of a few weeks, or always-on with wobble and bursts."""
    if flighted:
        on = np.zeros(weeks, dtype=bool)
        t = int(rng.integers(0, 6))
        while t < weeks:
            length = int(rng.integers(2, 8))
            on[t:t + length] = True
            t += length + int(rng.integers(2, 8))
        return on * rng.lognormal(0, 0.3, weeks)
    level = np.exp(np.cumsum(rng.normal(0, 0.15, weeks)))  # slow drift in how much is bought
    bursts = 1 + (rng.random(weeks) < 0.1) * rng.uniform(0.5, 2.0, weeks)
    return level * bursts * rng.lognormal(0, 0.35, weeks)


def _plan_marginal(x: np.ndarray, p: dict, step: float = 0.01) -> float:
    """Extra plan-period KPI per £ from 1% more plan spend."""
    plan = slice(len(x) - PLAN_WEEKS, len(x))
    bumped = x.copy()
    bumped[plan] *= 1 + step
    base = media_response(x, p["decay"], p["half_sat"], p["slope"], p["beta"])[plan].sum()
    more = media_response(bumped, p["decay"], p["half_sat"], p["slope"], p["beta"])[plan].sum()
    return float((more - base) / (step * x[plan].sum()))


def simulate_world(seed: int, weeks: int = 104, n_channels: int = 9) -> SimWorld:
    """One world: ≥ 8 channels, random truth, KPI = baseline + media + multiplicative noise."""
    rng = np.random.default_rng(seed)
    plan = slice(weeks - PLAN_WEEKS, weeks)
    t = np.arange(weeks)
    season = np.sin(2 * np.pi * t / WEEKS_PER_YEAR + rng.uniform(0, 2 * np.pi))
    confidence = np.cumsum(rng.normal(0, 1.0, weeks))
    competitor = np.abs(rng.normal(5e5, 1.5e5, weeks))
    base_level = rng.uniform(300, 600)
    baseline = (base_level * (1 + rng.uniform(0, 0.3) * t / PLAN_WEEKS) * (1 + rng.uniform(0.05, 0.2) * season)
                + rng.uniform(1, 5) * (confidence - confidence.mean())
                - rng.uniform(0, 4e-5) * (competitor - competitor.mean()))
    budget = rng.uniform(8e6, 25e6)
    shares = rng.dirichlet(np.full(n_channels, 1.5))
    ramp = np.where(t < weeks - PLAN_WEEKS, rng.uniform(0.3, 0.8), 1.0)  # the year before the plan spends less
    table = pd.DataFrame({"week_start": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%Y-%m-%d")})
    truth, media = {}, np.zeros(weeks)
    for c in range(n_channels):
        key = f"ch{c + 1:02d}"
        pattern = _spend_pattern(rng, weeks, rng.random() < FLIGHTED_SHARE) * ramp
        x = np.round(pattern / pattern[plan].sum() * budget * shares[c], 2)
        p = {"decay": float(rng.uniform(0.05, 0.7)), "slope": float(rng.uniform(0.9, 1.8))}
        carried = geometric_adstock(x, p["decay"])
        p["half_sat"] = float(rng.uniform(0.6, 1.6) * carried[carried > 0].mean())
        roi = float(rng.uniform(*TRUE_ROI_RANGE))
        unit = media_response(x, p["decay"], p["half_sat"], p["slope"], 1.0)[plan].sum()
        p["beta"] = roi * x[plan].sum() / (SIM_VALUE_PER_UNIT * unit)
        contrib = media_response(x, p["decay"], p["half_sat"], p["slope"], p["beta"])
        media += contrib
        p |= {"roi": roi, "spend": float(x[plan].sum()), "contribution": float(contrib[plan].sum()),
              "marginal_roi": _plan_marginal(x, p) * SIM_VALUE_PER_UNIT}
        truth[key] = p
        table[f"{SPEND_PREFIX}{key}"] = x
    noise_sd = rng.uniform(0.03, 0.08)
    table["consumer_confidence"] = np.round(confidence, 3)
    table["competitor_spend"] = np.round(competitor, 0)
    table["leads"] = np.round((baseline + media) * rng.lognormal(0, noise_sd, weeks))
    return SimWorld(table, truth, seed)
