"""Disk cache reuse and the CLI: JSON out, clear errors with exit code 2."""

from __future__ import annotations

import json
from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

from core.config import Settings
from core.mmm import FitConfig, MmmDataError, cache, coefficients, get_fit, optimize_budget, roi_table
from core.mmm.__main__ import main
from core.mmm.simulate import simulate_world

FAST = FitConfig(n_bootstrap=0)


@pytest.fixture()
def settings(tmp_path, sim_world) -> Settings:
    """Settings whose model_ready.csv is the simulated world."""
    s = Settings(data_dir=tmp_path)
    s.mmm_dir.mkdir(parents=True)
    sim_world.table.to_csv(s.model_ready_path, index=False)
    return s


def test_get_fit_caches_by_data_and_config(settings):
    first = get_fit(settings, config=FAST)
    files = list((settings.cache_dir / "mmm").glob("*.json"))
    assert len(files) == 1 and not list((settings.cache_dir / "mmm").glob("*.pkl"))
    again = get_fit(settings, config=FAST)
    assert again.fit_seconds == first.fit_seconds  # loaded, not refitted
    assert roi_table(again, 150.0).equals(roi_table(first, 150.0))
    get_fit(settings, config=FitConfig(n_bootstrap=0, seed=5))
    assert len(list((settings.cache_dir / "mmm").glob("*.json"))) == 2  # new config, new entry


def test_rebuilt_fit_gives_the_fresh_fits_numbers_exactly(tmp_path, monkeypatch):
    # Oracle: the fit rebuilt from JSON + the data file must reproduce every read-out of the fit it was saved from.
    s = Settings(data_dir=tmp_path)
    s.mmm_dir.mkdir(parents=True)
    simulate_world(3, n_channels=3).table.to_csv(s.model_ready_path, index=False)
    config = FitConfig(n_bootstrap=3)
    fresh = get_fit(s, config=config)
    monkeypatch.setattr(cache, "fit_model", lambda *a, **k: pytest.fail("refitted instead of loading the cache"))
    rebuilt = get_fit(s, config=config)
    assert rebuilt is not fresh and len(rebuilt.draws) == 3
    pd.testing.assert_frame_equal(roi_table(rebuilt, 150.0), roi_table(fresh, 150.0), check_exact=True)
    assert asdict(optimize_budget(rebuilt, value_per_unit=150.0)) == asdict(optimize_budget(fresh, value_per_unit=150.0))
    assert np.array_equal(rebuilt.fitted, fresh.fitted) and rebuilt.hyper == fresh.hyper
    assert coefficients(rebuilt) == coefficients(fresh) and rebuilt.holdout_mape == fresh.holdout_mape


def test_get_fit_reports_bad_data(settings):
    settings.model_ready_path.write_text("week_start,leads\n2024-01-01,5\n")
    with pytest.raises(MmmDataError):
        get_fit(settings, config=FAST)


def test_cli_roi_and_whatif(settings, monkeypatch, capsys):
    monkeypatch.setenv("MIP_DATA_DIR", str(settings.data_dir))
    assert main(["roi", "--json", "--bootstrap", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["channels"]) == {f"ch{i:02d}" for i in range(1, 10)}
    assert {"roi", "roi_low", "roi_high", "marginal_roi", "contribution", "spend"} <= set(out["channels"]["ch01"])
    assert main(["whatif", "--set", "ch01=1000000", "--json", "--bootstrap", "3"]) == 0
    assert {"kpi", "revenue", "baseline_kpi", "delta_kpi", "delta_pct"} <= set(json.loads(capsys.readouterr().out))


def test_cli_bad_csv_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MIP_DATA_DIR", str(tmp_path))
    bad = tmp_path / "bad.csv"
    bad.write_text("week_start,spend_tv,leads\n2024-01-01,-5,3\n")
    assert main(["regression", "--data", str(bad)]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["summary", "--data", str(tmp_path / "missing.csv")]) == 2
    assert main(["whatif", "--data", str(bad), "--set", "tv"]) == 2
