"""Bootstrap refits on a process pool: the same draws as the serial loop, the same cache entry, errors surface."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import sys
import types

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from core.config import Settings
from core.mmm import __main__ as cli
from core.mmm import cache, intervals
from core.mmm.cache import fit_key, fit_to_entry, get_fit
from core.mmm.data import WeeklyData, load_weekly
from core.mmm.fit import fit_model
from core.mmm.intervals import MIN_PARALLEL_DRAWS, REFIT_BLAS_THREADS, bootstrap_draws, refit_workers
from core.mmm.search import PointFit, Problem, fit_weighted, make_problem, start_point
from core.mmm.simulate import simulate_world
from core.mmm.types import FitConfig

# A small grid on a 3-channel world keeps each refit well under a second; 4 draws are 2 per worker.
SMALL = FitConfig(seed=11, n_bootstrap=4, decays=(0.1, 0.5), half_sats=(0.8, 1.5), slopes=(1.0,), cv_folds=4)


@pytest.fixture(scope="module")
def small_data() -> WeeklyData:
    """A simulated weekly table with three channels."""
    return load_weekly(simulate_world(5, n_channels=3).table, target="leads")


@pytest.fixture(scope="module")
def point_fit(small_data) -> tuple[Problem, PointFit]:
    """The problem and point fit the refits start from."""
    problem = make_problem(small_data, SMALL)
    sel0, shrink0 = start_point(problem, SMALL)
    return problem, fit_weighted(problem, SMALL, np.ones(small_data.weeks), sel0, shrink0, SMALL.search_passes)


def _pool_calls(monkeypatch) -> list[int]:
    """Record the worker count of every pool bootstrap_draws starts (and still run it)."""
    calls: list[int] = []
    real = intervals._refit_in_pool

    def spy(problem, config, shrink, plan, workers):
        calls.append(workers)
        return real(problem, config, shrink, plan, workers)

    monkeypatch.setattr(intervals, "_refit_in_pool", spy)
    return calls


def test_two_workers_give_the_serial_draws_exactly(small_data, point_fit, monkeypatch):
    problem, point = point_fit
    config = SMALL
    calls = _pool_calls(monkeypatch)
    serial = bootstrap_draws(problem, dataclasses.replace(config, workers=1), point, small_data.channels)
    assert calls == []  # one worker is the in-process loop
    parallel = bootstrap_draws(problem, dataclasses.replace(config, workers=2), point, small_data.channels)
    assert calls == [2]  # the pool really ran
    assert len(parallel) == config.n_bootstrap
    assert [h for h, _ in parallel] == [h for h, _ in serial]
    assert [b for _, b in parallel] == [b for _, b in serial]  # bit for bit, not approximately
    assert len({tuple(b.values()) for _, b in parallel}) == config.n_bootstrap  # draws differ from each other
    assert not multiprocessing.active_children()  # the pool's workers were joined


def test_workers_do_not_rerun_the_main_script(small_data, point_fit, monkeypatch, tmp_path):
    """Streamlit makes the app script `__main__`: a worker that re-ran it would run the whole app (and fit again)."""
    problem, point = point_fit
    marker = tmp_path / "main-ran"
    script = tmp_path / "app.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    fake_main = types.ModuleType("__main__")
    fake_main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", fake_main)
    draws = bootstrap_draws(problem, dataclasses.replace(SMALL, workers=2), point, small_data.channels)
    assert len(draws) == SMALL.n_bootstrap
    assert not marker.exists()


def _blas_threads() -> set[int]:
    """Thread counts of the BLAS libraries loaded in this process."""
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_serial_refits_and_workers_use_the_same_blas_thread_count(small_data, point_fit, monkeypatch):
    """OpenBLAS's last bits depend on its thread count: both paths must refit with REFIT_BLAS_THREADS."""
    problem, point = point_fit
    seen: list[set[int]] = []

    def spy(*args, **kwargs):
        seen.append(_blas_threads())
        return fit_weighted(*args, **kwargs)

    with threadpool_limits(REFIT_BLAS_THREADS + 1, user_api="blas"):
        before = _blas_threads()
        monkeypatch.setattr(intervals, "fit_weighted", spy)
        bootstrap_draws(problem, dataclasses.replace(SMALL, workers=1), point, small_data.channels)
        assert seen == [{REFIT_BLAS_THREADS}] * SMALL.n_bootstrap
        assert _blas_threads() == before  # the limit ends with the loop
        intervals._limit_blas_threads()  # what every pool worker runs first
        assert _blas_threads() == {REFIT_BLAS_THREADS}


def test_worker_count_changes_neither_the_cache_key_nor_the_stored_fit(small_data):
    configs = [dataclasses.replace(SMALL, workers=n) for n in (None, 1, 2)]
    assert len({fit_key(b"table", "leads", c) for c in configs}) == 1
    assert fit_key(b"table", "leads", SMALL) != fit_key(b"table", "leads", dataclasses.replace(SMALL, seed=12))
    entries = []
    for config in configs[1:]:
        entry = fit_to_entry(fit_model(small_data, config), "k")
        entry.pop("fit_seconds")  # the only number allowed to differ
        entries.append(entry)
    assert entries[0] == entries[1]


