"""MMM dashboard: what media spend did, what-if sliders, the optimiser, model diagnostics, Ask MMM."""

from __future__ import annotations

import io
import uuid

import pandas as pd
import streamlit as st

from core.agents.ask import ask
from core.agents.types import Intent
from core.domain import channel_label
from core.mmm import (
    MmmDataError,
    MmmFit,
    adstock_curves,
    contributions,
    current_allocation,
    fit_diagnostics,
    fitted_vs_actual,
    mapping,
    optimize_budget,
    response_curves,
    roi_table,
    summarize,
    whatif,
)
from core.mmm.prepare import kpi_of, run_prepare
from core.viz import mmm_charts as charts
from core.viz.format import compact, money
from ui.common import cached_fit, friendly, settings, toolbox

s = settings()
state = st.session_state
state.setdefault("mmm_session", uuid.uuid4().hex[:12])
GENERATED, UPLOADED = "Generated data (model_ready.csv)", "My own weekly CSV"

st.title("Marketing mix model")
st.caption("What each channel's spend did to the KPI, with carry-over (adstock) and diminishing returns "
           "(saturation); ROI intervals from bootstrap refits. Move the sliders to test a budget.")


def _upload_source() -> tuple[str, str] | None:
    """Upload, column mapping and validation of a user's weekly CSV; returns (csv path, KPI) when ready."""
    up = st.file_uploader("Weekly CSV: one row per week, a date column, spend per channel, a KPI", type=["csv"],
                          key="mmm_upload")
    if up is None:
        return None
    try:
        raw = pd.read_csv(io.BytesIO(up.getvalue()))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        st.error(f"{up.name} is not a readable CSV: {exc}")
        return None
    g = mapping.guess(raw)
    cols = list(raw.columns)
    c1, c2 = st.columns(2)
    date = c1.selectbox("Date column", cols, index=cols.index(g.date), key="map_date")
    kpi = c2.selectbox("KPI column", cols, index=cols.index(g.kpi) if g.kpi in cols else 0, key="map_kpi")
    spend = st.multiselect("Spend columns (one per channel)", cols, default=list(g.spend), key="map_spend")
    controls = st.multiselect("Control columns (optional)", [c for c in cols if c not in spend + [date, kpi]],
                              default=[c for c in g.controls if c not in spend + [date, kpi]], key="map_controls")
    try:
        mapped = mapping.apply(raw, mapping.ColumnMap(date, kpi, tuple(spend), tuple(controls)))
    except MmmDataError as exc:
        st.error(f"This file can't be modelled yet: {exc}")
        return None
    st.success(f"{len(mapped)} weeks × {len(spend)} channels ready to fit.")
    return str(mapping.save(mapped, s.cache_dir / "uploads")), "kpi"


source = st.radio("Data", [GENERATED, UPLOADED], horizontal=True, key="mmm_source")
if source == UPLOADED:
    chosen = _upload_source()
    if chosen is None:
        st.stop()
    data_path, target = chosen
else:
    if not s.model_ready_path.exists():
        st.info("There is no weekly modelling table in this data folder yet. It can be built from your raw "
                "exports: spend per channel summed per week, leads per week as the KPI, and the controls it "
                "recognises; every choice is written to mmm/mapping.json, where it can be corrected.")
        if st.button("Build the weekly table from my files", type="primary", key="mmm_prepare"):
            with friendly("build the weekly table"), st.spinner("Reading the exports…"):
                built = run_prepare(s.data_dir)
                st.success(f"Built {built.table_path.name}: {len(built.mapping.media)} media file(s), KPI "
                           f"“{built.mapping.kpi.name}”; mapping in {built.mapping_path.name}.")
                st.rerun()
        st.stop()
    data_path, target = str(s.model_ready_path), kpi_of(s.model_ready_path)

loaded: MmmFit | None = None
with friendly("fit the marketing mix model"), st.spinner("Fitting the model (about half a minute the first time)…"):
    loaded = cached_fit(s, data_path, target)
if loaded is None:
    st.stop()
fit: MmmFit = loaded

table = pd.read_csv(data_path)
summary = summarize(table)
unit = "leads" if target == "leads" else "KPI units"
k = st.columns(5)
k[0].metric("Total spend", money(summary["total_spend"]))
k[1].metric("Leads" if target == "leads" else "KPI", compact(float(fit.data.target.sum())))
k[2].metric("Cars sold", compact(summary["total_units"]) if summary["total_units"] else "–")
k[3].metric("Revenue", money(summary["total_revenue"]) if summary["total_revenue"] else "–")
k[4].metric("Weeks of data", summary["weeks_of_data"])

roi = roi_table(fit, value_per_unit=s.value_per_lead)
current = current_allocation(fit)
tabs = st.tabs(["Budget what-if", "ROI", "Contributions", "Response curves", "Adstock", "Model fit", "Ask MMM"])


MILLION = 1e6
SLIDER_STEP = 0.01  # £10k


