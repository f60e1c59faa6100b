"""Plan-period KPI as a function of each channel's plan-period budget (what-if, curves, optimizer).

A budget A_c for channel c scales its plan-period weekly spend pattern by A_c / S_c
(S_c = actual plan spend; a channel dark in the plan is spread evenly). Weeks before
the plan keep their actual spend, so their carry-over into the plan is kept too.
Adstock is linear, so adstock(x_pre + k x_plan) = adstock(x_pre) + k adstock(x_plan):
both parts are computed once and every budget is then only a Hill evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.mmm.types import ChannelHyper, MmmFit

MARGINAL_STEP = 0.01  # marginal ROI: return on 1% more plan-period budget
MIN_STEP = 1.0  # £; marginal step for a channel with no budget


@dataclass(frozen=True)
class Response:
    """Precomputed carry-over pieces for the plan weeks, channels in fit order."""

    channels: tuple[str, ...]
    current: np.ndarray  # (C,) plan-period spend
    pre: np.ndarray  # (C, P) adstock of pre-plan spend, on plan weeks
    unit: np.ndarray  # (C, P) adstock of the plan pattern per £ of plan budget
    half_sat: np.ndarray
    slope: np.ndarray
    beta: np.ndarray

    def kpi(self, budgets: np.ndarray) -> np.ndarray:
        """Plan-period KPI from each channel for budgets of shape (C,) or (N, C) -> same leading shape."""
        b = np.asarray(budgets, dtype=float)
        carried = self.pre + b[..., :, None] * self.unit
        xs = np.clip(carried, 0, None) ** self.slope[:, None]
        k = self.half_sat[:, None] ** self.slope[:, None]
        return self.beta * (xs / (xs + k)).sum(axis=-1)

    @property
    def dark(self) -> np.ndarray:
        """(C,) True for channels with no plan-period spend."""
        return self.current <= 0

    def marginal(self, budgets: np.ndarray) -> np.ndarray:
        """KPI per extra £ of plan budget, per channel, at the given budgets (C,); NaN for channels dark in the plan.

        A dark channel's curve is an assumed even spread read at £0, where a concave curve is steepest: not a
        measurement of how the channel performs now, yet it would top any "best next pound" list. NaN keeps it out.
        """
        b = np.asarray(budgets, dtype=float)
        step = np.maximum(b * MARGINAL_STEP, MIN_STEP)
        bumped = b[None, :] + np.diag(step)
        slope = (np.diag(self.kpi(bumped)) - self.kpi(b)) / step
        return np.where(self.dark, np.nan, slope)


def _pieces(x: np.ndarray, hp: ChannelHyper, plan: slice) -> tuple[np.ndarray, np.ndarray, float]:
    """(adstock of pre-plan spend, adstock per £ of plan budget, current plan spend), on plan weeks."""
    pre_x, plan_x = x.copy(), np.zeros_like(x)
    pre_x[plan], plan_x[plan] = 0.0, x[plan]
    current = float(plan_x.sum())
    if current <= 0:
        plan_x[plan] = 1.0  # dark channel: a budget would be spread evenly
    pattern = plan_x / plan_x.sum()
    return hp.adstock(pre_x)[plan], hp.adstock(pattern)[plan], current


def response(fit: MmmFit, hyper: dict[str, ChannelHyper] | None = None, beta: dict[str, float] | None = None
             ) -> Response:
    """The plan-period response of a fit (or of one bootstrap draw's parameters)."""
    hyper, beta = hyper or fit.hyper, beta or fit.beta
    pieces = [_pieces(fit.data.spend[ch].to_numpy(dtype=float), hyper[ch], fit.plan) for ch in fit.channels]
    return Response(
        channels=fit.channels,
        current=np.array([p[2] for p in pieces]),
        pre=np.stack([p[0] for p in pieces]),
        unit=np.stack([p[1] for p in pieces]),
        half_sat=np.array([hyper[ch].half_sat for ch in fit.channels]),
        slope=np.array([hyper[ch].slope for ch in fit.channels]),
        beta=np.array([beta[ch] for ch in fit.channels]),
    )