def test_a_cached_serial_fit_serves_a_parallel_request(tmp_path, monkeypatch):
    settings = Settings(data_dir=tmp_path)
    settings.mmm_dir.mkdir(parents=True)
    simulate_world(5, n_channels=3).table.to_csv(settings.model_ready_path, index=False)
    first = get_fit(settings, config=dataclasses.replace(SMALL, workers=1))

    def refit(*args, **kwargs):
        raise AssertionError("refitted: the worker count reached the cache key")

    monkeypatch.setattr(cache, "fit_model", refit)
    again = get_fit(settings, config=dataclasses.replace(SMALL, workers=2))
    assert again.draws == first.draws and again.fit_seconds == first.fit_seconds


def test_a_failing_refit_raises_from_the_serial_loop(small_data, point_fit, monkeypatch):
    problem, point = point_fit
    calls: list[int] = []

    def second_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise FloatingPointError("refit 2 diverged")
        return fit_weighted(*args, **kwargs)

    monkeypatch.setattr(intervals, "fit_weighted", second_fails)
    with pytest.raises(FloatingPointError, match="refit 2 diverged"):
        bootstrap_draws(problem, dataclasses.replace(SMALL, workers=1), point, small_data.channels)
    assert len(calls) == 2  # it stopped at the failing draw


def test_a_failing_refit_in_a_worker_raises_the_serial_exception_type(small_data, point_fit):
    """A baseline with too few rows fails inside every refit; the pool must re-raise it, not hang or wrap it."""
    problem, point = point_fit
    broken = dataclasses.replace(problem, base=problem.base[:-20])
    with pytest.raises(IndexError) as serial:
        bootstrap_draws(broken, dataclasses.replace(SMALL, workers=1), point, small_data.channels)
    with pytest.raises(IndexError) as parallel:
        bootstrap_draws(broken, dataclasses.replace(SMALL, workers=2), point, small_data.channels)
    assert str(parallel.value) == str(serial.value)
    assert not multiprocessing.active_children()


@pytest.mark.parametrize("n_bootstrap,workers,cpus,expected", [
    (40, None, 2, 2),  # default: one process per CPU
    (40, None, 1, 1),  # one CPU: serial
    (40, None, 64, 40),  # never more processes than draws
    (MIN_PARALLEL_DRAWS - 1, None, 2, 1),  # too few draws to pay for a pool
    (MIN_PARALLEL_DRAWS, None, 2, 2),
    (4, 2, 1, 2),  # an explicit count is honoured
    (3, 8, 2, 3),  # ... up to the draws
    (40, 1, 2, 1),
    (0, 4, 2, 1),  # no draws, no pool
])
def test_worker_count_rule(n_bootstrap, workers, cpus, expected):
    assert refit_workers(FitConfig(n_bootstrap=n_bootstrap, workers=workers), cpus) == expected


def test_serial_inside_a_multiprocessing_child(monkeypatch):
    """A fit run inside someone's pool worker must not start a pool of its own on the same cores."""
    monkeypatch.setattr(multiprocessing, "parent_process", lambda: object())
    assert refit_workers(FitConfig(n_bootstrap=40, workers=2), 2) == 1
    assert refit_workers(FitConfig(n_bootstrap=40), 2) == 1


@pytest.mark.parametrize("bad", [0, -1, True])
def test_a_worker_count_that_cannot_run_is_refused(bad):
    with pytest.raises(ValueError, match="workers"):
        FitConfig(workers=bad)


def test_fit_time_cli_times_a_point_fit_and_a_fit_with_intervals(tmp_path, monkeypatch, capsys):
    path = tmp_path / "weekly.csv"
    simulate_world(5, n_channels=3).table.to_csv(path, index=False)
    monkeypatch.setenv("MIP_DATA_DIR", str(tmp_path))
    fitted: list[FitConfig] = []

    def spy(data, config):
        fitted.append(config)
        return fit_model(data, config)

    monkeypatch.setattr(cli, "fit_model", spy)
    assert cli.main(["fit-time", "--data", str(path), "--bootstrap", "2", "--workers", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(c.n_bootstrap, c.workers) for c in fitted] == [(0, 1), (2, 1)]  # point fit, then with intervals
    assert out["n_bootstrap"] == 2 and out["workers"] == 1 and out["weeks"] == 104 and out["channels"] == 3
    for timed in (out["point_fit"], out["fit_with_intervals"]):
        assert timed["wall_seconds"] > 0 and timed["cpu_seconds"] > 0
    assert not list(tmp_path.glob("cache/**/*.json"))  # timed outside the cache


def test_fit_time_cli_refuses_zero_workers(tmp_path, monkeypatch, capsys):
    path = tmp_path / "weekly.csv"
    simulate_world(5, n_channels=3).table.to_csv(path, index=False)
    monkeypatch.setenv("MIP_DATA_DIR", str(tmp_path))
    assert cli.main(["fit-time", "--data", str(path), "--workers", "0"]) == 2
    assert "workers" in capsys.readouterr().err
