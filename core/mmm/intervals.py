"""Uncertainty by moving-block bootstrap of weeks that re-searches the transforms in every draw.

Resampling residuals with the transforms held fixed under-covers badly (the
transform choice is the biggest source of error), so each draw reweights whole
blocks of weeks and reruns the CV search from a random start: the greedy search is path
dependent, and that spread is part of the estimate's uncertainty.
"""

from __future__ import annotations

import numpy as np

from core.mmm.search import PointFit, Problem, fit_weighted, to_params
from core.mmm.types import ChannelHyper, FitConfig


def block_weights(weeks: int, block: int, rng: np.random.Generator) -> np.ndarray:
    """How often each week appears in one circular moving-block bootstrap sample of `weeks` weeks."""
    n_blocks = int(np.ceil(weeks / block))
    starts = rng.integers(0, weeks, n_blocks)
    idx = (starts[:, None] + np.arange(block)[None, :]).ravel()[:weeks] % weeks
    return np.bincount(idx, minlength=weeks).astype(float)


def bootstrap_draws(problem: Problem, config: FitConfig, point: PointFit, channels: tuple[str, ...]
                    ) -> list[tuple[dict[str, ChannelHyper], dict[str, float]]]:
    """n_bootstrap refits (hyperparameters and betas) on block-resampled weeks."""
    rng = np.random.default_rng(config.seed)
    n_ch, n_cand = problem.cands.columns.shape[:2]
    draws = []
    for _ in range(config.n_bootstrap):
        w = block_weights(len(problem.y), config.bootstrap_block, rng)
        start = np.asarray(rng.integers(0, n_cand, n_ch)) if config.bootstrap_random_start else point.sel
        refit = fit_weighted(problem, config, w, start, point.shrink, config.bootstrap_passes)
        draws.append(to_params(problem, channels, refit))
    return draws
