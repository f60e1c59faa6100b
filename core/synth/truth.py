"""The leads KPI drawn from known media effects, baseline and controls, and the ground truth that records them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.domain import PLAN_WEEKS, SPEND_PREFIX
from core.mmm.transforms import geometric_adstock, media_response
from core.synth import facts as F

MARGINAL_STEP = 0.01  # marginal ROI: effect of 1% more plan-year spend


@dataclass(frozen=True)
class ChannelTruth:
    """A channel's true response parameters (half_sat in £ of adstocked weekly spend)."""

    decay: float
    half_sat: float
    slope: float
    beta: float


def plan_slice() -> slice:
    """Rows of the plan year (last PLAN_WEEKS weeks)."""
    return slice(F.N_WEEKS - PLAN_WEEKS, F.N_WEEKS)


def solve_truth(spend: pd.DataFrame) -> dict[str, ChannelTruth]:
    """Per channel: half_sat from its scale, beta solved so the plan-year ROI equals the channel's target ROI."""
    out = {}
    for ch in F.CHANNELS:
        x = spend[f"{SPEND_PREFIX}{ch.key}"].to_numpy()
        ad = geometric_adstock(x, ch.decay)
        half_sat = float(ch.half_sat * ad[ad > 0].mean())
        unit = media_response(x, ch.decay, half_sat, ch.slope, 1.0)[plan_slice()].sum()
        beta = ch.roi * x[plan_slice()].sum() / (F.VALUE_PER_LEAD * unit)
        out[ch.key] = ChannelTruth(ch.decay, half_sat, ch.slope, float(beta))
    return out


def contributions(spend: pd.DataFrame, truth: dict[str, ChannelTruth]) -> pd.DataFrame:
    """Expected weekly leads from each channel."""
    return pd.DataFrame({k: media_response(spend[f"{SPEND_PREFIX}{k}"].to_numpy(), t.decay, t.half_sat, t.slope, t.beta)
                         for k, t in truth.items()})


def baseline(controls: pd.DataFrame) -> np.ndarray:
    """Expected weekly leads without media: level·(1 + trend)·(1 + seasonality) plus control effects."""
    t = np.arange(len(controls)) / PLAN_WEEKS
    level = F.BASE_LEADS * (1 + F.TREND_PER_YEAR * t) * (1 + F.SEASON_AMPLITUDE * controls.seasonality.to_numpy())
    effects = (F.CONFIDENCE_EFFECT * (controls.consumer_confidence - controls.consumer_confidence.mean())
               + F.BANK_RATE_EFFECT * (controls.bank_rate - controls.bank_rate.mean())
               + F.COMPETITOR_EFFECT * (controls.competitor_spend - controls.competitor_spend.mean()))
    return level + effects.to_numpy()


def draw_leads(expected: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Observed weekly leads: expected leads with multiplicative log-normal noise, rounded to counts."""
    return np.maximum(0, np.round(expected * rng.lognormal(0.0, F.NOISE_SD, len(expected)))).astype(int)


def ground_truth(spend: pd.DataFrame, truth: dict[str, ChannelTruth], base: np.ndarray, seed: int) -> dict:
    """The recorded truth: parameters, plan-year spend, contribution, ROI and marginal ROI per channel."""
    plan = plan_slice()
    contrib = contributions(spend, truth)
    channels = {}
    for k, t in truth.items():
        x = spend[f"{SPEND_PREFIX}{k}"].to_numpy()
        bumped = x.copy()
        bumped[plan] *= 1 + MARGINAL_STEP
        extra = media_response(bumped, t.decay, t.half_sat, t.slope, t.beta)[plan].sum() - contrib[k][plan].sum()
        plan_spend = float(x[plan].sum())
        channels[k] = {
            "decay": t.decay, "half_sat": round(t.half_sat, 4), "slope": t.slope, "beta": round(t.beta, 6),
            "spend": round(plan_spend, 2), "contribution": round(float(contrib[k][plan].sum()), 4),
            "roi": round(float(contrib[k][plan].sum()) * F.VALUE_PER_LEAD / plan_spend, 6),
            "marginal_roi": round(extra * F.VALUE_PER_LEAD / (MARGINAL_STEP * plan_spend), 6),
        }
    return {
        "seed": seed, "kpi": "leads", "value_per_lead": F.VALUE_PER_LEAD, "weeks": F.N_WEEKS,
        "plan_weeks": PLAN_WEEKS, "plan_start": str(spend.week_start.iloc[plan.start]),
        "adstock": "geometric_normalized", "saturation": "hill",
        "response": "leads = baseline + sum_c beta_c * hill(adstock(spend_c, decay_c), half_sat_c, slope_c)",
        "channels": channels,
        "baseline": {
            "base_leads": F.BASE_LEADS, "trend_per_year": F.TREND_PER_YEAR,
            "season_amplitude": F.SEASON_AMPLITUDE, "consumer_confidence_effect": F.CONFIDENCE_EFFECT,
            "bank_rate_effect": F.BANK_RATE_EFFECT, "competitor_spend_effect": F.COMPETITOR_EFFECT,
            "noise_sd": F.NOISE_SD, "plan_leads": round(float(base[plan].sum()), 2),
        },
    }
