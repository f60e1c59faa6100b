"""The scenario planner's state: one exact budget per channel and the callbacks that keep every widget in step.

One exact budget per channel lives in session_state (PLAN); every widget is a view of it. Widgets are given no
default value: their state is written before they are created (at start, and in the callbacks, which Streamlit
runs before the script), so a loaded plan is held to the unit and Streamlit never warns that a widget was set
twice. The what-if reads PLAN itself, not a slider's rounded position.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from core.mmm import MmmFit, optimize_budget
from core.mmm.optimize import DEFAULT_SHARE
from core.mmm.units import DatasetUnits
from core.viz.format import money, nice_step

PLAN, PLAN_OWNER = "plan_budget", "plan_dataset"
SLIDER, AMOUNT, PCT = "whatif_{}", "plan_amt_{}", "plan_pct_{}"
TOTAL, TOTAL_PCT = "plan_total", "plan_total_pct"
OPT, OPT_ERROR = "mmm_opt", "mmm_opt_error"
SHARE, LOW, HIGH = "opt_bound", "opt_min_{}", "opt_max_{}"
STEPS = 100  # a key press moves a slider by about 1/STEPS of the channel's own spend

state = st.session_state


@dataclass(frozen=True)
class Planner:
    """What the planner's callbacks and views share: the fit, its units and today's plan-year spend."""

    fit: MmmFit
    units: DatasetUnits
    today: dict[str, float]

    @property
    def today_total(self) -> float:
        """Today's plan-year total."""
        return sum(self.today.values())

    def money(self, value: float) -> str:
        """Compact money in the dataset's currency."""
        return money(value, currency=self.units.currency)

    def step(self, ch: str) -> float:
        """A round slider step near 1/STEPS of the channel's spend (of an average channel's when it is dark)."""
        scale = self.today[ch] or self.today_total / max(len(self.today), 1)
        return nice_step(scale, STEPS)


def _pct(value: float, base: float) -> float:
    """% change of value against base (0 when there is no base)."""
    return 100.0 * (value / base - 1.0) if base > 0 else 0.0


def _write_channel(p: Planner, ch: str, value: float) -> None:
    """One channel's budget and its three widgets (slider, amount, % change)."""
    state[PLAN] = {**state[PLAN], ch: float(value)}
    state[SLIDER.format(ch)] = float(value)
    state[AMOUNT.format(ch)] = float(value)
    state[PCT.format(ch)] = _pct(value, p.today[ch])


def _write_total(p: Planner) -> None:
    """The total's widgets from the plan."""
    total = sum(state[PLAN].values())
    state[TOTAL] = total
    state[TOTAL_PCT] = _pct(total, p.today_total)


def sync(p: Planner, budgets: Mapping[str, float]) -> None:
    """Make budgets the plan and write every planner widget's state from it."""
    state[PLAN] = {ch: float(budgets[ch]) for ch in p.today}
    for ch in p.today:
        _write_channel(p, ch, budgets[ch])
    _write_total(p)


def ensure_plan(p: Planner, owner: str) -> None:
    """Start from today's spend for a new dataset; re-write widget state Streamlit dropped (another page)."""
    plan = state.get(PLAN)
    if state.get(PLAN_OWNER) != owner or not isinstance(plan, dict) or set(plan) != set(p.today):
        state[PLAN_OWNER] = owner
        state.pop(OPT, None)
        state.pop(OPT_ERROR, None)
        sync(p, p.today)
    elif any(SLIDER.format(ch) not in state for ch in p.today) or TOTAL not in state:
        sync(p, plan)


def _set_channel(p: Planner, ch: str, value: float | None) -> None:
    """One channel's budget changed (never below 0). Other channels' widgets are left alone: their own change
    may be waiting in this same rerun for its callback."""
    _write_channel(p, ch, max(float(value or 0.0), 0.0))
    _write_total(p)


def on_slider(p: Planner, ch: str) -> None:
    """A slider moved."""
    _set_channel(p, ch, state[SLIDER.format(ch)])


def on_amount(p: Planner, ch: str) -> None:
    """An amount was typed."""
    _set_channel(p, ch, state[AMOUNT.format(ch)])


def on_pct(p: Planner, ch: str) -> None:
    """A % change against today was typed."""
    _set_channel(p, ch, p.today[ch] * (1 + float(state[PCT.format(ch)] or 0.0) / 100))


def _scale_total(p: Planner, total: float) -> None:
    """A new total keeps the plan's mix (today's mix when the plan is empty)."""
    plan, total = state[PLAN], max(float(total), 0.0)
    mix = plan if sum(plan.values()) > 0 else p.today
    if sum(mix.values()) <= 0:
        return  # nothing to scale: no plan and no spend today
    sync(p, {ch: v * total / sum(mix.values()) for ch, v in mix.items()})


def on_total(p: Planner) -> None:
    """A total was typed."""
    _scale_total(p, state[TOTAL] or 0.0)


def on_total_pct(p: Planner) -> None:
    """A % change of the total was typed."""
    _scale_total(p, p.today_total * (1 + float(state[TOTAL_PCT] or 0.0) / 100))


def limits(channels: tuple[str, ...] | list[str]) -> dict[str, tuple[float | None, float | None]]:
    """The per-channel limits typed for the optimiser (None: that side keeps the ± share)."""
    out = {}
    for ch in channels:
        low, high = state.get(LOW.format(ch)), state.get(HIGH.format(ch))
        if low is not None or high is not None:
            out[ch] = (low, high)
    return out


def share() -> float:
    """The optimiser's allowed change per channel (± share of today's mix)."""
    return float(state.get(SHARE, DEFAULT_SHARE))


def optimise(p: Planner) -> None:
    """Run the optimiser on the plan's total within the limits (a button callback: the result shows at the top)."""
    state.pop(OPT_ERROR, None)
    try:
        state[OPT] = optimize_budget(p.fit, value_per_unit=p.units.value_per_unit, total_budget=sum(state[PLAN].values()),
                                     bounds=share(), limits=limits(list(p.today)))
    except ValueError as exc:
        state.pop(OPT, None)
        state[OPT_ERROR] = str(exc)
