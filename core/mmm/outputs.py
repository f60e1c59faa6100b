"""Read-outs of a fit: ROI table with intervals, diagnostics, importance, decomposition and curves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.mmm.scenario import response
from core.mmm.types import MmmFit

INTERVAL = (5.0, 95.0)  # percentiles of the 90% interval
INTERVAL_SCALE = 1.9  # smallest widening reaching 90% coverage on 30 held-out simulated worlds (seeds 1000–1029)
CURVE_MAX_MULTIPLE = 2.0  # response curves run from 0 to twice current plan spend


def current_allocation(fit: MmmFit) -> dict[str, float]:
    """Plan-period (last PLAN_WEEKS weeks) spend per channel."""
    return {ch: float(fit.data.spend[ch].to_numpy()[fit.plan].sum()) for ch in fit.channels}


def _roi_marginal(fit: MmmFit, hyper=None, beta=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Plan contribution, ROI and marginal ROI (KPI per £) per channel for the fit or one draw."""
    r = response(fit, hyper, beta)
    contrib = r.kpi(r.current)
    spend = np.where(r.current > 0, r.current, np.nan)
    return contrib, contrib / spend, r.marginal(r.current)


def raw_roi_intervals(fit: MmmFit, value_per_unit: float) -> pd.DataFrame:
    """The ROI table with the bootstrap's own 5th–95th percentile interval (before calibration)."""
    contrib, roi, marginal = _roi_marginal(fit)
    if fit.draws:
        draws = np.array([_roi_marginal(fit, h, b)[1] for h, b in fit.draws])
        low, high = np.percentile(draws, INTERVAL, axis=0)
    else:
        low = high = np.full(len(roi), np.nan)
    spend = np.array(list(current_allocation(fit).values()))
    with np.errstate(divide="ignore", invalid="ignore"):
        cost = np.where(contrib > 0, spend / contrib, np.inf)
    cost = np.where(spend > 0, cost, np.nan)  # a dark channel's leads are carry-over: £0 per lead is not a price
    return pd.DataFrame({
        "channel": list(fit.channels), "spend": spend, "contribution": contrib,
        "roi": roi * value_per_unit, "roi_low": low * value_per_unit, "roi_high": high * value_per_unit,
        "marginal_roi": marginal * value_per_unit, "cost_per_unit": cost,
    })


def roi_table(fit: MmmFit, value_per_unit: float) -> pd.DataFrame:
    """Per channel over the plan period: spend, contribution, £ ROI with 90% interval, marginal ROI, cost per unit.

    A channel with no plan-period spend has NaN ROI, marginal ROI and cost per unit: nothing was bought to compare.

    roi = contribution · value_per_unit / spend (£ back per £ spent). The interval is the bootstrap's
    5th–95th percentile widened about the estimate by INTERVAL_SCALE (the block bootstrap under-covers;
    the factor is measured on held-out simulated worlds by scripts/calibrate_mmm_intervals.py). NaN without draws.
    """
    t = raw_roi_intervals(fit, value_per_unit)
    t["roi_low"] = np.maximum(t.roi - INTERVAL_SCALE * np.maximum(t.roi - t.roi_low, 0), 0.0)
    t["roi_high"] = t.roi + INTERVAL_SCALE * np.maximum(t.roi_high - t.roi, 0)
    return t


def ranked(table: pd.DataFrame, by: str = "marginal_roi") -> list[str]:
    """Channels of a roi_table best first by a column, leaving out those without a comparable value (NaN)."""
    comparable = table[np.isfinite(table[by].to_numpy(dtype=float))]
    return list(comparable.sort_values(by, ascending=False, kind="stable").channel)


def fit_diagnostics(fit: MmmFit) -> dict:
    """In-sample R², adjusted R², NRMSE (RMSE / range), MAPE (%), holdout MAPE (%) and weeks."""
    y, f = fit.data.target, fit.fitted
    n = len(y)
    sse = float(np.sum((y - f) ** 2))
    r2 = 1 - sse / float(np.sum((y - y.mean()) ** 2))
    n_params = fit.baseline_matrix.shape[1] + sum(b > 0 for b in fit.beta.values())
    adj = 1 - (1 - r2) * (n - 1) / max(n - n_params - 1, 1)
    ok = y > 0
    return {
        "r_squared": r2, "adj_r_squared": adj,
        "nrmse": float(np.sqrt(sse / n) / np.ptp(y)),
        "mape": float(np.mean(np.abs(y[ok] - f[ok]) / y[ok]) * 100),
        "holdout_mape": fit.holdout_mape, "cv_rmse": fit.cv_rmse, "weeks": n,
    }


def contributions(fit: MmmFit) -> pd.DataFrame:
    """Weekly decomposition: week_start, baseline, then KPI from each channel."""
    out = pd.DataFrame({"week_start": fit.data.dates, "baseline": fit.baseline})
    for ch in fit.channels:
        out[ch] = fit.channel_contribution(ch)
    return out


