"""Solver: the profiled NNLS-ridge against a brute-force bounded least-squares oracle, folds, CV and search.

The stacked CV (core.mmm.folds) is checked here against the same oracle, fold by fold.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import lsq_linear

from core.mmm.design import baseline_matrix
from core.mmm.folds import stack_folds
from core.mmm.solver import (
    block_folds,
    coordinate_search,
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


def oracle_sse(y, base, columns, sel, shrink, weights, test):
    """Weighted held-out squared error of the oracle's fit on the other rows."""
    ob, og = oracle(y, base, columns, sel, shrink, weights, test)
    expected = base[test] @ og + columns[np.arange(C), sel][:, test].T @ ob
    return float(np.sum(weights[test] * (y[test] - expected) ** 2))


def cv_oracle(y, base, columns, sel, shrink, weights, folds):
    """CV SSE, fold by fold, from the oracle."""
    return sum(oracle_sse(y, base, columns, sel, shrink, weights, f) for f in folds)


def test_predict_test_matches_oracle_fit_on_training_rows(problem):
    y, base, columns = problem
    rng = np.random.default_rng(2)
    weights = rng.integers(1, 4, T).astype(float)
    test = np.arange(20, 28)
    system = make_system(y, base, columns, weights, test, RIDGE)
    sel = np.array([0, 1, 0])
    ob, og = oracle(y, base, columns, sel, 0.1, weights, test)
    expected = base[test] @ og + columns[np.arange(C), sel][:, test].T @ ob
    assert_close(predict_test(system, columns, y, sel, 0.1, base), expected)


@pytest.mark.parametrize("shrink", [0.0, 0.1, 10.0])
def test_stacked_folds_sse_matches_oracle_for_every_choice(problem, shrink):
    """Every candidate choice in turn, so the remembered positive set is both reused and invalidated."""
    y, base, columns = problem
    rng = np.random.default_rng(5)
    weights = np.bincount(rng.integers(0, T, T), minlength=T).astype(float)  # bootstrap-like: some rows 0
    folds = block_folds(T, 4)  # 10 weeks each, so fold sizes differ once zero-weight rows drop out
    stacked = stack_folds([make_system(y, base, columns, weights, f, RIDGE) for f in folds], columns, y, base)
    choices = [np.array(s) for s in itertools.product(range(G), repeat=C)]
    for sel in choices + choices[::-1]:
        expected = cv_oracle(y, base, columns, sel, shrink, weights, folds)
        assert stacked.sse(sel, shrink) == pytest.approx(expected, rel=1e-6)


def test_stacked_folds_exercise_both_the_kept_and_the_changed_positive_set(problem):
    """The fixture only tests both paths if some fold's positive set changes between choices and some does not."""
    y, base, columns = problem
    stacked = stack_folds([make_system(y, base, columns, np.ones(T), f, RIDGE) for f in block_folds(T, 4)],
                          columns, y, base)
    seen = []
    for sel in itertools.product(range(G), repeat=C):
        stacked.sse(np.array(sel), 0.1)
        seen.append(stacked.positive.copy())
    changes = [np.any(a != b, axis=1) for a, b in zip(seen, seen[1:])]
    assert any(c.any() for c in changes) and any((~c).any() for c in changes)
    assert any((~s).any() for s in seen)  # the bound is active somewhere


def test_stacked_folds_with_a_channel_dark_in_training_weeks(problem):
    """A channel with no spend outside the held-out block leaves Q singular without shrinkage: its coefficient is 0."""
    y, base, columns = problem
    cols = columns.copy()
    cols[2, :, 10:] = 0.0  # channel 2 spends only in weeks 0-9, which fold 0 holds out
    folds = block_folds(T, 4)
    stacked = stack_folds([make_system(y, base, cols, np.ones(T), f, RIDGE) for f in folds], cols, y, base)
    sel = np.array([0, 1, 1])
    value = stacked.sse(sel, 0.0)
    assert np.isfinite(value)
    assert value == pytest.approx(cv_oracle(y, base, cols, sel, 0.0, np.ones(T), folds), rel=1e-6)


def _objective(y, base, columns, folds, sel, shrink, sigma2, prior_cost, prior_weight):
    """The search objective, computed independently: CV SSE / σ² + weighted prior cost of the chosen candidates."""
    return (cv_oracle(y, base, columns, sel, shrink, np.ones(T), folds) / sigma2
            + prior_weight * sum(prior_cost[c, g] for c, g in enumerate(sel)))


def test_coordinate_search_never_worse_than_its_start(problem):
    y, base, columns = problem
    folds = block_folds(T, 5)
    stacked = stack_folds([make_system(y, base, columns, np.ones(T), f, RIDGE) for f in folds], columns, y, base)
    rng = np.random.default_rng(3)
    prior_cost = rng.random((C, G)) * 3
    for start in itertools.product(range(G), repeat=C):
        start = np.array(start)
        sigma2 = cv_oracle(y, base, columns, start, 0.1, np.ones(T), folds) / T
        start_score = _objective(y, base, columns, folds, start, 0.1, sigma2, prior_cost, 1.0)
        sel, shrink, best = coordinate_search(stacked.sse, T, start, 0.1, (0.01, 0.1, 1.0), 2, prior_cost, 1.0)
        assert best <= start_score + 1e-6
        assert shrink in (0.01, 0.1, 1.0)
        # the reported objective is the objective of what it returns
        assert best == pytest.approx(_objective(y, base, columns, folds, sel, shrink, sigma2, prior_cost, 1.0),
                                     rel=1e-6)


def test_coordinate_search_finds_the_generating_candidates():
    rng = np.random.default_rng(4)
    weeks, n_cand = 60, 3
    base, _ = baseline_matrix(weeks, pd.DataFrame(), 1)
    columns = rng.random((C, n_cand, weeks))
    truth = np.array([2, 0, 1])
    y = (base @ np.array([3.0, 0.5, 0.2, -0.1])
         + columns[np.arange(C), truth].T @ np.array([1.0, 0.8, 1.2]) + 0.01 * rng.normal(size=weeks))
    stacked = stack_folds([make_system(y, base, columns, np.ones(weeks), f, RIDGE) for f in block_folds(weeks, 6)],
                          columns, y, base)
    start = (truth + 1) % n_cand  # every channel starts on a wrong candidate
    sel, _, _ = coordinate_search(stacked.sse, weeks, start, 0.01, (0.01,), 3, np.zeros((C, n_cand)), 1.0)
    assert np.array_equal(sel, truth)
