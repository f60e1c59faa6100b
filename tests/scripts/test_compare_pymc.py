"""The comparison's pure pieces and its plumbing, without pymc-marketing: ROI from posterior contributions,
scoring and the summary table, the missing-venv message, and a fake worker run through the real subprocess path."""

from __future__ import annotations

import importlib.util
import json
import sys
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def _load(name: str):
    """Import a script by path: scripts/ is not a package."""
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up by name
    spec.loader.exec_module(mod)
    return mod


compare = _load("compare_pymc")
worker = _load("pymc_fit_worker")

WORKER_OUT = {"pymc_marketing": "0.19.2", "divergences": 3, "max_rhat": 1.01, "channels": {
    "spend_a": {"roi": 1.1, "roi_low": 0.8, "roi_high": 1.4},
    "spend_b": {"roi": 0.5, "roi_low": 0.45, "roi_high": 0.55},
    "spend_c": {"roi": 0.2, "roi_low": 0.1, "roi_high": 0.6}}}


def test_worker_imports_no_project_code():
    text = (SCRIPTS / "pymc_fit_worker.py").read_text()
    imports = {line.split()[1].split(".")[0] for line in text.splitlines()
               if line.strip().startswith(("import ", "from ")) and not line.strip().startswith("from __future__")}
    assert imports <= {"json", "sys", "pathlib", "numpy", "pandas", "pymc_marketing"}


def test_roi_from_contributions_matches_brute_force():
    rng = np.random.default_rng(0)
    draws, weeks, plan = 50, 30, 10
    contrib = rng.gamma(2.0, 5.0, (draws, weeks, 2))
    spend = rng.uniform(10, 20, (weeks, 2))
    out = worker.roi_from_contributions(contrib, spend, plan, 3.0, ["a", "b"])
    for i, ch in enumerate(["a", "b"]):
        per_draw = [3.0 * contrib[d, weeks - plan:, i].sum() / spend[weeks - plan:, i].sum() for d in range(draws)]
        assert out[ch]["roi"] == pytest.approx(np.mean(per_draw))
        assert out[ch]["roi_low"] == pytest.approx(np.percentile(per_draw, 5))
        assert out[ch]["roi_high"] == pytest.approx(np.percentile(per_draw, 95))


def test_roi_ignores_weeks_before_the_plan_and_is_nan_without_plan_spend():
    contrib = np.ones((4, 6, 2))
    contrib[:, :3, 0] = 1000.0  # before the plan period: must not count
    spend = np.ones((6, 2))
    spend[3:, 1] = 0.0  # channel b bought nothing in the plan period
    out = worker.roi_from_contributions(contrib, spend, 3, 2.0, ["a", "b"])
    assert out["a"]["roi"] == pytest.approx(2.0)
    assert np.isnan(out["b"]["roi"])


def test_split_rhat_near_one_for_mixed_chains_and_large_for_stuck_ones():
    rng = np.random.default_rng(1)
    assert worker.split_rhat(rng.normal(size=(2, 400))) == pytest.approx(1.0, abs=0.02)
    stuck = np.stack([rng.normal(0, 1, 400), rng.normal(10, 1, 400)])
    assert worker.split_rhat(stuck) > 2


def test_worker_output_read_scored_and_tabled(tmp_path):
    path = tmp_path / "out.json"
    path.write_text(json.dumps(WORKER_OUT))
    est, diag = compare.read_worker_output(path)
    assert set(est) == {"a", "b", "c"} and diag == {"divergences": 3.0, "max_rhat": 1.01}
    truth = {"a": 1.0, "b": 0.6, "c": 0.3}
    s = compare.score(compare.ToolRun(est, cpu_seconds=12.0, wall_seconds=7.0), truth)
    assert s.abs_pct_errors == pytest.approx([10.0, 100 / 6, 100 / 3])
    assert s.covered == [True, False, True]
    assert s.spearman == pytest.approx(1.0)
    summary = compare.summarise([s, s])
    assert summary.median_abs_pct_error == pytest.approx(100 / 6)
    assert summary.coverage_90 == pytest.approx(2 / 3)
    assert summary.cpu_seconds == pytest.approx(24.0)
    row = compare.table_row("summary", "pymc-marketing", summary)
    assert row.split()[-6:] == ["16.7", "20.0", "1.00", "0.67", "24.0", "14.0"]
    assert len(row) == len(compare.HEADER)