def coefficients(fit: MmmFit) -> dict[str, float]:
    """Baseline coefficients (KPI units per unit of the z-scored regressor) and media betas."""
    return {**dict(zip(fit.baseline_names, map(float, fit.baseline_coef))), **fit.beta}


def coefficient_magnitudes(fit: MmmFit) -> dict[str, float]:
    """Importance of every regressor: mean |weekly effect|, normalised to sum to 1, largest first.

    Ridge has no p-values; the size of each term's effect on the KPI is the honest ranking.
    The intercept is left out (it is the level, not a driver).
    """
    sizes = {name: float(np.mean(np.abs(fit.baseline_matrix[:, i] * fit.baseline_coef[i])))
             for i, name in enumerate(fit.baseline_names) if name != "intercept"}
    sizes |= {ch: float(np.mean(np.abs(fit.channel_contribution(ch)))) for ch in fit.channels}
    total = sum(sizes.values()) or 1.0
    return dict(sorted(((k, v / total) for k, v in sizes.items()), key=lambda kv: -kv[1]))


def fitted_vs_actual(fit: MmmFit) -> pd.DataFrame:
    """week_start, actual and fitted KPI."""
    return pd.DataFrame({"week_start": fit.data.dates, "actual": fit.data.target, "fitted": fit.fitted})


def response_curves(fit: MmmFit, points: int = 41) -> dict[str, pd.DataFrame]:
    """Per channel: plan-period budget (0 … 2× current) against plan-period incremental KPI."""
    r = response(fit)
    multiples = np.linspace(0.0, CURVE_MAX_MULTIPLE, points)
    out = {}
    for c, ch in enumerate(fit.channels):
        budgets = np.tile(r.current, (points, 1))
        budgets[:, c] = multiples * r.current[c]
        kpi = r.kpi(budgets)[:, c] - r.kpi(np.where(np.arange(len(r.current)) == c, 0.0, r.current))[c]
        out[ch] = pd.DataFrame({"spend": budgets[:, c], "kpi": kpi})
    return out


def adstock_curves(fit: MmmFit) -> dict[str, dict[str, np.ndarray]]:
    """Per channel weekly arrays: raw spend, adstocked spend (£) and saturated level hill(adstock) in [0, 1)."""
    out = {}
    for ch in fit.channels:
        x = fit.data.spend[ch].to_numpy(dtype=float)
        hp = fit.hyper[ch]
        out[ch] = {"raw": x, "adstocked": hp.adstock(x), "saturated": hp.saturated(x)}
    return out


CARRYOVER_SHARE = 0.9  # "how long does it keep working": weeks until this share of a burst's effect has landed
PULSE_WEEKS = 52  # long enough for any fitted decay to die out


def carryover_table(fit: MmmFit) -> pd.DataFrame:
    """Per channel: how long a week's spend keeps working, and how saturated the channel is in the plan year.

    From the fitted adstock's response to a one-week pulse w_l (l = 0, 1, …, normalised to sum to 1):
    half_life_weeks = the lag at which w_l has fallen to half of its peak; weeks_to_90 = the smallest L with
    Σ_{l<L} w_l ≥ CARRYOVER_SHARE. saturation = mean over plan weeks of hill(adstock(spend)) in [0, 1):
    near 1, the channel sits on the flat part of its curve (its ceiling).
    """
    rows = []
    pulse = np.zeros(PULSE_WEEKS)
    pulse[0] = 1.0
    for ch in fit.channels:
        hp = fit.hyper[ch]
        w = hp.adstock(pulse)
        w = w / w.sum() if w.sum() > 0 else pulse
        peak = int(np.argmax(w))
        below = np.flatnonzero(w[peak:] <= w[peak] / 2)
        x = fit.data.spend[ch].to_numpy(dtype=float)
        rows.append({"channel": ch, "adstock": hp.kind.value, "decay": hp.decay,
                     "half_life_weeks": int(below[0]) if len(below) else PULSE_WEEKS,
                     "weeks_to_90": int(np.searchsorted(np.cumsum(w), CARRYOVER_SHARE) + 1),
                     "saturation": float(np.mean(hp.saturated(x)[fit.plan]))})
    return pd.DataFrame(rows)


BREAK_EVEN_ROI = 1.0  # money back per money spent at which a channel pays for itself


def below_break_even(table: pd.DataFrame) -> list[str]:
    """Channels of a roi_table whose ROI is below break-even; channels without an ROI (dark) are left out."""
    roi = table.roi.to_numpy(dtype=float)
    return [ch for ch, v in zip(table.channel, roi) if np.isfinite(v) and v < BREAK_EVEN_ROI]


def all_below_break_even(table: pd.DataFrame) -> bool:
    """True when every channel with an ROI returns less than it costs (and at least one has an ROI)."""
    comparable = int(np.isfinite(table.roi.to_numpy(dtype=float)).sum())
    return comparable > 0 and len(below_break_even(table)) == comparable