@st.fragment
def whatif_panel() -> None:
    """Sliders per channel (£M, plan year) → predicted KPI and value vs today; re-runs only this panel."""
    for ch, value in state.pop("mmm_apply", {}).items():  # "load the optimiser's plan" sets the sliders
        state[f"whatif_{ch}"] = round(value / MILLION, 2)
    cols = st.columns(3)
    allocation = {}
    for i, (ch, spend) in enumerate(current.items()):
        default = round(spend / MILLION, 2)
        top = max(round(2 * spend / MILLION, 2), 0.05)
        chosen = cols[i % 3].slider(f"{channel_label(ch)}", 0.0, top, default, step=SLIDER_STEP, key=f"whatif_{ch}",
                                    format="£%.2fM")
        # an untouched slider means exactly today's spend, not its £10k rounding
        allocation[ch] = spend if chosen == default else chosen * MILLION
    result = whatif(fit, allocation, value_per_unit=s.value_per_lead)
    m = st.columns(3)
    m[0].metric(f"Predicted {unit} (plan year)", f"{result.kpi:,.0f}",
                delta=f"{result.delta_kpi:+,.0f} ({result.delta_pct:+.1f}%)")
    m[1].metric(f"Value at £{s.value_per_lead:,.0f} per unit", money(result.revenue))
    total_now, total_new = sum(current.values()), sum(allocation.values())
    change = total_new - total_now
    m[2].metric("Budget (plan year)", money(total_new), delta=money(change) if abs(change) >= 1 else None,
                delta_color="inverse")
    if st.button("Reset to current spend", key="whatif_reset"):
        for ch in current:
            state.pop(f"whatif_{ch}", None)
        st.rerun(scope="fragment")


with tabs[0]:
    whatif_panel()
    st.divider()
    st.subheader("Optimiser")
    st.caption("Maximise predicted KPI with the total unchanged and each channel within ± the bound of today.")
    bound = st.slider("Allowed change per channel", 0.05, 0.5, 0.3, 0.05, format="±%.2f", key="opt_bound")
    if st.button("Optimise", type="primary", icon=":material/auto_fix_high:", key="optimise"):
        with friendly("optimise the budget"), st.spinner("Optimising…"):
            state.mmm_opt = optimize_budget(fit, value_per_unit=s.value_per_lead, bounds=bound)
    opt = state.get("mmm_opt")
    if opt is not None and set(opt.current) == set(current):
        st.metric(f"Predicted {unit} with the optimised plan", f"{opt.optimal_kpi:,.0f}",
                  delta=f"{opt.uplift_pct:+.1f}% vs {opt.current_kpi:,.0f}")
        c1, c2 = st.columns([3, 2])
        c1.plotly_chart(charts.allocation_bars(opt.current, opt.optimal), key="opt_chart")
        c2.dataframe(charts.allocation_table(opt.current, opt.optimal, opt.marginal_roi_current,
                                             opt.marginal_roi_optimal), hide_index=True,
                     column_config={"current £": st.column_config.NumberColumn(format="£%.0f"),
                                    "optimised £": st.column_config.NumberColumn(format="£%.0f"),
                                    "change %": st.column_config.NumberColumn(format="%+.1f%%"),
                                    "marginal ROI now": st.column_config.NumberColumn(format="%.2f"),
                                    "marginal ROI after": st.column_config.NumberColumn(format="%.2f")})
        if st.button("Load this plan into the sliders", key="opt_apply"):
            state.mmm_apply = dict(opt.optimal)
            st.rerun()

with tabs[1]:
    st.plotly_chart(charts.roi_bars(roi), key="roi_chart")
    st.dataframe(charts.roi_display(roi), hide_index=True,
                 column_config={c: st.column_config.NumberColumn(format="%.2f") for c in
                                ("ROI", "ROI low", "ROI high", "marginal ROI")}
                 | {c: st.column_config.NumberColumn(format="£%.0f") for c in ("spend £", "cost per unit £")}
                 | {"KPI units": st.column_config.NumberColumn(format="%.0f")})
    st.caption(f"ROI = £ of KPI value (£{s.value_per_lead:,.0f} per {unit[:-1] if unit.endswith('s') else unit}) "
               "per £ spent over the plan year (latest 52 weeks). Marginal ROI is the return on the next pound.")

with tabs[2]:
    st.plotly_chart(charts.contribution_area(contributions(fit)), key="contrib_chart")
    st.plotly_chart(charts.weekly_spend(table, table.columns[0] if "week_start" not in table else "week_start"),
                    key="spend_chart")

with tabs[3]:
    st.plotly_chart(charts.response_curves(response_curves(fit), current), key="response_chart")

with tabs[4]:
    ch = st.selectbox("Channel", list(current), format_func=channel_label, key="adstock_channel")
    st.plotly_chart(charts.adstock_chart(adstock_curves(fit)[ch], pd.Series(fit.data.dates), ch), key="adstock_chart")
    hp = fit.hyper[ch]
    st.caption(f"Decay {hp.decay:.2f} (share of a week's effect carried into the next), half-saturation "
               f"{money(hp.half_sat)} of weekly adstocked spend, slope {hp.slope:.1f}.")

with tabs[5]:
    d = fit_diagnostics(fit)
    m = st.columns(5)
    m[0].metric("R²", f"{d['r_squared']:.2f}")
    m[1].metric("Adjusted R²", f"{d['adj_r_squared']:.2f}")
    m[2].metric("NRMSE", f"{d['nrmse']:.3f}")
    m[3].metric("MAPE", f"{d['mape']:.1f}%")
    m[4].metric("Holdout MAPE", f"{d['holdout_mape']:.1f}%")
    st.plotly_chart(charts.fit_chart(fitted_vs_actual(fit), fit.config.holdout_weeks), key="fit_chart")

with tabs[6]:
    st.caption("Questions go to the MMM analyst: ROI, contributions, what-if, optimisation, fit.")
    with st.form("ask_mmm", clear_on_submit=False):
        q = st.text_input("Ask the model", placeholder="e.g. What happens if we cut TV by 20%?", key="mmm_q")
        sent = st.form_submit_button("Ask")
    if sent:
        with friendly("answer that"), st.spinner("Reading the model…"):
            ans = ask(q, session_id=state.mmm_session, settings=s, toolbox=toolbox(s, fit=fit), intent=Intent.MMM)
            state.mmm_answer = ans.reply
    if state.get("mmm_answer"):
        st.markdown(state.mmm_answer)
