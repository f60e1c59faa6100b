"""The MMM dashboard's scenario planner: results first (what-if with its band, the optimiser's plan, break-even),
then a typed amount, a % change and a slider per channel and for the total, then the optimiser with its
per-channel limits. The state behind every widget is in ui.mmm_plan_state.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.domain import channel_label
from core.mmm import Optimization, WhatIf, whatif
from core.mmm.optimize import DEFAULT_SHARE
from core.mmm.outputs import BREAK_EVEN_ROI, all_below_break_even
from core.mmm.sweep import decomposition
from core.viz import mmm_charts as charts
from core.viz.format import currency_name, money_full, nice_step, ratio, singular
from ui.mmm_plan_state import (
    AMOUNT,
    HIGH,
    LOW,
    OPT,
    OPT_ERROR,
    PCT,
    PLAN,
    SHARE,
    SLIDER,
    STEPS,
    TOTAL,
    TOTAL_PCT,
    Planner,
    on_amount,
    on_pct,
    on_slider,
    on_total,
    on_total_pct,
    optimise,
    sync,
)

SLIDER_SPAN = 2.0  # a slider runs from 0 to twice today's spend; typing goes further
state = st.session_state


def _signed(x: float) -> str:
    """+1,234 / -56 / +0 (never "-0")."""
    return f"{x if abs(x) >= 0.5 else 0.0:+,.0f}"


def _band(w: WhatIf, kpi: str) -> str:
    """'90% band of the change −120 to +340 leads (98,637–99,097)' or a note that there is none."""
    if math.isnan(w.delta_low):
        return "no 90% band: the fit has no bootstrap refits"
    low, high = w.baseline_kpi + w.delta_low, w.baseline_kpi + w.delta_high
    return (f"90% band of the change {_signed(w.delta_low)} to {_signed(w.delta_high)} {kpi} "
            f"({low:,.0f}–{high:,.0f}; bootstrap refits)")


def _whatif_results(p: Planner) -> None:
    """The plan's predicted KPI with its band, its value and its budget against today."""
    kpi, cur = p.units.kpi_name, p.units.currency
    plan = state[PLAN]
    result = whatif(p.fit, plan, value_per_unit=p.units.value_per_unit)
    m = st.columns(3)
    m[0].metric(f"Predicted {kpi} (plan year)", f"{result.kpi:,.0f}",
                delta=f"{result.delta_kpi:+,.0f} ({result.delta_pct:+.1f}%)", help="Change against today's spend")
    m[1].metric(f"Value at {money_full(p.units.value_per_unit, cur, decimals=None)} per {singular(kpi)}",
                p.money(result.revenue))
    total_new = sum(plan.values())
    change = total_new - p.today_total
    m[2].metric("Budget (plan year)", money_full(total_new, cur), delta=p.money(change) if abs(change) >= 1 else None,
                delta_color="inverse")
    st.caption(f"This plan against today's: {_band(result, kpi)}.")


def _optimiser_results(p: Planner) -> None:
    """The optimiser's plan (if run for this data) and the button that loads it into the sliders."""
    if state.get(OPT_ERROR):
        st.error(f"Could not optimise: {state[OPT_ERROR]}")
    opt: Optimization | None = state.get(OPT)
    if opt is None or set(opt.optimal) != set(p.today):
        return
    kpi = p.units.kpi_name
    against_today = whatif(p.fit, opt.optimal, value_per_unit=p.units.value_per_unit)
    c1, c2 = st.columns([2, 1])
    c1.metric(f"Predicted {kpi} with the optimised plan", f"{opt.optimal_kpi:,.0f}",
              delta=f"{opt.uplift_pct:+.1f}% vs {opt.current_kpi:,.0f}",
              help="Against today's mix scaled to the same total")
    c1.caption(f"The optimised plan against today's: {_band(against_today, kpi)}.")
    total = sum(opt.optimal.values())
    loaded = state[PLAN] == opt.optimal
    c2.button("Load this plan into the sliders", key="opt_apply", on_click=sync, args=(p, opt.optimal),
              disabled=loaded, width="stretch")
    c2.caption(f"Plan total {money_full(total, p.units.currency)}" + (" · loaded in the sliders" if loaded else ""))


def _break_even_line(p: Planner, roi: pd.DataFrame) -> None:
    """Say so when no channel pays for itself at this value per KPI unit."""
    if not all_below_break_even(roi):
        return
    best = roi.loc[roi.roi.idxmax()]
    cur, kpi = p.units.currency, singular(p.units.kpi_name)
    st.warning(f"Every channel's ROI is below break-even ({ratio(BREAK_EVEN_ROI, cur)} back per "
               f"{currency_name(cur)}) at {money_full(p.units.value_per_unit, cur, decimals=None)} per {kpi}: the best, "
               f"{channel_label(str(best.channel))}, returns {ratio(float(best.roi), cur)}. More budget adds "
               f"{p.units.kpi_name} but loses money; the budget sweep shows the most profitable total.",
               icon=":material/trending_down:")


