"""Fit the MMM: per-channel transforms chosen by blocked time-series CV, then non-negative ridge."""

from __future__ import annotations

import time

import numpy as np

from core.mmm.data import WeeklyData
from core.mmm.intervals import bootstrap_draws
from core.mmm.search import (
    PointFit,
    Problem,
    fit_weighted,
    make_problem,
    start_point,
    to_params,
)
from core.mmm.solver import make_system, predict_test
from core.mmm.types import ChannelHyper, FitConfig, MmmFit


def holdout_mape(problem: Problem, config: FitConfig, point: PointFit) -> float:
    """MAPE on the last `holdout_weeks` weeks of a fit (same transforms) that never saw them."""
    weeks = len(problem.y)
    test = np.arange(weeks - config.holdout_weeks, weeks)
    system = make_system(problem.y, problem.base, problem.cands.columns, np.ones(weeks), test, config.baseline_ridge)
    pred = predict_test(system, problem.cands.columns, problem.y, point.sel, point.shrink, problem.base)
    actual = problem.y[test]
    ok = actual > 0
    return float(np.mean(np.abs(actual[ok] - pred[ok]) / actual[ok]) * 100)


def fit_model(data: WeeklyData, config: FitConfig | None = None,
              fixed: dict[str, ChannelHyper] | None = None) -> MmmFit:
    """Fit the model and (if config.n_bootstrap > 0) its bootstrap draws; deterministic under config.seed.

    `fixed` pins every channel's transform (the benchmark's "true transforms" floor); the rest are searched.
    """
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
