"""MMM dashboard in AppTest: renders the model, sliders move the prediction, the optimiser runs, uploads are checked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tests.app.conftest import open_app

PAGE = "views/mmm.py"


def _metric(at, label_start: str):
    return next(m for m in at.metric if m.label.startswith(label_start))


def test_dashboard_renders_cards_and_charts(app_env):
    at = open_app(PAGE)
    assert _metric(at, "Total spend").value.startswith("£")
    assert _metric(at, "Predicted leads").delta.startswith("+0")
    assert len(at.get("plotly_chart")) >= 6
    assert float(_metric(at, "R²").value) > 0.5


def test_slider_change_moves_the_prediction(app_env):
    at = open_app(PAGE)
    before = _metric(at, "Predicted leads").value
    tv = at.slider(key="whatif_tv")
    tv.set_value(round(tv.value / 2, 2)).run()
    assert not at.exception
    after = _metric(at, "Predicted leads")
    assert after.value != before and after.delta.startswith("-")
    assert _metric(at, "Budget").delta.startswith("-")


def test_optimise_button_shows_the_plan(app_env):
    at = open_app(PAGE)
    at.button(key="optimise").click().run()
    assert not at.exception
    opt = _metric(at, "Predicted leads with the optimised plan")
    assert opt.delta.startswith("+")
    assert any("optimised £" in df.value.columns for df in at.dataframe)


def test_ask_mmm_answers_with_model_numbers(app_env):
    at = open_app(PAGE)
    at.text_input(key="mmm_q").input("What is the ROI of TV?")
    at.button[-1].click().run()  # the form's Ask button
    assert not at.exception
    assert any("**TV** ROI is" in m.value for m in at.markdown)


def test_bad_user_csv_is_explained_not_raised(app_env):
    from core.mmm import mapping
    from core.mmm.data import MmmDataError

    weeks = pd.date_range("2024-01-01", periods=10, freq="7D")
    df = pd.DataFrame({"week": weeks, "tv spend": np.arange(10.0), "sales": np.arange(10.0) + 5})
    try:
        mapping.apply(df, mapping.guess(df))
    except MmmDataError as exc:
        assert "weeks" in str(exc)
    else:
        raise AssertionError("10 weeks must be refused")
    at = open_app(PAGE)
    at.radio(key="mmm_source").set_value("My own weekly CSV").run()
    assert not at.exception  # waits for a file instead of failing
