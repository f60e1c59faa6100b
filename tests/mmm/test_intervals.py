"""Intervals: moving-block bootstrap weights against a loop oracle, and determinism of the bootstrap draws."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.mmm.data import load_weekly
from core.mmm.intervals import block_weights, bootstrap_draws
from core.mmm.search import fit_weighted, make_problem, start_point
from core.mmm.simulate import simulate_world
from core.mmm.types import FitConfig

TINY = FitConfig(seed=5, n_bootstrap=3, decays=(0.1, 0.5), half_sats=(0.8, 1.5), slopes=(1.0,), cv_folds=4)


def _blocks_oracle(weeks: int, block: int, seed: int) -> np.ndarray:
    """Replay the same draws and count, week by week, the circular blocks covering it (last block cut to fit)."""
    rng = np.random.default_rng(seed)
    n_blocks = -(-weeks // block)
    starts = rng.integers(0, weeks, n_blocks)
    counts = np.zeros(weeks)
    taken = 0
    for s in starts:
        for j in range(block):
            if taken == weeks:
                break
            counts[(s + j) % weeks] += 1
            taken += 1
    return counts


@pytest.mark.parametrize("weeks,block", [(104, 8), (30, 8), (13, 1), (20, 50), (7, 7)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_block_weights_are_counts_of_covering_blocks(weeks, block, seed):
    w = block_weights(weeks, block, np.random.default_rng(seed))
    assert w.shape == (weeks,)
    assert w.sum() == weeks
    assert np.all(w >= 0) and np.all(w == np.round(w))
    assert np.array_equal(w, _blocks_oracle(weeks, block, seed))


def test_block_weights_resample_whole_blocks():
    """With block 8 a sampled week's neighbours are sampled too: weights come in runs, unlike i.i.d. resampling."""
    w = block_weights(104, 8, np.random.default_rng(0))
    assert (w == 0).any() and (w > 1).any()
    changes = np.count_nonzero(np.diff(w))
    assert changes <= 2 * 13  # each of 13 blocks adds at most two edges to the count profile


@pytest.fixture(scope="module")
def fitted():
    data = load_weekly(simulate_world(3, n_channels=3).table, target="leads")
    problem = make_problem(data, TINY)
    sel0, shrink0 = start_point(problem, TINY)
    point = fit_weighted(problem, TINY, np.ones(data.weeks), sel0, shrink0, TINY.search_passes)
    return data, problem, point


def _flat(draws):
    return [(sorted(h.items()), sorted(b.items())) for h, b in draws]


def test_bootstrap_draws_count_keys_and_non_negative_betas(fitted):
    data, problem, point = fitted
    draws = bootstrap_draws(problem, TINY, point, data.channels)
    assert len(draws) == TINY.n_bootstrap
    for hyper, beta in draws:
        assert set(hyper) == set(beta) == set(data.channels)
        assert all(b >= 0 and np.isfinite(b) for b in beta.values())
        for c, ch in enumerate(data.channels):
            assert hyper[ch] in problem.cands.hypers[c]
    assert len({tuple(sorted(b.items())) for _, b in draws}) == len(draws)  # every draw is its own refit


def test_bootstrap_draws_deterministic_for_a_seed(fitted):
    data, problem, point = fitted
    a = bootstrap_draws(problem, TINY, point, data.channels)
    b = bootstrap_draws(problem, TINY, point, data.channels)
    other = bootstrap_draws(problem, dataclasses.replace(TINY, seed=TINY.seed + 1), point, data.channels)
    assert _flat(a) == _flat(b)
    assert _flat(a) != _flat(other)


def test_no_bootstrap_no_draws(fitted):
    data, problem, point = fitted
    assert bootstrap_draws(problem, dataclasses.replace(TINY, n_bootstrap=0), point, data.channels) == []


def test_resampling_alone_spreads_the_draws(fitted):
    """Without random starts the only source of spread is the block reweighting of weeks."""
    data, problem, point = fitted
    config = dataclasses.replace(TINY, bootstrap_random_start=False)
    draws = bootstrap_draws(problem, config, point, data.channels)
    betas = {tuple(b[ch] for ch in data.channels) for _, b in draws}
    assert len(betas) == len(draws)
