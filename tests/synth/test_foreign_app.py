"""The app on the foreign world (AppTest): the MMM page builds the weekly table from the other teams' exports and
models it; the gallery shows every creative, listed in the agency's manifest or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.synth.foreign import generate_foreign
from tests.app.conftest import app_pointed_at, open_app

SEED = 42
CREATIVES = 55
FIT_TIMEOUT = 600  # seconds: the click prepares the table and fits the model with its bootstrap (no cached fit)


@pytest.fixture(scope="module")
def foreign_data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("foreign_app")
    generate_foreign(out, seed=SEED)
    return out


@pytest.fixture
def app_on_foreign(foreign_data, monkeypatch):
    """The app pointed at the foreign world. First-run setup is skipped: it would embed the whole folder for the
    search index (minutes on 2 cores), which neither page here uses."""
    monkeypatch.setattr("ui.common.first_run", lambda s: True)
    with app_pointed_at(foreign_data, monkeypatch) as data:
        yield data


@pytest.mark.slow
def test_the_mmm_page_builds_the_weekly_table_from_foreign_exports_and_models_it(app_on_foreign):
    at = open_app("pages/mmm.py")
    assert any("no weekly modelling table" in i.value for i in at.info)
    at.button(key="mmm_prepare").click().run(timeout=FIT_TIMEOUT)
    assert not at.exception, [e.value for e in at.exception]
    assert (app_on_foreign / "mmm" / "model_ready.csv").is_file()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Weeks of data"] == "104" and metrics["Total spend"].startswith("£")
    assert any(label.startswith("Predicted leads") for label in metrics)
    assert len(at.get("plotly_chart")) >= 6


@pytest.mark.slow
def test_the_gallery_shows_every_creative_listed_or_not(app_on_foreign):
    at = open_app("pages/gallery.py")
    assert not at.warning, [w.value for w in at.warning]
    assert any(c.value.startswith(f"{CREATIVES} of {CREATIVES} creatives") for c in at.caption)
    channels = at.multiselect(key="gal_channel").options
    assert len(channels) == 11  # one facet per channel: the manifest's words and the folders agree
