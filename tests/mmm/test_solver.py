"""Solver: the profiled NNLS-ridge against a brute-force bounded least-squares oracle, folds, CV and search."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import lsq_linear

from core.mmm.design import baseline_matrix
from core.mmm.solver import (
    block_folds,
    coordinate_search,
    cv_score,
    heldout_sse,
    make_system,
    predict_test,
    solve,
)

T, C, G = 40, 3, 2
RIDGE = 0.5
NO_TEST = np.array([], dtype=int)


@pytest.fixture(scope="module")
def problem():
    """A small random problem: baseline with two controls, 3 channels x 2 non-negative candidate columns.

    The KPI loads negatively on one channel so the b >= 0 bound is active at the optimum.
    """
    rng = np.random.default_rng(0)
    controls = pd.DataFrame({"a": rng.normal(size=T), "b": rng.normal(size=T)})
    base, _ = baseline_matrix(T, controls, 1)
    columns = rng.random((C, G, T))
    m = columns[np.arange(C), [0, 1, 1]].T
    y = base @ rng.normal(size=base.shape[1]) + m @ np.array([1.0, 0.5, -0.8]) + 0.05 * rng.normal(size=T)
    return y, base, columns


def oracle(y, base, columns, sel, shrink, weights, test):
    """Solve the stacked full problem min ||sqrt(w)(y - M b - B gamma)||² + ridge + shrink, b >= 0, with BVLS."""
    mask = weights > 0
    mask[test] = False
    sw = np.sqrt(weights[mask])[:, None]
    m = columns[np.arange(C), sel].T
    k = base.shape[1]
    pen = np.full(k, RIDGE)
    pen[:2] = 0.0  # intercept and trend are free
    a = np.vstack([
        np.hstack([m[mask] * sw, base[mask] * sw]),
        np.hstack([np.zeros((k, C)), np.diag(np.sqrt(pen))]),
        np.hstack([np.sqrt(shrink) * (np.eye(C) - np.ones((C, C)) / C), np.zeros((C, k))]),
    ])
    rhs = np.concatenate([y[mask] * sw[:, 0], np.zeros(k + C)])
    lower = np.concatenate([np.zeros(C), np.full(k, -np.inf)])
    res = lsq_linear(a, rhs, bounds=(lower, np.inf), method="bvls", tol=1e-14)
    return res.x[:C], res.x[C:]


def assert_close(actual, expected):
    scale = max(np.abs(expected).max(), 1e-12)
    assert np.abs(actual - expected).max() <= 1e-6 * scale


@pytest.mark.parametrize("shrink", [0.0, 0.1, 10.0])
def test_solve_matches_bounded_least_squares_oracle(problem, shrink):
    y, base, columns = problem
    system = make_system(y, base, columns, np.ones(T), NO_TEST, RIDGE)
    for sel in itertools.product(range(G), repeat=C):
        sel = np.array(sel)
        b, gamma = solve(system, columns, y, sel, shrink)
        ob, og = oracle(y, base, columns, sel, shrink, np.ones(T), NO_TEST)
        assert np.all(b >= 0)
        assert_close(b, ob)
        assert_close(gamma, og)


def test_solve_oracle_exercises_the_non_negativity_bound(problem):
    """The fixture is only a real test of the bound if some media coefficient sits at zero."""
    y, base, columns = problem
    system = make_system(y, base, columns, np.ones(T), NO_TEST, RIDGE)
    b, _ = solve(system, columns, y, np.array([0, 1, 1]), 0.1)
    assert np.any(b == 0) and np.any(b > 0)


def test_solve_with_bootstrap_weights_and_held_out_rows_matches_oracle(problem):
    y, base, columns = problem
    rng = np.random.default_rng(1)
    weights = np.bincount(rng.integers(0, T, T), minlength=T).astype(float)  # some rows 0, some 2+
    assert (weights == 0).any() and (weights > 1).any()
    test = np.arange(10, 18)
    system = make_system(y, base, columns, weights, test, RIDGE)
    assert set(system.train) == set(np.flatnonzero(weights > 0)) - set(test)
    for sel in ([0, 1, 1], [1, 0, 0]):
        sel = np.array(sel)
        b, gamma = solve(system, columns, y, sel, 0.1)
        ob, og = oracle(y, base, columns, sel, 0.1, weights, test)
        assert_close(b, ob)
        assert_close(gamma, og)


def test_integer_weights_equal_duplicated_rows(problem):
    """Weight 2 on a row is the same fit as that row appearing twice (what a bootstrap weight means)."""
    y, base, columns = problem
    weights = np.ones(T)
    weights[:5] = 2.0
    sel = np.array([1, 0, 1])
    b, gamma = solve(make_system(y, base, columns, weights, NO_TEST, RIDGE), columns, y, sel, 0.1)
    dup = np.r_[np.arange(T), np.arange(5)]
    y2, base2, cols2 = y[dup], base[dup], columns[:, :, dup]
    b2, gamma2 = solve(make_system(y2, base2, cols2, np.ones(len(dup)), NO_TEST, RIDGE), cols2, y2, sel, 0.1)
    assert_close(b, b2)
    assert_close(gamma, gamma2)


@pytest.mark.parametrize("weeks,n", [(104, 13), (40, 5), (41, 6), (10, 10), (7, 3)])
def test_block_folds_partition_weeks_into_contiguous_blocks(weeks, n):
    folds = block_folds(weeks, n)
    assert len(folds) == n
    assert np.array_equal(np.concatenate(folds), np.arange(weeks))  # in order, each week once
    assert all(len(f) > 0 and np.all(np.diff(f) == 1) for f in folds)
    sizes = [len(f) for f in folds]
    assert max(sizes) - min(sizes) <= 1


def test_predict_test_and_heldout_sse_match_oracle_fit_on_training_rows(problem):
    y, base, columns = problem
    rng = np.random.default_rng(2)
    weights = rng.integers(1, 4, T).astype(float)
    test = np.arange(20, 28)
    system = make_system(y, base, columns, weights, test, RIDGE)
    sel = np.array([0, 1, 0])
    ob, og = oracle(y, base, columns, sel, 0.1, weights, test)
    expected = base[test] @ og + columns[np.arange(C), sel][:, test].T @ ob
    pred = predict_test(system, columns, y, sel, 0.1, base)
    assert_close(pred, expected)
    sse = heldout_sse(system, columns, y, sel, 0.1, base)
    assert sse == pytest.approx(np.sum(weights[test] * (y[test] - expected) ** 2), rel=1e-6)


def test_cv_score_is_sum_of_fold_heldout_sse(problem):
    y, base, columns = problem
    systems = [make_system(y, base, columns, np.ones(T), f, RIDGE) for f in block_folds(T, 4)]
    sel = np.array([1, 1, 0])
    per_fold = [heldout_sse(s, columns, y, sel, 0.1, base) for s in systems]
    assert all(v > 0 for v in per_fold)
    assert cv_score(systems, columns, y, sel, 0.1, base) == pytest.approx(sum(per_fold), rel=1e-12)


def _objective(systems, columns, y, base, sel, shrink, sigma2, prior_cost, prior_weight):
    """The search objective, computed independently: CV SSE / σ² + weighted prior cost of the chosen candidates."""
    return (cv_score(systems, columns, y, sel, shrink, base) / sigma2
            + prior_weight * sum(prior_cost[c, g] for c, g in enumerate(sel)))


def test_coordinate_search_never_worse_than_its_start(problem):
    y, base, columns = problem
    systems = [make_system(y, base, columns, np.ones(T), f, RIDGE) for f in block_folds(T, 5)]
    rng = np.random.default_rng(3)
    prior_cost = rng.random((C, G)) * 3
    for start in itertools.product(range(G), repeat=C):
        start = np.array(start)
        sigma2 = cv_score(systems, columns, y, start, 0.1, base) / T
        start_score = _objective(systems, columns, y, base, start, 0.1, sigma2, prior_cost, 1.0)
        sel, shrink, best = coordinate_search(systems, columns, y, base, start, 0.1, (0.01, 0.1, 1.0), 2,
                                              prior_cost, 1.0)
        assert best <= start_score + 1e-9
        assert shrink in (0.01, 0.1, 1.0)
        # the reported objective is the objective of what it returns
        assert best == pytest.approx(_objective(systems, columns, y, base, sel, shrink, sigma2, prior_cost, 1.0))


def test_coordinate_search_finds_the_generating_candidates():
    rng = np.random.default_rng(4)
    weeks, n_cand = 60, 3
    base, _ = baseline_matrix(weeks, pd.DataFrame(), 1)
    columns = rng.random((C, n_cand, weeks))
    truth = np.array([2, 0, 1])
    y = (base @ np.array([3.0, 0.5, 0.2, -0.1])
         + columns[np.arange(C), truth].T @ np.array([1.0, 0.8, 1.2]) + 0.01 * rng.normal(size=weeks))
    systems = [make_system(y, base, columns, np.ones(weeks), f, RIDGE) for f in block_folds(weeks, 6)]
    start = (truth + 1) % n_cand  # every channel starts on a wrong candidate
    sel, _, _ = coordinate_search(systems, columns, y, base, start, 0.01, (0.01,), 3,
                                  np.zeros((C, n_cand)), 1.0)
    assert np.array_equal(sel, truth)
