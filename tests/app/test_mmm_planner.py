"""The MMM scenario planner in AppTest: typed budgets and % changes, optimiser limits, loading the optimiser's plan
(same number, same total, no widget warning), the budget sweep, break-even, and a user CSV in euros."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from streamlit.elements.lib import policies
from streamlit.testing.v1 import AppTest

from core.config import Settings, get_settings
from core.mmm import get_fit, mapping, optimize_budget, roi_table, whatif
from core.mmm.units import DatasetUnits, load_units
from core.viz.format import money_full
from tests.app.conftest import open_app

PAGE = "pages/mmm.py"


@pytest.fixture(scope="module", autouse=True)
def fitted(app_data) -> None:
    """Fit the session world's model once up front (disk cache), so no page run waits a whole fit."""
    get_fit(Settings(data_dir=app_data), target="leads")


def _metric(at, label_start: str):
    return next(m for m in at.metric if m.label.startswith(label_start))


def _fit():
    """The page's model, read from the disk cache the page wrote (an independent route to the same numbers)."""
    return get_fit(Settings.from_env(), target="leads")


def _plan(at) -> dict[str, float]:
    return dict(at.session_state["plan_budget"])


def test_a_typed_budget_changes_the_prediction_and_moves_the_slider_and_percent(app_env):
    at = open_app(PAGE)
    today = _plan(at)
    before = _metric(at, "Predicted leads").value
    at.number_input(key="plan_amt_tv").set_value(today["tv"] / 2).run()
    assert not at.exception, [e.value for e in at.exception]
    after = _metric(at, "Predicted leads")
    assert after.value != before and after.delta.startswith("-")
    expected = whatif(_fit(), {**today, "tv": today["tv"] / 2}, value_per_unit=get_settings().value_per_lead)
    assert after.value == f"{expected.kpi:,.0f}"
    assert at.slider(key="whatif_tv").value == today["tv"] / 2
    assert at.number_input(key="plan_pct_tv").value == pytest.approx(-50.0)
    assert _metric(at, "Budget").value == money_full(sum(today.values()) - today["tv"] / 2)


def test_a_percent_change_on_a_channel_sets_its_amount(app_env):
    at = open_app(PAGE)
    today = _plan(at)
    at.number_input(key="plan_pct_google").set_value(25.0).run()
    assert _plan(at)["google"] == pytest.approx(1.25 * today["google"], rel=1e-12)
    assert at.number_input(key="plan_amt_google").value == pytest.approx(1.25 * today["google"], rel=1e-12)
    assert _metric(at, "Predicted leads").delta.startswith("+")


def test_a_percent_change_on_the_total_scales_every_channel(app_env):
    at = open_app(PAGE)
    today = _plan(at)
    at.number_input(key="plan_total_pct").set_value(10.0).run()
    assert not at.exception, [e.value for e in at.exception]
    plan = _plan(at)
    assert all(plan[ch] == pytest.approx(1.1 * v, rel=1e-12) for ch, v in today.items())  # the mix is kept
    assert _metric(at, "Budget").value == money_full(1.1 * sum(today.values()))
    assert _metric(at, "Predicted leads").delta.startswith("+")
    at.number_input(key="plan_total").set_value(15_000_000.0).run()  # a typed total, in the file's units
    assert sum(_plan(at).values()) == pytest.approx(15_000_000.0, rel=1e-12)


def test_the_optimiser_keeps_to_typed_limits(app_env):
    at = open_app(PAGE)
    today = _plan(at)
    at.number_input(key="opt_max_tv").set_value(0.8 * today["tv"])
    at.number_input(key="opt_min_google").set_value(1.4 * today["google"]).run()  # beyond the ±30% default
    at.button(key="optimise").click().run()
    assert not at.exception, [e.value for e in at.exception]
    opt = at.session_state["mmm_opt"]
    assert opt.optimal["tv"] <= 0.8 * today["tv"] and opt.optimal["google"] >= 1.4 * today["google"]
    for ch in set(today) - {"tv", "google"}:
        assert 0.7 * today[ch] - 1 <= opt.optimal[ch] <= 1.3 * today[ch] + 1
    plan_table = next(df.value for df in at.dataframe if "optimised" in df.value.columns).set_index("channel")
    assert plan_table.loc["TV", "optimised"] == money_full(opt.optimal["tv"])


