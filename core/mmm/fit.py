"""Fit the MMM: per-channel transforms chosen by blocked time-series CV, then non-negative ridge."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from core.mmm.candidates import Candidates, build_candidates
from core.mmm.data import WeeklyData
from core.mmm.design import baseline_matrix
from core.mmm.solver import block_folds, coordinate_search, cv_score, make_system, predict_test, solve
from core.mmm.types import ChannelHyper, FitConfig, MmmFit


@dataclass(frozen=True)
class Problem:
    """The fixed pieces of a fit: scaled target, baseline design and candidate columns."""

    y: np.ndarray  # target / its mean
    base: np.ndarray
    base_names: list[str]
    cands: Candidates


@dataclass(frozen=True)
class PointFit:
    """One weighted fit: chosen candidate per channel, shrinkage, coefficients and CV error."""

    sel: np.ndarray
    shrink: float
    media_coef: np.ndarray
    base_coef: np.ndarray
    cv_sse: float


def make_problem(data: WeeklyData, config: FitConfig, fixed: dict[str, ChannelHyper] | None = None) -> Problem:
    """Scale the target and build the baseline and candidate columns."""
    cands = build_candidates(data, config, fixed)
    base, names = baseline_matrix(data.weeks, data.controls, config.fourier_order)
    return Problem(data.target / cands.y_scale, base, names, cands)


def fit_weighted(problem: Problem, config: FitConfig, weights: np.ndarray, start: np.ndarray,
                 shrink: float, passes: int) -> PointFit:
    """Search transforms by CV on weighted rows, then refit on all weighted rows."""
    cols, y, base = problem.cands.columns, problem.y, problem.base
    systems = [make_system(y, base, cols, weights, test, config.baseline_ridge)
               for test in block_folds(len(y), config.cv_folds)]
    sel, shrink, _ = coordinate_search(systems, cols, y, base, start, shrink, config.roi_shrinkage, passes,
                                       problem.cands.prior_cost, config.prior_weight)
    cv = cv_score(systems, cols, y, sel, shrink, base)
    full = make_system(y, base, cols, weights, np.array([], dtype=int), config.baseline_ridge)
    b, gamma = solve(full, cols, y, sel, shrink)
    return PointFit(sel, shrink, b, gamma, cv)


def to_params(problem: Problem, channels: tuple[str, ...], point: PointFit
              ) -> tuple[dict[str, ChannelHyper], dict[str, float]]:
    """Chosen hyperparameters and betas (max weekly KPI effect) per channel."""
    cands = problem.cands
    hyper = {ch: cands.hypers[c][point.sel[c]] for c, ch in enumerate(channels)}
    beta = {ch: float(point.media_coef[c] * cands.to_beta[c, point.sel[c]]) for c, ch in enumerate(channels)}
    return hyper, beta


def holdout_mape(problem: Problem, config: FitConfig, point: PointFit) -> float:
    """MAPE on the last `holdout_weeks` weeks of a fit (same transforms) that never saw them."""
    weeks = len(problem.y)
    test = np.arange(weeks - config.holdout_weeks, weeks)
    system = make_system(problem.y, problem.base, problem.cands.columns, np.ones(weeks), test, config.baseline_ridge)
    pred = predict_test(system, problem.cands.columns, problem.y, point.sel, point.shrink, problem.base)
    actual = problem.y[test]
    ok = actual > 0
    return float(np.mean(np.abs(actual[ok] - pred[ok]) / actual[ok]) * 100)


def start_point(problem: Problem, config: FitConfig) -> tuple[np.ndarray, float]:
    """Each channel's most typical candidate (lowest prior cost) and the middle shrinkage."""
    return problem.cands.prior_cost.argmin(axis=1), config.roi_shrinkage[len(config.roi_shrinkage) // 2]


def fit_model(data: WeeklyData, config: FitConfig | None = None,
              fixed: dict[str, ChannelHyper] | None = None) -> MmmFit:
    """Fit the model and (if config.n_bootstrap > 0) its bootstrap draws; deterministic under config.seed.

    `fixed` pins every channel's transform (the benchmark's "true transforms" floor); the rest are searched.
    """
    from core.mmm.intervals import bootstrap_draws  # imports fit_weighted; avoid a cycle

    config = config or FitConfig()
    started = time.perf_counter()
    problem = make_problem(data, config, fixed)
    sel0, shrink0 = start_point(problem, config)
    point = fit_weighted(problem, config, np.ones(data.weeks), sel0, shrink0, config.search_passes)
    hyper, beta = to_params(problem, data.channels, point)
    fit = MmmFit(
        data=data, config=config, hyper=hyper, beta=beta, baseline_names=problem.base_names,
        baseline_matrix=problem.base, baseline_coef=point.base_coef * problem.cands.y_scale,
        roi_shrinkage=point.shrink, cv_rmse=float(np.sqrt(point.cv_sse / data.weeks) * problem.cands.y_scale),
        holdout_mape=holdout_mape(problem, config, point), fit_seconds=0.0,
    )
    fit.draws = bootstrap_draws(problem, config, point, data.channels)
    fit.fit_seconds = time.perf_counter() - started
    return fit
