"""The transform search shared by the point fit and every bootstrap refit: one weighted CV search and refit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.mmm.candidates import Candidates, build_candidates
from core.mmm.data import WeeklyData
from core.mmm.design import baseline_matrix
from core.mmm.folds import stack_folds
from core.mmm.solver import block_folds, coordinate_search, make_system, solve
from core.mmm.types import ChannelHyper, FitConfig


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
    folds = stack_folds([make_system(y, base, cols, weights, test, config.baseline_ridge)
                         for test in block_folds(len(y), config.cv_folds)], cols, y, base)
    sel, shrink, _ = coordinate_search(folds.sse, len(y), start, shrink, config.roi_shrinkage, passes,
                                       problem.cands.prior_cost, config.prior_weight)
    cv = folds.sse(sel, shrink)
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


def start_point(problem: Problem, config: FitConfig) -> tuple[np.ndarray, float]:
    """Each channel's most typical candidate (lowest prior cost) and the middle shrinkage."""
    return problem.cands.prior_cost.argmin(axis=1), config.roi_shrinkage[len(config.roi_shrinkage) // 2]