def test_limits_that_cannot_hold_the_total_are_explained(app_env):
    at = open_app(PAGE)
    for ch, v in _plan(at).items():
        at.number_input(key=f"opt_max_{ch}").set_value(0.5 * v)
    at.run()
    at.button(key="optimise").click().run()
    assert not at.exception and any("no plan within the limits" in e.value for e in at.error)


@pytest.fixture
def widget_warnings(monkeypatch) -> list[str]:
    """Streamlit's "created with a default value but also set via the Session State API" warnings, recorded."""
    seen: list[str] = []
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda msg, *args, **_: seen.append(msg % args))
    return seen


def _slider_set_twice() -> None:
    """The old planner's mistake: a widget given a default and also set through session_state."""
    import streamlit as st

    st.session_state["x"] = 2.0
    st.slider("x", 0.0, 5.0, 1.0, key="x")


def test_the_warning_detector_catches_a_widget_set_twice(widget_warnings):
    AppTest.from_function(_slider_set_twice).run()
    assert any("Session State API" in w for w in widget_warnings)  # negative control for the test below


def test_loading_the_plan_shows_the_optimisers_number_and_total_exactly(app_env, widget_warnings):
    at = open_app(PAGE)
    at.button(key="optimise").click().run()
    promised = _metric(at, "Predicted leads with the optimised plan").value
    opt = at.session_state["mmm_opt"]
    at.button(key="opt_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _plan(at) == opt.optimal  # to the unit, not to a slider's step
    assert _metric(at, "Predicted leads (plan year)").value == promised
    assert _metric(at, "Budget").value == money_full(sum(opt.optimal.values())) == money_full(20_000_000)
    assert at.slider(key="whatif_tv").value == opt.optimal["tv"]
    assert at.button(key="opt_apply").disabled  # the sliders hold the plan
    assert not [w for w in widget_warnings if "Session State API" in w]


def _values(data) -> np.ndarray:
    """A trace's x or y as numbers: Streamlit sends plotly's typed arrays as {dtype, bdata (base64)}."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=np.dtype(data["dtype"])).astype(float)
    return np.asarray(data, dtype=float)


def _figure(at, trace_name: str):
    """The plotly figure on the page that has a trace of this name."""
    for chart in at.get("plotly_chart"):
        fig = pio.from_json(chart.proto.spec)
        if any(t.name == trace_name for t in fig.data):
            return fig
    raise AssertionError(f"no chart has a trace named {trace_name!r}")


def test_the_budget_sweep_is_shown_and_agrees_with_the_optimiser(app_env):
    at = open_app(PAGE)
    fig = _figure(at, "Predicted leads")
    line = next(t for t in fig.data if t.name == "Predicted leads")
    x, y = _values(line.x), _values(line.y)
    today = 20_000_000.0
    assert x.min() == pytest.approx(0.5 * today) and x.max() == pytest.approx(2 * today)
    opt = optimize_budget(_fit(), value_per_unit=get_settings().value_per_lead)
    assert y[np.argmin(np.abs(x - today))] == pytest.approx(opt.optimal_kpi, rel=1e-9)
    assert any(t.name == "Profit" for t in fig.data)
    assert any("Most profit at" in m.value for m in at.markdown)
    assert any("breaks even" in m.value or "Break-even" in m.value for m in at.markdown)


def test_every_roi_below_break_even_is_said_and_not_when_one_pays(app_env, monkeypatch):
    at = open_app(PAGE)
    assert any("Every channel's ROI is below break-even" in w.value for w in at.warning)
    monkeypatch.setenv("MIP_VALUE_PER_LEAD", "1000")  # at £1,000 a lead some channel pays for itself
    get_settings.cache_clear()
    at = open_app(PAGE)
    assert not any("below break-even" in w.value for w in at.warning)
    get_settings.cache_clear()


def _euro_csv(weeks: int = 104) -> bytes:
    """Two flighted channels in euros driving weekly sales, with a temperature control."""
    rng = np.random.default_rng(5)
    tv = np.where(rng.random(weeks) < 0.6, rng.uniform(20_000, 80_000, weeks), 0.0)
    search = rng.uniform(5_000, 15_000, weeks)
    temperature = rng.normal(12, 5, weeks)
    sales = 300 + 200 * tv / (tv + 40_000) + 150 * search / (search + 10_000) + 2 * temperature
    sales = sales + rng.normal(0, 8, weeks)
    return pd.DataFrame({"week": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%Y-%m-%d"),
                         "tv spend": tv.round(2), "search spend": search.round(2), "temperature": temperature,
                         "sales": sales.round()}).to_csv(index=False).encode()


@pytest.mark.slow
def test_a_user_csv_in_euros_at_2_50_a_sale_reads_its_roi_in_euros(app_env):
    content = _euro_csv()
    at = open_app(PAGE)
    at.radio(key="mmm_source").set_value("My own weekly CSV").run()
    at.file_uploader(key="mmm_upload").set_value(("sales.csv", content, "text/csv")).run()
    at.selectbox(key="map_kpi").set_value("sales")
    at.multiselect(key="map_spend").set_value(["tv spend", "search spend"])
    at.multiselect(key="map_controls").set_value(["temperature"]).run()
    next(n for n in at.number_input if n.label.startswith("Value of one")).set_value(2.5)
    next(t for t in at.text_input if t.label.startswith("Currency")).set_value("€").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]

    cmap = mapping.ColumnMap("week", "sales", ("tv spend", "search spend"), ("temperature",))
    path = mapping.save(mapping.apply(pd.read_csv(io.BytesIO(content)), cmap),
                        Path(app_env) / "cache" / "uploads")
    assert load_units(path) == DatasetUnits(2.5, "€", "sales")  # kept beside the dataset
    fit = get_fit(Settings.from_env(), target="kpi", data_path=path)
    expected = roi_table(fit, 2.5).set_index("channel")

    assert _metric(at, "Value at").label == "Value at €2.50 per sale"
    assert _metric(at, "Total spend").value.startswith("€")
    assert _metric(at, "Budget").value.startswith("€")
    shown = next(df.value for df in at.dataframe if "marginal ROI" in df.value.columns)
    by_label = {"tv": "TV", "search": "search"}  # channel_label names the ones it knows
    for key, label in by_label.items():
        row = shown.set_index("channel").loc[label]
        assert row["ROI"] == pytest.approx(expected.loc[key, "roi"], rel=1e-9)
        spend = float(row["spend"].lstrip("€").replace(",", ""))
        assert spend == pytest.approx(expected.loc[key, "spend"], abs=0.5)  # shown in the file's euros, in full
        assert row["ROI"] == pytest.approx(row["KPI units"] * 2.5 / expected.loc[key, "spend"], rel=1e-9)
    assert any("€2.50 per sale" in c.value for c in at.caption)

    at.text_input(key="mmm_q").input("What is the ROI of TV?")
    at.button[-1].click().run()  # Ask MMM: the chat speaks the file's currency and KPI, not the default world's
    assert not at.exception, [e.value for e in at.exception]
    reply = next(m.value for m in at.markdown if "**TV** ROI is" in m.value)
    assert f"€{expected.loc['tv', 'spend']:,.0f} spent over the plan year" in reply, reply
    assert "incremental sales (cost per sale €" in reply and "per € spent" in reply
    assert "£" not in reply and "lead" not in reply.lower(), reply
