"""The MMM dashboard's budget sweep: the optimal plan and its KPI and profit from 0.5× to 2× today's total."""

from __future__ import annotations

import streamlit as st

from core.mmm import MmmFit
from core.mmm.sweep import BudgetSweep, budget_sweep
from core.mmm.units import DatasetUnits
from core.viz import mmm_charts as charts
from core.viz.format import currency_name, money, money_full, ratio

LimitsKey = tuple[tuple[str, float | None, float | None], ...]


@st.cache_data(show_spinner="Optimising every total from 0.5× to 2× today…", max_entries=32)
def _sweep(dataset_key: str, value_per_unit: float, share: float, limits: LimitsKey, _fit: MmmFit) -> BudgetSweep:
    """The sweep of one fit (identified by its dataset key), value, share and limits; kept across reruns."""
    return budget_sweep(_fit, value_per_unit=value_per_unit, share=share,
                        limits={ch: (lo, hi) for ch, lo, hi in limits} or None)


def _verdict(sweep: BudgetSweep, units: DatasetUnits) -> str:
    """One sentence on where the plan breaks even and which total makes the most profit."""
    cur = units.currency
    best = sweep.best
    lowest, highest = sweep.points[0], sweep.points[-1]
    if sweep.break_even:
        even = "Break-even (ROI 1) at " + " and ".join(money_full(t, cur) for t in sweep.break_even) + "."
    elif lowest.profit < 0:
        even = (f"No total from {money(lowest.total, currency=cur)} to {money(highest.total, currency=cur)} breaks "
                f"even: even the smallest returns {ratio(lowest.roi, cur)} per {currency_name(cur)}.")
    else:
        even = f"Every total up to {money(highest.total, currency=cur)} pays for itself."
    edge = " (the low end of the range: spending less loses less)" if best is lowest and best.profit < 0 else ""
    return (f"{even} Most profit at {money_full(best.total, cur)}{edge}: {best.kpi:,.0f} {units.kpi_name}, "
            f"profit {money(best.profit, currency=cur)}.")


def sweep_panel(fit: MmmFit, units: DatasetUnits, dataset_key: str, share: float,
                limits: dict[str, tuple[float | None, float | None]], colors: charts.Colors) -> None:
    """The sweep's charts and its verdict, within the optimiser's share and limits."""
    st.caption("For each total budget the optimiser's plan within the same ± share and limits as above; the band "
               "is the 90% band of what the model credits to media (bootstrap refits). Profit = contribution × "
               f"{money_full(units.value_per_unit, units.currency, decimals=None)} − spend.")
    key: LimitsKey = tuple((ch, lo, hi) for ch, (lo, hi) in sorted(limits.items()))
    try:
        sweep = _sweep(dataset_key, units.value_per_unit, share, key, fit)
    except ValueError as exc:
        st.error(f"Could not sweep the budget: {exc}")
        return
    if not sweep.points:
        st.warning("No total from 0.5× to 2× today can be spent within the per-channel limits.")
        return
    st.markdown(_verdict(sweep, units))
    if sweep.infeasible:
        st.caption(f"{len(sweep.infeasible)} total(s) left out: the per-channel limits cannot spend them.")
    st.plotly_chart(charts.sweep_chart(sweep.frame(), today_total=sweep.today_total, break_even=sweep.break_even,
                                       best_total=sweep.best.total, currency=units.currency,
                                       kpi_name=units.kpi_name), key="sweep_chart")
    st.plotly_chart(charts.sweep_allocation_chart(sweep.allocations(), colors, units.currency),
                    key="sweep_allocation_chart")
