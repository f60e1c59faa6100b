"""Candidate transforms per channel: every grid point's saturated column, precomputed once.

Media columns are scaled so a regression coefficient of 1 means the channel's
plan-period ROI equals the reference ROI (plan KPI / plan spend). That puts all
channels on one scale, which is what lets the fit shrink ROIs toward a shared value.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from core.mmm.data import WeeklyData
from core.mmm.types import AdstockKind, ChannelHyper, FitConfig, plan_rows


@dataclass(frozen=True)
class Candidates:
    """For each channel c and grid point g: the hyperparameters and the scaled column (C, G, T)."""

    hypers: list[list[ChannelHyper]]
    columns: np.ndarray  # (C, G, T), in units of mean KPI per unit coefficient
    to_beta: np.ndarray  # (C, G): beta_c = coef * to_beta[c, g]
    prior_cost: np.ndarray  # (C, G): how far each candidate sits from typical media transforms
    y_scale: float  # the KPI is divided by this (its mean) before fitting


def _adstock_settings(config: FitConfig) -> list[dict]:
    """The adstock parameter sets to try."""
    if config.adstock is AdstockKind.WEIBULL:
        return [{"shape": k, "scale": s, "decay": 0.0} for k, s in itertools.product(config.weibull_shapes, config.weibull_scales)]
    return [{"decay": d} for d in config.decays]


PRIOR_DECAY = (0.35, 0.25)  # (centre, sd): typical weekly carry-over
PRIOR_LOG_HALF_SAT = (0.0, 0.6)  # log of half_sat / mean adstocked spend
PRIOR_SLOPE = (1.25, 0.4)


def prior_cost(hp: ChannelHyper, half_sat_multiple: float) -> float:
    """Squared standardised distance of a candidate from typical values (a Gaussian log-prior, times -2)."""
    z = [(np.log(half_sat_multiple) - PRIOR_LOG_HALF_SAT[0]) / PRIOR_LOG_HALF_SAT[1],
         (hp.slope - PRIOR_SLOPE[0]) / PRIOR_SLOPE[1]]
    if hp.kind is AdstockKind.GEOMETRIC:
        z.append((hp.decay - PRIOR_DECAY[0]) / PRIOR_DECAY[1])
    return float(np.sum(np.square(z)))


def channel_grid(x: np.ndarray, config: FitConfig) -> list[tuple[ChannelHyper, float]]:
    """All (hyperparameters, prior cost) for one spend series; half_sat is scaled to its mean adstocked spend."""
    out = []
    for ad in _adstock_settings(config):
        probe = ChannelHyper(config.adstock, half_sat=1.0, slope=1.0, **ad)
        carried = probe.adstock(x)
        ref = float(carried[carried > 0].mean()) if np.any(carried > 0) else 1.0
        for mult, slope in itertools.product(config.half_sats, config.slopes):
            hp = ChannelHyper(config.adstock, half_sat=mult * ref, slope=slope, **ad)
            out.append((hp, prior_cost(hp, mult)))
    return out


def build_candidates(data: WeeklyData, config: FitConfig,
                     fixed: dict[str, ChannelHyper] | None = None) -> Candidates:
    """Precompute every candidate column for every channel (only `fixed[ch]`, e.g. the truth, when given)."""
    if fixed is not None and set(fixed) != set(data.channels):
        raise ValueError("fixed transforms must cover every channel")
    plan = plan_rows(data.weeks)
    spend = data.spend.to_numpy(dtype=float)
    y_scale = float(data.target.mean())
    plan_spend = spend[plan].sum(axis=0)
    # Channels dark in the plan period are normalised over all weeks instead.
    use_plan = plan_spend > 0
    ref_roi = data.target[plan].sum() / max(plan_spend.sum(), 1e-9)
    hypers, cols, to_beta, costs = [], [], [], []
    for c, ch in enumerate(data.channels):
        x = spend[:, c]
        pairs = [(fixed[ch], 0.0)] if fixed else channel_grid(x, config)
        grid = [hp for hp, _ in pairs]
        rows = plan if use_plan[c] else slice(0, data.weeks)
        s_c = x[rows].sum()
        h = np.stack([hp.saturated(x) for hp in grid])  # (G, T)
        h_sum = np.maximum(h[:, rows].sum(axis=1), 1e-12)
        scale = s_c * ref_roi / h_sum  # KPI units per unit coefficient per unit h
        hypers.append(grid)
        cols.append(h * (scale / y_scale)[:, None])
        to_beta.append(scale)
        costs.append([cost for _, cost in pairs])
    return Candidates(hypers, np.stack(cols), np.stack(to_beta), np.array(costs), y_scale)
