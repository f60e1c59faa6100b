"""Bad inputs to the MMM end in one clear line, never a traceback or a hang; a dark channel is not the 'best' one."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from core.domain import PLAN_WEEKS
from core.mmm import ChannelHyper, FitConfig, MmmFit, load_weekly, optimize_budget, roi_table
from core.mmm.__main__ import main
from core.mmm.design import baseline_matrix
from core.mmm.outputs import ranked
from core.mmm.scenario import response
from core.mmm.simulate import simulate_world
from core.mmm.types import AdstockKind

VALUE = 150.0


# ---- the CLI: one line on stderr, exit 2 ----------------------------------------------------------------------

def _weekly_csv(tmp_path, **changes) -> str:
    """A small valid weekly table written as CSV, with columns replaced as asked."""
    table = simulate_world(3, n_channels=3).table.assign(**changes)
    path = tmp_path / "weekly.csv"
    table.to_csv(path, index=False)
    return str(path)


def _run(argv: list[str], capsys) -> tuple[int, str, list[str]]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


@pytest.fixture()
def env(tmp_path, monkeypatch):
    """The CLI pointed at an empty data folder."""
    monkeypatch.setenv("MIP_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def _daily(tmp_path) -> str:
    return _weekly_csv(tmp_path, week_start=pd.date_range("2024-01-01", periods=104, freq="D").strftime("%Y-%m-%d"))


def _duplicate_headers(tmp_path) -> str:
    path = tmp_path / "dup.csv"
    text = simulate_world(3, n_channels=3).table.to_csv(index=False)
    path.write_text(text.replace("spend_ch02", "spend_ch01", 1))
    return str(path)


def _binary(tmp_path) -> str:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 50)
    return str(path)


BAD_INPUTS = {
    "missing file": (lambda d: str(d / "nope.csv"), "does not exist"),
    "a folder": (lambda d: str(d), "is not a file"),
    "daily data": (_daily, r"1 day apart \(daily data\)"),
    "duplicate headers": (_duplicate_headers, "2 columns named 'spend_ch01'"),
    "not text": (_binary, "not a readable CSV"),
    "infinite spend": (lambda d: _weekly_csv(d, spend_ch01=np.inf), "column 'spend_ch01' has inf in row 1"),
}


MODEL_RULES = ("daily data", "infinite spend")  # summary adds up any table; these are the model's rules
CASES = [("roi", name) for name in BAD_INPUTS] + [("summary", name) for name in BAD_INPUTS if name not in MODEL_RULES]


@pytest.mark.parametrize(("command", "name"), CASES)
def test_every_bad_input_is_one_error_line_and_exit_2(env, capsys, name, command):
    make, message = BAD_INPUTS[name]
    code, out, err = _run([command, "--data", make(env), "--bootstrap", "0"], capsys)
    assert code == 2 and out == ""
    assert len(err) == 1 and err[0].startswith("error: ") and "Traceback" not in err[0]
    assert pd.Series(err).str.contains(message).all(), err


def test_bad_environment_is_an_error_line_too(env, monkeypatch, capsys):
    monkeypatch.setenv("MIP_SEED", "forty-two")
    code, _, err = _run(["roi", "--data", _weekly_csv(env)], capsys)
    assert code == 2 and len(err) == 1 and err[0].startswith("error: ")


def test_a_cache_folder_that_is_a_file_still_answers_with_one_warning(env, capsys):
    # The fit does not need the cache: the answer is printed, the broken folder is one warning line (exit 0).
    (env / "data").mkdir()
    (env / "data" / "cache").write_text("a file where the cache folder should be")
    code, out, err = _run(["roi", "--json", "--data", _weekly_csv(env), "--bootstrap", "0"], capsys)
    assert code == 0 and set(json.loads(out)["channels"]) == {"ch01", "ch02", "ch03"}
    assert len(err) == 1 and err[0].startswith("warning: ") and "could not be cached" in err[0]


# ---- no hang on huge files -------------------------------------------------------------------------------------

def test_a_huge_file_is_refused_quickly(tmp_path):
    rows = 300_000  # six hundred years of weeks, or a daily export by mistake
    path = tmp_path / "huge.csv"
    pd.DataFrame({"week_start": pd.date_range("1900-01-01", periods=rows, freq="D").strftime("%Y-%m-%d"),
                  "spend_tv": np.arange(rows, dtype=float), "leads": np.arange(rows) % 97}).to_csv(path, index=False)
    started = time.perf_counter()
    with pytest.raises(ValueError, match="daily data"):
        load_weekly(path)
    assert time.perf_counter() - started < 10  # reads a year's worth past the limit, not the whole file


# ---- a channel dark in the plan year ---------------------------------------------------------------------------

def _fit_with_dark_channel() -> MmmFit:
    """A hand-built fit: three identical channels, but 'dark' only spent before the plan year."""
    weeks = PLAN_WEEKS + 8
    rng = np.random.default_rng(0)
    table = pd.DataFrame({"week_start": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%Y-%m-%d"),
                          "spend_a": rng.uniform(1000, 2000, weeks), "spend_b": rng.uniform(1000, 2000, weeks),
                          "spend_dark": np.r_[np.full(8, 1500.0), np.zeros(PLAN_WEEKS)],
                          "leads": rng.uniform(90, 110, weeks)})
    data = load_weekly(table)
    matrix, names = baseline_matrix(data.weeks, data.controls, 0)
    same = ChannelHyper(AdstockKind.GEOMETRIC, decay=0.3, half_sat=1500.0, slope=1.0)
    return MmmFit(data=data, config=FitConfig(fourier_order=0), hyper=dict.fromkeys(data.channels, same),
                  beta=dict.fromkeys(data.channels, 100.0), baseline_names=names, baseline_matrix=matrix,
                  baseline_coef=np.r_[100.0, np.zeros(len(names) - 1)], roi_shrinkage=0.0, cv_rmse=0.0,
                  holdout_mape=0.0, fit_seconds=0.0)


def test_a_dark_channel_is_not_reported_as_the_best_next_pound():
    fit = _fit_with_dark_channel()
    r = response(fit)
    step = np.array([1.0, 1.0, 1.0])
    raw_slope = (np.diag(r.kpi(r.current + np.diag(step))) - r.kpi(r.current)) / step
    assert fit.channels[int(np.argmax(raw_slope))] == "dark"  # the probe: at £0 its curve is the steepest
    table = roi_table(fit, VALUE).set_index("channel")
    assert np.isnan(table.marginal_roi["dark"]) and np.isnan(table.roi["dark"])
    assert np.isnan(table.cost_per_unit["dark"])  # its plan leads are carry-over, not bought at £0 each
    assert np.isfinite(table.marginal_roi[["a", "b"]]).all()
    assert ranked(table.reset_index()) == sorted(["a", "b"], key=lambda ch: -table.marginal_roi[ch])


def test_the_optimiser_leaves_a_dark_channel_at_zero_and_not_comparable():
    opt = optimize_budget(_fit_with_dark_channel(), value_per_unit=VALUE, bounds=0.3)
    assert opt.current["dark"] == 0.0 and opt.optimal["dark"] == 0.0
    assert np.isnan(opt.marginal_roi_current["dark"]) and np.isnan(opt.marginal_roi_optimal["dark"])
    assert all(np.isfinite(opt.marginal_roi_current[ch]) for ch in ("a", "b"))
