"""Budget re-allocation (SLSQP, multi-start) and what-if prediction on the fitted response.

The optimiser's plan is in whole currency units (finer for small-number spend) and its KPI is computed from that rounded plan, so the plan
typed or loaded anywhere else (the dashboard's sliders, a what-if) reproduces the optimiser's number exactly.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping

import numpy as np
from scipy.optimize import minimize

from core.mmm.outputs import INTERVAL, INTERVAL_SCALE
from core.mmm.scenario import Response, response
from core.mmm.types import MmmFit, Optimization, WhatIf

N_STARTS = 6  # current allocation plus random feasible starts
TOTAL_RTOL = 1e-9  # the total is restored to this after the solver's own tolerance
DEFAULT_SHARE = 0.3  # each channel may move ± this share of its current spend unless given its own limits
WHOLE_UNITS_FROM = 10_000.0  # plans of at least this total are in whole currency units
PLAN_DIGITS = 7  # smaller totals (spend in thousands or index points) keep this many significant figures
BOUND_EPS = 1e-9  # relative slack when rounding bounds to whole units (0.7 × 6e6 is 4199999.9999999995)

# channel -> (min, max) plan-period spend in money; None on either side keeps that side's ± share default
ChannelLimits = Mapping[str, tuple[float | None, float | None]]


def plan_bounds(channels: tuple[str, ...], current: np.ndarray, total: float, *, share: float = DEFAULT_SHARE,
                limits: ChannelLimits | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) spend per channel: ± share of its current spend, or the channel's own min and/or max in money.

    Raises ValueError for a share outside [0, 1), a limit on an unknown channel, min > max or a negative min, and
    when no allocation within the limits sums to the total.
    """
    if not 0 <= share < 1:
        raise ValueError("bounds must be in [0, 1), e.g. 0.3 for ±30%")
    limits = dict(limits or {})
    unknown = set(limits) - set(channels)
    if unknown:
        raise ValueError(f"limits for unknown channel(s) {sorted(unknown)}; channels are {list(channels)}")
    lo, hi = current * (1 - share), current * (1 + share)
    for c, ch in enumerate(channels):
        if ch in limits:
            given_low, given_high = limits[ch]
            # one side given: the other keeps its default unless that would cross the given side
            high = float(max(hi[c], given_low or 0.0) if given_high is None else given_high)
            low = float(min(lo[c], high) if given_low is None else given_low)
            if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or low > high:
                raise ValueError(f"{ch}: the limits must satisfy 0 ≤ min ≤ max (got {low:,.0f} and {high:,.0f})")
            lo[c], hi[c] = low, high
    slack = TOTAL_RTOL * max(total, 1.0)
    if lo.sum() > total + slack or hi.sum() < total - slack:
        raise ValueError(f"no plan within the limits spends {total:,.0f}: the minimums add up to {lo.sum():,.0f} "
                         f"and the maximums to {hi.sum():,.0f}")
    return lo, hi


