"""MMM dashboard in AppTest: renders the model, sliders move the prediction, the optimiser runs, uploads are checked."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from tests.app.conftest import app_pointed_at, build_index, open_app

PAGE = "pages/mmm.py"


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
    tv.set_value(tv.value / 2).run()
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
    assert any("optimised" in df.value.columns for df in at.dataframe)


def test_ask_mmm_answers_with_model_numbers(app_env):
    at = open_app(PAGE)
    at.text_input(key="mmm_q").input("What is the ROI of TV?")
    at.button[-1].click().run()  # the form's Ask button
    assert not at.exception
    assert any("**TV** ROI is" in m.value for m in at.markdown)


def _upload_page(app_env):
    """The MMM page switched to the user-CSV source, waiting for a file."""
    at = open_app(PAGE)
    at.radio(key="mmm_source").set_value("My own weekly CSV").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(at, name: str, content: bytes):
    at.file_uploader(key="mmm_upload").set_value((name, content, "text/csv")).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _weekly_csv(weeks: int = 60, spend: bool = True, bad_date: bool = False) -> bytes:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"week": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%Y-%m-%d"),
                       "tv spend": rng.uniform(1e3, 5e4, weeks), "temperature": rng.normal(12, 5, weeks),
                       "sales": rng.poisson(300, weeks)})
    if not spend:
        df = df.drop(columns="tv spend")
    if bad_date:
        df.loc[5, "week"] = "not a week"
    return df.to_csv(index=False).encode()


def _stopped_before_the_model(at) -> bool:
    """No fit was shown: no KPI cards and no charts."""
    return not any(m.label.startswith("Total spend") for m in at.metric) and not at.get("plotly_chart")


def test_user_csv_source_waits_for_a_file(app_env):
    at = _upload_page(app_env)
    assert at.file_uploader(key="mmm_upload").label.startswith("Weekly CSV")
    assert not at.error and _stopped_before_the_model(at)


def test_malformed_user_csv_is_explained_not_raised(app_env):
    at = _upload(_upload_page(app_env), "broken.csv", b"week,tv spend,sales\n2024-01-01,1,2\n2024-01-08,1,2,3,4\n")
    assert len(at.error) == 1
    assert "broken.csv is not a readable CSV" in at.error[0].value
    assert "Expected 3 fields" in at.error[0].value  # pandas' reason is passed on
    assert _stopped_before_the_model(at) and not at.success


def test_user_csv_without_a_spend_column_is_explained_not_raised(app_env):
    at = _upload(_upload_page(app_env), "no_spend.csv", _weekly_csv(spend=False))
    assert at.multiselect(key="map_spend").value == []  # nothing spend-like to guess
    assert len(at.error) == 1
    assert "can't be modelled yet" in at.error[0].value and "spend column" in at.error[0].value
    assert _stopped_before_the_model(at) and not at.success


def test_user_csv_with_bad_dates_or_too_few_weeks_is_explained(app_env):
    at = _upload(_upload_page(app_env), "dates.csv", _weekly_csv(bad_date=True))
    assert len(at.error) == 1 and "date column 'week'" in at.error[0].value
    assert "'not a week'" in at.error[0].value
    at = _upload(at, "short.csv", _weekly_csv(weeks=10))
    assert len(at.error) == 1 and "weeks" in at.error[0].value
    assert _stopped_before_the_model(at) and not at.success


def test_ask_mmm_what_if_predicts_the_same_change_as_the_sliders(app_env):
    at = open_app(PAGE)
    tv, google = at.slider(key="whatif_tv"), at.slider(key="whatif_google")
    tv.set_value(tv.value - 500_000)
    google.set_value(google.value + 500_000).run()
    slider_delta = _metric(at, "Predicted leads").delta.split(" ")[0]  # e.g. "-259"
    at.text_input(key="mmm_q").input("If I move £500k from TV to Google, what happens to leads?")
    at.button[-1].click().run()
    assert not at.exception
    reply = next(m.value for m in at.markdown if "Scenario:" in m.value)
    assert f"({slider_delta} leads" in reply, (slider_delta, reply)


@pytest.mark.slow
def test_without_a_weekly_table_the_page_builds_one_from_the_exports(world_dir, tmp_path, monkeypatch):
    data = tmp_path / "exports_only"
    shutil.copytree(world_dir / "raw", data / "raw")  # a folder of exports: no weekly table, no index
    build_index(data)
    with app_pointed_at(data, monkeypatch):
        at = open_app(PAGE)
        assert any("no weekly modelling table" in i.value for i in at.info)
        at.button(key="mmm_prepare").click().run()
        assert not at.exception, [e.value for e in at.exception]
        assert (data / "mmm" / "model_ready.csv").exists() and (data / "mmm" / "mapping.json").exists()
        assert _metric(at, "Total spend").value.startswith("£")  # the page went on to model it
