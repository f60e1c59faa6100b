"""MMM dashboard: what media spend did, the scenario planner and optimiser, the budget sweep, diagnostics, Ask MMM."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pandas as pd
import streamlit as st

from core.agents.ask import ask
from core.agents.types import Intent
from core.domain import channel_label
from core.mmm import (
    MmmFit,
    adstock_curves,
    contributions,
    current_allocation,
    fit_diagnostics,
    fitted_vs_actual,
    response_curves,
    roi_table,
    summarize,
)
from core.mmm.sweep import spend_effect_shares
from core.viz import mmm_charts as charts
from core.viz.format import compact, currency_name, money, money_full, singular
from ui.common import cached_fit, friendly, settings, toolbox
from ui.mmm_data import choose_dataset
from ui.mmm_plan_state import Planner, ensure_plan, limits, share
from ui.mmm_planner import optimiser_controls, planner_panel
from ui.mmm_sweep import sweep_panel

s = settings()
state = st.session_state
state.setdefault("mmm_session", uuid.uuid4().hex[:12])

st.title("Marketing mix model")
st.caption("What each channel's spend did to the KPI, with carry-over (adstock) and diminishing returns "
           "(saturation); ROI intervals from bootstrap refits. Type or slide a budget to test it.")

dataset = choose_dataset(s)
if dataset is None:
    st.stop()
units, target = dataset.units, dataset.target
loaded: MmmFit | None = None
with friendly("fit the marketing mix model"), st.spinner("Fitting the model (about half a minute the first time)…"):
    loaded = cached_fit(s, dataset.path, target)
if loaded is None:
    st.stop()
fit: MmmFit = loaded
cur, kpi = units.currency, units.kpi_name

table = pd.read_csv(dataset.path)
summary = summarize(table)
k = st.columns(5)
k[0].metric("Total spend", money(summary["total_spend"], currency=cur))
k[1].metric(kpi.capitalize(), compact(float(fit.data.target.sum())))
k[2].metric("Cars sold", compact(summary["total_units"]) if summary["total_units"] else "–")
k[3].metric("Revenue", money(summary["total_revenue"], currency=cur) if summary["total_revenue"] else "–")
k[4].metric("Weeks of data", summary["weeks_of_data"])

roi = roi_table(fit, value_per_unit=units.value_per_unit)
current = current_allocation(fit)
colors = charts.channel_colors(fit.channels)
planner = Planner(fit, units, current)
ensure_plan(planner, dataset.key)
tabs = st.tabs(["Scenario planner", "Budget sweep", "ROI", "Contributions", "Response curves", "Adstock",
                "Model fit", "Ask MMM"])

with tabs[0]:
    planner_panel(planner, roi, colors)
    st.divider()
    optimiser_controls(planner, colors)

with tabs[1]:
    sweep_panel(fit, units, dataset.key, share(), limits(list(current)), colors)

with tabs[2]:
    st.plotly_chart(charts.roi_bars(roi, colors, cur), key="roi_chart")
    st.dataframe(charts.roi_display(roi, cur), hide_index=True, width="stretch",
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in
                                ("ROI", "ROI low", "ROI high", "marginal ROI")}
                 | {"KPI units": st.column_config.NumberColumn(format="%.0f")})
    name = currency_name(cur)
    st.caption(f"ROI = {name} of KPI value ({money_full(units.value_per_unit, cur, decimals=None)} per "
               f"{singular(kpi)}) per {name} spent over the plan year (latest 52 weeks). Marginal ROI is the return "
               f"on the next {name}; below 1 a channel returns less than it costs.")
    st.plotly_chart(charts.share_chart(spend_effect_shares(fit, value_per_unit=units.value_per_unit), colors),
                    key="share_chart")

with tabs[3]:
    st.plotly_chart(charts.contribution_area(contributions(fit), colors), key="contrib_chart")
    st.plotly_chart(charts.weekly_spend(table, table.columns[0] if "week_start" not in table else "week_start",
                                        colors, cur), key="spend_chart")

with tabs[4]:
    st.plotly_chart(charts.response_curves(response_curves(fit), current, colors, cur), key="response_chart")

with tabs[5]:
    ch = st.selectbox("Channel", list(current), format_func=channel_label, key="adstock_channel")
    st.plotly_chart(charts.adstock_chart(adstock_curves(fit)[ch], pd.Series(fit.data.dates), ch, colors, cur),
                    key="adstock_chart")
    hp = fit.hyper[ch]
    st.caption(f"Decay {hp.decay:.2f} (share of a week's effect carried into the next), half-saturation "
               f"{money(hp.half_sat, currency=cur)} of weekly adstocked spend, slope {hp.slope:.1f}.")

with tabs[6]:
    d = fit_diagnostics(fit)
    m = st.columns(5)
    m[0].metric("R²", f"{d['r_squared']:.2f}")
    m[1].metric("Adjusted R²", f"{d['adj_r_squared']:.2f}")
    m[2].metric("NRMSE", f"{d['nrmse']:.3f}")
    m[3].metric("MAPE", f"{d['mape']:.1f}%")
    m[4].metric("Holdout MAPE", f"{d['holdout_mape']:.1f}%")
    st.plotly_chart(charts.fit_chart(fitted_vs_actual(fit), fit.config.holdout_weeks), key="fit_chart")

with tabs[7]:
    st.caption("Questions go to the MMM analyst: ROI, contributions, what-if, optimisation, fit.")
    with st.form("ask_mmm", clear_on_submit=False):
        q = st.text_input("Ask the model", placeholder="e.g. What happens if we cut TV by 20%?", key="mmm_q")
        sent = st.form_submit_button("Ask")
    if sent:
        with friendly("answer that"), st.spinner("Reading the model…"):
            valued = replace(s, value_per_lead=units.value_per_unit, currency=units.currency,
                             kpi_name=units.kpi_name)  # the chat quotes this dataset's value, currency and KPI
            ans = ask(q, session_id=state.mmm_session, settings=valued, toolbox=toolbox(valued, fit=fit),
                      intent=Intent.MMM)
            state.mmm_answer = ans.reply
    if state.get("mmm_answer"):
        st.markdown(state.mmm_answer)