def _repair(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """Clip into bounds and spread any gap to the total over channels with room, until exact."""
    x = np.clip(x, lo, hi)
    for _ in range(50):
        gap = total - x.sum()
        if abs(gap) <= TOTAL_RTOL * max(total, 1.0):
            break
        room = (hi - x) if gap > 0 else (x - lo)
        if room.sum() <= 0:
            break
        x = np.clip(x + gap * room / room.sum(), lo, hi)
    return x


def plan_unit(total: float) -> float:
    """The step a plan is rounded to: one currency unit, or finer for a file whose spend is in small numbers."""
    if not math.isfinite(total) or total <= 0 or total >= WHOLE_UNITS_FROM:
        return 1.0
    return min(1.0, 10.0 ** (math.floor(math.log10(total)) + 1 - PLAN_DIGITS))


def whole_units(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """x rounded to whole plan units summing to the total rounded, each within its bounds rounded inwards.

    The unit is plan_unit(total): whole currency units, finer for a file whose yearly spend is e.g. 19.03.

    Each channel moves by less than two units from x: the units the rounding lost or gained go, one at a time,
    to the channels rounding moved furthest from x (largest remainder), never past a bound.
    """
    unit = plan_unit(total)
    tol = BOUND_EPS * np.maximum(np.abs(x), 1.0)
    lo_u, hi_u = np.ceil((lo - tol) / unit), np.floor((hi + tol) / unit)
    near = np.round(x / unit)
    narrow = lo_u > hi_u  # a window under one unit wide holds no whole unit: take the nearest
    lo_u, hi_u = np.where(narrow, near, lo_u), np.where(narrow, near, hi_u)
    y = np.clip(near, lo_u, hi_u)
    gap = int(round(total / unit - y.sum()))
    for _ in range(2 * len(x) + abs(gap)):
        if gap == 0:
            break
        step = 1 if gap > 0 else -1
        room = (hi_u - y) if step > 0 else (y - lo_u)
        pull = np.where(room >= 1, (x / unit - y) * step, -np.inf)
        i = int(np.argmax(pull))
        if not np.isfinite(pull[i]):
            break
        y[i] += step
        gap -= step
    return y * unit


def _gradient(r: Response, budgets: np.ndarray) -> np.ndarray:
    """d KPI_c / d budget_c for each channel: beta · Σ_plan hill'(pre + b·unit) · unit.

    hill(x) = x^s / (x^s + k^s), so hill'(x) = s x^(s-1) k^s / (x^s + k^s)^2.
    """
    x = np.maximum(r.pre + budgets[:, None] * r.unit, 1e-12)  # x > 0: slopes below 1 are steep, not infinite
    s, k = r.slope[:, None], r.half_sat[:, None] ** r.slope[:, None]
    xs = x ** s
    return r.beta * (s * xs / x * k / (xs + k) ** 2 * r.unit).sum(axis=1)


def allocate(r: Response, lo: np.ndarray, hi: np.ndarray, total: float, starts: list[np.ndarray]) -> np.ndarray:
    """The budgets within [lo, hi] summing to total with the most plan-period KPI, best over the starts."""
    # Shares of the total against KPI relative to the first start's: the solver sees numbers near 1 (unscaled,
    # SLSQP stops on "positive directional derivative" short of the optimum).
    scale = total if total > 0 else 1.0
    norm = max(float(r.kpi(_repair(starts[0], lo, hi, total)).sum()), 1e-12)

    def negative_kpi(u: np.ndarray) -> float:
        return -float(r.kpi(u * scale).sum()) / norm

    def negative_gradient(u: np.ndarray) -> np.ndarray:
        return -_gradient(r, u * scale) * scale / norm

    def solve_from(x0: np.ndarray) -> np.ndarray:
        res = minimize(negative_kpi, x0 / scale, jac=negative_gradient, method="SLSQP",
                       bounds=list(zip(lo / scale, hi / scale)),
                       constraints=[{"type": "eq", "fun": lambda u: u.sum() - total / scale,
                                     "jac": lambda u: np.ones_like(u)}],
                       options={"ftol": 1e-12, "maxiter": 300})
        return _repair(res.x * scale, lo, hi, total)

    solutions = [solve_from(_repair(x0, lo, hi, total)) for x0 in starts]
    return max(solutions, key=lambda x: float(r.kpi(x).sum()))  # first of equals: the first start's solution


def random_starts(lo: np.ndarray, hi: np.ndarray, total: float, rng: np.random.Generator, n: int) -> list[np.ndarray]:
    """n random points inside the bounds, each summing to the total."""
    return [_repair(lo + rng.random(len(lo)) * (hi - lo), lo, hi, total) for _ in range(n)]


def optimize_budget(fit: MmmFit, *, value_per_unit: float, total_budget: float | None = None,
                    bounds: float = DEFAULT_SHARE, limits: ChannelLimits | None = None, seed: int = 0
                    ) -> Optimization:
    """Maximise plan-period KPI for a fixed total, each channel within ±bounds of its current spend or within its
    own (min, max) in `limits`; the plan is in whole currency units.

    With a different total, "current" is the current mix scaled to that total (and ± bounds applies to that).
    """
    r = response(fit)
    spent = r.current.sum()
    total = float(spent if total_budget is None else total_budget)
    if total <= 0 or spent <= 0:
        raise ValueError("the budget to allocate must be positive")
    current = r.current * total / spent
    lo, hi = plan_bounds(fit.channels, current, total, share=bounds, limits=limits)
    starts = [current, *random_starts(lo, hi, total, np.random.default_rng(seed), N_STARTS - 1)]
    best = whole_units(allocate(r, lo, hi, total, starts), lo, hi, total)
    return _result(fit, r, current, best, value_per_unit)


def _result(fit: MmmFit, r: Response, current: np.ndarray, optimal: np.ndarray, value: float) -> Optimization:
    """Package allocations, plan KPI (baseline included) and marginal ROI (money per money) at both."""
    base = float(fit.baseline[fit.plan].sum())
    kpi_now, kpi_opt = base + float(r.kpi(current).sum()), base + float(r.kpi(optimal).sum())
    chans = fit.channels
    return Optimization(
        current=dict(zip(chans, map(float, current))), optimal=dict(zip(chans, map(float, optimal))),
        current_kpi=kpi_now, optimal_kpi=kpi_opt, uplift_pct=(kpi_opt / kpi_now - 1) * 100,
        marginal_roi_current=dict(zip(chans, map(float, r.marginal(current) * value))),
        marginal_roi_optimal=dict(zip(chans, map(float, r.marginal(optimal) * value))),
    )


def whatif(fit: MmmFit, allocation: dict[str, float], *, value_per_unit: float) -> WhatIf:
    """Plan-period KPI and revenue for plan-period spend per channel (omitted channels keep current spend).

    baseline_kpi is the prediction at the current allocation; delta compares against it. The KPI is computed
    exactly as the optimiser computes its own, so its plan gives its number to the last digit.
    """
    unknown = set(allocation) - set(fit.channels)
    if unknown:
        raise ValueError(f"unknown channel(s) {sorted(unknown)}; channels are {list(fit.channels)}")
    if any(v < 0 for v in allocation.values()):
        raise ValueError("spend cannot be negative")
    r = response(fit)
    budgets = np.array([allocation.get(ch, r.current[c]) for c, ch in enumerate(fit.channels)], dtype=float)
    base = float(fit.baseline[fit.plan].sum())
    kpi, now = base + float(r.kpi(budgets).sum()), base + float(r.kpi(r.current).sum())
    low, high = delta_band(fit, budgets, kpi - now)
    return WhatIf(kpi=kpi, revenue=kpi * value_per_unit, baseline_kpi=now, delta_kpi=kpi - now,
                  delta_pct=(kpi / now - 1) * 100 if now else 0.0, delta_low=low, delta_high=high)


_DRAW_RESPONSES: dict[int, tuple[weakref.ref[MmmFit], list[Response]]] = {}


def draw_responses(fit: MmmFit) -> list[Response]:
    """Each bootstrap draw's plan-period response, computed once per fit (a slider what-if reuses them)."""
    cached = _DRAW_RESPONSES.get(id(fit))
    if cached is not None and cached[0]() is fit:
        return cached[1]
    responses = [response(fit, hyper, beta) for hyper, beta in fit.draws]
    _DRAW_RESPONSES[id(fit)] = (weakref.ref(fit), responses)
    weakref.finalize(fit, _DRAW_RESPONSES.pop, id(fit), None)
    return responses


def widen(estimate: float, low: float, high: float) -> tuple[float, float]:
    """A bootstrap percentile band widened about the estimate by INTERVAL_SCALE (the block bootstrap
    under-covers; the factor is the one the ROI intervals use)."""
    return (estimate - INTERVAL_SCALE * max(estimate - low, 0.0), estimate + INTERVAL_SCALE * max(high - estimate, 0.0))


def delta_band(fit: MmmFit, budgets: np.ndarray, delta: float) -> tuple[float, float]:
    """90% band of the KPI change for these budgets: each bootstrap refit's change, widened about the estimate."""
    if not fit.draws:
        return float("nan"), float("nan")
    changes = [float(r.kpi(budgets).sum() - r.kpi(r.current).sum()) for r in draw_responses(fit)]
    lo, hi = np.percentile(changes, INTERVAL)
    return widen(delta, float(lo), float(hi))
