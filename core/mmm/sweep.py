"""Budget sweep (Robyn's and Meridian's "what if the total changed"), share of spend against share of effect, and
the decomposition of a plan's KPI into baseline and channels (a waterfall).

Profit counts what the model credits to media in the plan year, the same contribution the ROI table divides by
spend: profit = contribution · value_per_unit − spend, so profit is 0 exactly where ROI = 1 (break-even).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.mmm.optimize import (
    DEFAULT_SHARE,
    ChannelLimits,
    allocate,
    draw_responses,
    plan_bounds,
    whole_units,
    widen,
)
from core.mmm.outputs import INTERVAL
from core.mmm.scenario import Response, response
from core.mmm.types import MmmFit

SWEEP_MULTIPLES: tuple[float, ...] = tuple(float(m) for m in np.round(np.arange(0.5, 2.0 + 1e-9, 0.1), 2))
BASELINE = "baseline"  # the decomposition's first part: the KPI without media
TOTAL = "total"


@dataclass(frozen=True)
class SweepPoint:
    """The optimal plan for one total and what it is predicted to bring (90% bands from the bootstrap refits)."""

    multiple: float  # of today's total
    total: float
    allocation: dict[str, float]
    kpi: float  # plan-year KPI, baseline included
    kpi_low: float
    kpi_high: float
    contribution: float  # plan-year KPI the model credits to media
    profit: float  # contribution · value − total
    profit_low: float
    profit_high: float
    roi: float  # contribution · value / total: money back per money spent on the whole plan


@dataclass(frozen=True)
class BudgetSweep:
    """Optimal plans from 0.5× to 2× today's total, with break-even and the most profitable total."""

    points: tuple[SweepPoint, ...]
    channels: tuple[str, ...]
    today_total: float
    value_per_unit: float
    infeasible: tuple[float, ...] = field(default_factory=tuple)  # totals no plan within the limits can spend

    @property
    def break_even(self) -> tuple[float, ...]:
        """Totals where profit crosses zero (ROI = 1), read linearly between sweep points; empty if none."""
        out = []
        for a, b in zip(self.points, self.points[1:]):
            if (a.profit > 0) != (b.profit > 0):
                out.append(a.total + (b.total - a.total) * a.profit / (a.profit - b.profit))
        return tuple(out)

    @property
    def best(self) -> SweepPoint:
        """The sweep point with the most profit."""
        return max(self.points, key=lambda p: p.profit)

    def frame(self) -> pd.DataFrame:
        """One row per total: multiple, total, kpi (with band), contribution, profit (with band), roi."""
        return pd.DataFrame([{"multiple": p.multiple, "total": p.total, "kpi": p.kpi, "kpi_low": p.kpi_low,
                              "kpi_high": p.kpi_high, "contribution": p.contribution, "profit": p.profit,
                              "profit_low": p.profit_low, "profit_high": p.profit_high, "roi": p.roi}
                             for p in self.points])

    def allocations(self) -> pd.DataFrame:
        """One row per total (column total), one column per channel: the optimal plan."""
        return pd.DataFrame([{"total": p.total, **p.allocation} for p in self.points], columns=["total", *self.channels])


def _contribution_band(draws: list[Response], budgets: np.ndarray, contribution: float) -> tuple[float, float]:
    """90% band of the media contribution for these budgets from each bootstrap refit (NaN without draws)."""
    if not draws:
        return float("nan"), float("nan")
    lo, hi = np.percentile([float(d.kpi(budgets).sum()) for d in draws], INTERVAL)
    return widen(contribution, float(lo), float(hi))