def test_verdict_needs_both_errors_lower_and_three_times_less_cpu():
    mk = lambda med, mean, cpu: compare.Summary(med, mean, 0.8, 0.9, cpu, cpu)
    assert compare.verdict(mk(20, 30, 10), mk(40, 50, 35)).endswith("median error: yes, on mean error: yes; "
                                                                   ">= 3x less CPU: yes")
    assert "less CPU: no" in compare.verdict(mk(20, 30, 10), mk(40, 50, 25))
    assert "on mean error: no" in compare.verdict(mk(20, 60, 10), mk(40, 50, 35))


def test_missing_venv_is_one_line_and_exit_2(tmp_path, capsys):
    assert compare.main(["--pymc-python", str(tmp_path / "nope" / "python"), "--worlds", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "setup_pymc_venv.sh" in err and str(tmp_path / "nope") in err


def test_python_without_pymc_is_refused(capsys):
    # this venv's python exists but has no pymc_marketing
    assert compare.main(["--pymc-python", sys.executable]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot import pymc_marketing" in err


def test_run_pymc_through_a_fake_worker(tmp_path):
    fake = tmp_path / "fake_worker.py"
    fake.write_text("import json, sys\nspec = json.load(open(sys.argv[1]))\n"
                    f"out = {WORKER_OUT!r}\nout['channels'] = {{c: out['channels']['spend_a'] "
                    "for c in spec['channel_columns']}\njson.dump(out, open(sys.argv[2], 'w'))\n")
    run = compare.run_pymc(Path(sys.executable), {"channel_columns": ["spend_x", "spend_y"]}, tmp_path, worker=fake)
    assert set(run.estimates) == {"x", "y"} and run.estimates["x"].roi == 1.1
    assert run.cpu_seconds > 0 and run.wall_seconds > 0


def test_failed_worker_raises_with_its_last_lines(tmp_path):
    fake = tmp_path / "bad_worker.py"
    fake.write_text("raise SystemExit('sampler exploded')\n")
    with pytest.raises(RuntimeError, match="sampler exploded"):
        compare.run_pymc(Path(sys.executable), {}, tmp_path, worker=fake)


def test_world_case_gives_pymc_the_controls_not_the_kpi_or_spend():
    case = compare.world_case(3)
    assert case.controls == ("consumer_confidence", "competitor_spend")
    spec = compare.pymc_spec(case, Path("w.csv"), compare.argparse.Namespace(draws=5, chains=1, tune=5), 3)
    assert spec["channel_columns"] == [c for c in case.table.columns if c.startswith("spend_")]
    assert spec["target_column"] == "leads" and spec["plan_weeks"] == compare.PLAN_WEEKS
    assert set(case.truth) == {c.removeprefix("spend_") for c in spec["channel_columns"]}


def test_example_without_its_truth_module_is_a_note(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "core.mmm.pymc_example", None)  # as if the module did not exist
    note = compare.example_case(tmp_path / "mmm_example.csv")
    assert isinstance(note, str) and note.startswith("skipping the example")


def test_example_csv_becomes_our_format_with_plan_period_truth(tmp_path, monkeypatch):
    weeks = compare.PLAN_WEEKS + 4
    truth_mod = types.ModuleType("core.mmm.pymc_example")
    truth_mod.EXAMPLE_CHANNELS = ("x1", "x2")  # type: ignore[attr-defined]
    # a recipe whose contribution is 2·x for x1 and x² for x2
    truth_mod.channel_contribution = lambda x, ch: 2 * x if ch == "x1" else x ** 2  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "core.mmm.pymc_example", truth_mod)
    x2 = np.r_[np.full(4, 100.0), np.full(compare.PLAN_WEEKS, 3.0)]  # the early weeks are outside the plan
    csv = tmp_path / "mmm_example.csv"
    pd.DataFrame({"date_week": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%Y-%m-%d"),
                  "y": np.arange(weeks, dtype=float), "x1": np.ones(weeks), "x2": x2, "event_1": 0, "event_2": 0,
                  "dayofyear": 1, "t": np.arange(weeks)}).to_csv(csv, index=False)
    case = compare.example_case(csv)
    assert isinstance(case, compare.Case)
    assert list(case.table.columns) == ["week_start", "y", "spend_x1", "spend_x2", "event_1", "event_2", "t"]
    assert case.truth == pytest.approx({"x1": 2.0, "x2": 3.0}) and case.value_per_unit == 1.0
    assert case.controls == ("event_1", "event_2", "t") and not case.add_trend and not case.standardise_controls


def _fake_tools(monkeypatch, tmp_path, ours_factor: float, pymc_factor: float):
    """Both tools replaced by fakes that answer truth × a factor; the PyMC one still runs as a subprocess."""
    fake = tmp_path / "fake_worker.py"
    fake.write_text("import json, sys\nspec = json.load(open(sys.argv[1]))\n"
                    "json.dump({'divergences': 0, 'max_rhat': 1.0, 'channels': {c: {'roi': 1.0, 'roi_low': 0.5, "
                    "'roi_high': 2.0} for c in spec['channel_columns']}}, open(sys.argv[2], 'w'))\n")
    real_run_pymc = compare.run_pymc

    def pymc(python, spec, workdir, worker=None):
        run = real_run_pymc(Path(sys.executable), spec, workdir, worker=fake)
        truth = compare.world_case(0).truth
        est = {ch: compare.Estimate(truth[ch] * pymc_factor, 0.0, 9.0) for ch in run.estimates}
        return compare.ToolRun(est, 100.0, 50.0, run.diagnostics)

    def ours(case, seed):
        est = {ch: compare.Estimate(t * ours_factor, t * 0.9, t * 1.1) for ch, t in case.truth.items()}
        return compare.ToolRun(est, 10.0, 5.0)

    monkeypatch.setattr(compare, "pymc_python_problem", lambda python: None)
    monkeypatch.setattr(compare, "run_pymc", pymc)
    monkeypatch.setattr(compare, "run_ours", ours)


def test_main_prints_both_tools_and_the_verdict(monkeypatch, tmp_path, capsys):
    _fake_tools(monkeypatch, tmp_path, ours_factor=1.05, pymc_factor=1.5)
    assert compare.main(["--worlds", "1", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    ours_row = next(line for line in out.splitlines() if line.startswith("summary") and "ours" in line)
    assert ours_row.split()[2:4] == ["5.0", "5.0"]
    assert "CPU ratio (PyMC-Marketing / ours): 10.0x" in out and ">= 3x less CPU: yes" in out
    assert "0 divergences" in out


def test_main_json_has_cases_summary_and_verdict(monkeypatch, tmp_path, capsys):
    _fake_tools(monkeypatch, tmp_path, ours_factor=2.0, pymc_factor=1.5)
    assert compare.main(["--worlds", "1", "--seed", "0", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert set(got["cases"]["world seed 0"]) == {"ours", "pymc-marketing"}
    assert got["summary"]["ours"]["median_abs_pct_error"] == pytest.approx(100.0)
    assert got["summary"]["pymc-marketing"]["median_abs_pct_error"] == pytest.approx(50.0)
    assert "median error: no" in got["verdict"]
