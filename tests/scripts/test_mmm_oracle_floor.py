"""The oracle floor's sampler: truncated draws stay in range with the right moments, and the posterior of a
simulated world lies inside the prior's range and centres near the truth."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
from scipy.stats import truncnorm

from core.mmm.simulate import TRUE_ROI_RANGE, simulate_world

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mmm_oracle_floor.py"


def _load():
    """Import the script by path: scripts/ is not a package."""
    spec = importlib.util.spec_from_file_location("mmm_oracle_floor", SCRIPT)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["mmm_oracle_floor"] = mod
    spec.loader.exec_module(mod)
    return mod


oracle = _load()


def test_truncated_normal_matches_scipy_moments_and_range() -> None:
    rng = np.random.default_rng(1)
    draws = np.array([oracle.truncated_normal(rng, 0.3, 1.0, 0.0, 1.0) for _ in range(20000)])
    assert draws.min() >= 0.0 and draws.max() <= 1.0
    expected = truncnorm(-0.3, 0.7, loc=0.3, scale=1.0)
    assert abs(draws.mean() - expected.mean()) < 0.01
    assert abs(draws.std() - expected.std()) < 0.01


def test_truncated_normal_far_tail_still_lands_in_range() -> None:
    rng = np.random.default_rng(2)
    draws = [oracle.truncated_normal(rng, -50.0, 1.0, 0.0, 1.0) for _ in range(100)]
    assert all(0.0 <= d <= 1.0 for d in draws)


def test_posterior_lies_in_the_prior_range_and_beats_a_constant_guess() -> None:
    world = simulate_world(3)
    truth, least_squares, draws = oracle.posterior_rois(world, 400, np.random.default_rng(0))
    assert draws.shape == (400, len(truth)) and least_squares.shape == truth.shape
    assert draws.min() >= TRUE_ROI_RANGE[0] - 1e-12 and draws.max() <= TRUE_ROI_RANGE[1] + 1e-12
    guess = np.full_like(truth, np.mean(TRUE_ROI_RANGE))
    assert np.mean(np.abs(draws.mean(axis=0) / truth - 1)) < np.mean(np.abs(guess / truth - 1))


def test_scores_are_the_bench_measures() -> None:
    truths = [np.array([1.0, 2.0, 3.0])]
    out = oracle.scores([np.array([1.1, 2.0, 2.7])], truths)
    assert out == {"median_roi_abs_pct_error": 10.0, "mean_roi_abs_pct_error": 6.7, "median_spearman": 1.0}
