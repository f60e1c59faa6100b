"""Budget re-allocation (SLSQP, multi-start) and what-if prediction on the fitted response."""

from __future__ import annotations

import weakref

import numpy as np
from scipy.optimize import minimize

from core.mmm.outputs import INTERVAL, INTERVAL_SCALE
from core.mmm.scenario import Response, response
from core.mmm.types import MmmFit, Optimization, WhatIf

N_STARTS = 6  # current allocation plus random feasible starts
TOTAL_RTOL = 1e-9  # the total is restored to this after the solver's own tolerance


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


def _starts(lo: np.ndarray, hi: np.ndarray, total: float, current: np.ndarray, rng: np.random.Generator
            ) -> list[np.ndarray]:
    """The current allocation and random points inside the bounds, all summing to the total."""
    out = [_repair(current, lo, hi, total)]
    for _ in range(N_STARTS - 1):
        out.append(_repair(lo + rng.random(len(lo)) * (hi - lo), lo, hi, total))
    return out


def optimize_budget(fit: MmmFit, *, value_per_unit: float, total_budget: float | None = None, bounds: float = 0.3,
                    seed: int = 0) -> Optimization:
    """Maximise plan-period KPI keeping the total fixed and each channel within ±bounds of its current share.

    With a different total, "current" is the current mix scaled to that total.
    """
    r = response(fit)
    spent = r.current.sum()
    total = float(spent if total_budget is None else total_budget)
    if total <= 0 or spent <= 0:
        raise ValueError("the budget to allocate must be positive")
    if not 0 <= bounds < 1:
        raise ValueError("bounds must be in [0, 1), e.g. 0.3 for ±30%")
    current = r.current * total / spent
    lo, hi = current * (1 - bounds), current * (1 + bounds)
    scale = total  # optimise shares so the solver sees numbers near 1

    def negative_kpi(u: np.ndarray) -> float:
        return -float(r.kpi(u * scale).sum())

    def solve_from(x0: np.ndarray) -> np.ndarray:
        res = minimize(negative_kpi, x0 / scale, method="SLSQP", bounds=list(zip(lo / scale, hi / scale)),
                       constraints=[{"type": "eq", "fun": lambda u: u.sum() - 1.0}],
                       options={"ftol": 1e-12, "maxiter": 300})
        return _repair(res.x * scale, lo, hi, total)

    solutions = [solve_from(x0) for x0 in _starts(lo, hi, total, current, np.random.default_rng(seed))]
    best = max(solutions, key=lambda x: float(r.kpi(x).sum()))  # first of equals: the current-start solution
    return _result(fit, r, current, best, value_per_unit)


def _result(fit: MmmFit, r: Response, current: np.ndarray, optimal: np.ndarray, value: float) -> Optimization:
    """Package allocations, plan KPI (baseline included) and marginal £ ROI at both."""
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

    baseline_kpi is the prediction at the current allocation; delta compares against it.
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


def delta_band(fit: MmmFit, budgets: np.ndarray, delta: float) -> tuple[float, float]:
    """90% band of the KPI change for these budgets: each bootstrap refit's change, widened about the estimate
    by the same INTERVAL_SCALE as the ROI intervals (the block bootstrap under-covers)."""
    if not fit.draws:
        return float("nan"), float("nan")
    changes = [float(r.kpi(budgets).sum() - r.kpi(r.current).sum()) for r in draw_responses(fit)]
    lo, hi = np.percentile(changes, INTERVAL)
    return (delta - INTERVAL_SCALE * max(delta - lo, 0.0), delta + INTERVAL_SCALE * max(hi - delta, 0.0))