def budget_sweep(fit: MmmFit, *, value_per_unit: float, multiples: tuple[float, ...] = SWEEP_MULTIPLES,
                 share: float = DEFAULT_SHARE, limits: ChannelLimits | None = None) -> BudgetSweep:
    """The optimiser's plan for each multiple of today's total, within ± share of today's mix scaled to that total
    (or each channel's own (min, max)); totals the limits cannot hold are listed in `infeasible`.

    Each point starts from today's mix scaled to its total and from the previous point's plan scaled likewise.
    """
    r = response(fit)
    today = float(r.current.sum())
    if today <= 0:
        raise ValueError("the budget sweep needs spend in the plan year")
    base = float(fit.baseline[fit.plan].sum())
    draws = draw_responses(fit)
    points: list[SweepPoint] = []
    infeasible: list[float] = []
    previous: np.ndarray | None = None
    for m in sorted(multiples):
        total = today * m
        mix = r.current * m
        try:
            lo, hi = plan_bounds(fit.channels, mix, total, share=share, limits=limits)
        except ValueError:
            if limits is None:
                raise
            infeasible.append(total)
            continue
        starts = [mix] + ([previous * total / previous.sum()] if previous is not None and previous.sum() > 0 else [])
        plan = whole_units(allocate(r, lo, hi, total, starts), lo, hi, total)
        previous = plan
        contribution = float(r.kpi(plan).sum())
        low, high = _contribution_band(draws, plan, contribution)
        spent = float(plan.sum())
        points.append(SweepPoint(
            multiple=float(m), total=spent, allocation=dict(zip(fit.channels, map(float, plan))),
            kpi=base + contribution, kpi_low=base + low, kpi_high=base + high, contribution=contribution,
            profit=contribution * value_per_unit - spent, profit_low=low * value_per_unit - spent,
            profit_high=high * value_per_unit - spent,
            roi=contribution * value_per_unit / spent if spent > 0 else float("nan")))
    return BudgetSweep(tuple(points), fit.channels, today, value_per_unit, tuple(infeasible))


def _budgets(fit: MmmFit, r: Response, allocation: Mapping[str, float] | None) -> np.ndarray:
    """Plan budgets in fit order: the allocation's, today's for channels it leaves out."""
    allocation = allocation or {}
    unknown = set(allocation) - set(fit.channels)
    if unknown:
        raise ValueError(f"unknown channel(s) {sorted(unknown)}; channels are {list(fit.channels)}")
    return np.array([float(allocation.get(ch, r.current[c])) for c, ch in enumerate(fit.channels)])


def spend_effect_shares(fit: MmmFit, *, value_per_unit: float, allocation: Mapping[str, float] | None = None
                        ) -> pd.DataFrame:
    """Per channel: spend and its share of all spend, contribution and its share of all media effect, and ROI.

    A channel whose share of effect is above its share of spend returns more than the average channel.
    """
    r = response(fit)
    budgets = _budgets(fit, r, allocation)
    contrib = r.kpi(budgets)
    with np.errstate(divide="ignore", invalid="ignore"):
        roi = np.where(budgets > 0, contrib * value_per_unit / budgets, np.nan)
    return pd.DataFrame({"channel": list(fit.channels), "spend": budgets,
                         "spend_share": budgets / budgets.sum() if budgets.sum() > 0 else np.nan,
                         "contribution": contrib,
                         "effect_share": contrib / contrib.sum() if contrib.sum() > 0 else np.nan, "roi": roi})


def decomposition(fit: MmmFit, allocation: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The plan year's predicted KPI as a waterfall: baseline, then each channel, then the total.

    Columns part, kind ("baseline" | "channel" | "total"), kpi, start and end (the running sum before and after);
    the total's end equals what-if's prediction for the same allocation.
    """
    r = response(fit)
    parts = [(BASELINE, "baseline", float(fit.baseline[fit.plan].sum()))]
    parts += [(ch, "channel", float(v)) for ch, v in zip(fit.channels, r.kpi(_budgets(fit, r, allocation)))]
    ends = np.cumsum([v for _, _, v in parts])
    rows = [{"part": p, "kind": k, "kpi": v, "start": e - v, "end": e} for (p, k, v), e in zip(parts, ends)]
    rows.append({"part": TOTAL, "kind": "total", "kpi": float(ends[-1]), "start": 0.0, "end": float(ends[-1])})
    return pd.DataFrame(rows)