def _total_inputs(p: Planner) -> None:
    """The plan's total as a typed amount and a % change against today, and a reset."""
    c = st.columns([3, 2, 1.3])
    c[0].number_input(f"Total budget, plan year ({currency_name(p.units.currency)})", min_value=0.0,
                      step=nice_step(p.today_total, STEPS), format="%.0f", key=TOTAL, on_change=on_total, args=(p,),
                      help=f"Today {money_full(p.today_total, p.units.currency)}; a new total keeps the plan's mix.")
    c[1].number_input("Total: % change vs today", min_value=-100.0, step=1.0, format="%.1f", key=TOTAL_PCT,
                      on_change=on_total_pct, args=(p,))
    c[2].button("Reset to today", key="whatif_reset", on_click=sync, args=(p, p.today),
                width="stretch")


def _channel_inputs(p: Planner) -> None:
    """Per channel: a slider, the exact amount and the % change against today, kept in step."""
    cur = currency_name(p.units.currency)
    for ch, now in p.today.items():
        step = p.step(ch)
        value = state[PLAN][ch]
        top = max(math.ceil(max(SLIDER_SPAN * now, value, step) / step) * step, value)  # never below the value
        c = st.columns([3, 2, 1.3])
        c[0].slider(f"{channel_label(ch)} (today {p.money(now)})", min_value=0.0, max_value=float(top),
                    step=float(step), format="compact", key=SLIDER.format(ch), on_change=on_slider, args=(p, ch))
        c[1].number_input(f"{channel_label(ch)} amount ({cur})", min_value=0.0, step=float(step), format="%.0f",
                          key=AMOUNT.format(ch), on_change=on_amount, args=(p, ch))
        c[2].number_input(f"{channel_label(ch)} % vs today", min_value=-100.0, step=1.0, format="%.1f",
                          key=PCT.format(ch), on_change=on_pct, args=(p, ch), disabled=now <= 0,
                          help=None if now > 0 else "No spend today: type an amount instead.")


@st.fragment
def planner_panel(p: Planner, roi: pd.DataFrame, colors: charts.Colors) -> None:
    """Results at the top (what-if with its band, the optimiser's plan, break-even), then the inputs and the
    plan's decomposition; re-runs only this panel when an input moves."""
    _whatif_results(p)
    _optimiser_results(p)
    _break_even_line(p, roi)
    st.divider()
    _total_inputs(p)
    _channel_inputs(p)
    st.plotly_chart(charts.waterfall(decomposition(p.fit, state[PLAN]), colors, p.units.kpi_name),
                    key="waterfall_chart")


def optimiser_controls(p: Planner, colors: charts.Colors) -> None:
    """The optimiser's ± share and per-channel limits, its button, and its plan as a chart and a table."""
    cur = currency_name(p.units.currency)
    st.subheader("Optimiser")
    st.caption("Maximise the predicted KPI for the plan's total, each channel within ± the share of today's mix "
               "(scaled to that total) or within its own limits.")
    st.slider("Allowed change per channel", 0.05, 0.5, DEFAULT_SHARE, 0.05, format="±%.2f", key=SHARE)
    with st.expander("Per-channel limits (blank: ± the share above)"):
        for ch in p.today:
            c = st.columns([2, 2, 2])
            c[0].markdown(f"**{channel_label(ch)}** · today {p.money(p.today[ch])}")
            c[1].number_input(f"{channel_label(ch)} minimum ({cur})", min_value=0.0, value=None, step=p.step(ch),
                              format="%.0f", key=LOW.format(ch), placeholder="± share")
            c[2].number_input(f"{channel_label(ch)} maximum ({cur})", min_value=0.0, value=None, step=p.step(ch),
                              format="%.0f", key=HIGH.format(ch), placeholder="± share")
    st.button("Optimise", type="primary", icon=":material/auto_fix_high:", key="optimise", on_click=optimise,
              args=(p,))
    opt: Optimization | None = state.get(OPT)
    if opt is None or set(opt.optimal) != set(p.today):
        return
    st.plotly_chart(charts.allocation_bars(opt.current, opt.optimal, colors=colors, currency=p.units.currency),
                    key="opt_chart")
    st.dataframe(charts.allocation_table(opt.current, opt.optimal, opt.marginal_roi_current, opt.marginal_roi_optimal,
                                         currency=p.units.currency), hide_index=True, width="stretch",
                 column_config={"change %": st.column_config.NumberColumn(format="%+.1f%%"),
                                "marginal ROI now": st.column_config.NumberColumn(format="%.2f"),
                                "marginal ROI after": st.column_config.NumberColumn(format="%.2f")})
