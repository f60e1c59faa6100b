"""Ridge with non-negative media effects, solved fast enough to sit inside a hyperparameter search.

For fixed media coefficients b the ridge baseline has a closed form, so it is
profiled out: the remaining problem in b is min ||L (y - M b)||² + λ ||(I - 11ᵀ/C) b||²,
b ≥ 0, where L is the square root of the ridge "residual maker". That is one tiny
NNLS per evaluation. The second term pulls channel ROIs toward their shared mean.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import nnls


@dataclass(frozen=True)
class System:
    """Everything about one training set (rows + weights) that does not depend on the media choice."""

    train: np.ndarray  # row indices
    test: np.ndarray
    test_w: np.ndarray
    ridge_map: np.ndarray  # G: baseline coef = G @ sqrt(w) * (y - M b) on train rows
    sw: np.ndarray  # sqrt weights on train rows
    ly: np.ndarray  # L @ sqrt(w) y
    lm: np.ndarray  # (C, G, n_train): L @ sqrt(w) * candidate columns


UNPENALISED = 2  # intercept and trend: shrinking the trend would hand its growth to media that grew with it


def _penalty(n_baseline: int, ridge: float) -> np.ndarray:
    """Ridge penalty on baseline coefficients; intercept and trend are free."""
    pen = np.full(n_baseline, ridge)
    pen[:UNPENALISED] = 0.0
    return np.diag(pen)


def make_system(y: np.ndarray, base: np.ndarray, columns: np.ndarray, weights: np.ndarray,
                test: np.ndarray, ridge: float) -> System:
    """Profile the baseline out for the training rows (weighted rows outside `test`)."""
    mask = weights > 0
    mask[test] = False
    train = np.flatnonzero(mask)
    sw = np.sqrt(weights[train])
    bt = base[train] * sw[:, None]
    gram = bt.T @ bt + _penalty(base.shape[1], ridge)
    ridge_map = np.linalg.solve(gram, bt.T)
    resid_maker = np.eye(len(train)) - bt @ ridge_map
    vals, vecs = np.linalg.eigh((resid_maker + resid_maker.T) / 2)
    root = (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    lm = np.einsum("ij,cgj->cgi", root, columns[:, :, train] * sw)
    return System(train, test, weights[test], ridge_map, sw, root @ (y[train] * sw), lm)


def solve(system: System, columns: np.ndarray, y: np.ndarray, sel: np.ndarray, shrink: float
          ) -> tuple[np.ndarray, np.ndarray]:
    """Media coefficients (≥ 0) and baseline coefficients for one choice of candidates."""
    n = len(sel)
    idx = np.arange(n)
    a = system.lm[idx, sel].T  # (n_train, C)
    centre = np.eye(n) - 1.0 / n
    a_aug = np.vstack([a, np.sqrt(shrink) * centre])
    b, _ = nnls(a_aug, np.concatenate([system.ly, np.zeros(n)]), maxiter=50 * n)
    m_train = columns[idx, sel][:, system.train].T
    gamma = system.ridge_map @ ((y[system.train] - m_train @ b) * system.sw)
    return b, gamma


def predict_test(system: System, columns: np.ndarray, y: np.ndarray, sel: np.ndarray, shrink: float,
                 base: np.ndarray) -> np.ndarray:
    """Predictions for the system's held-out rows from a fit on its training rows."""
    b, gamma = solve(system, columns, y, sel, shrink)
    idx = np.arange(len(sel))
    return base[system.test] @ gamma + columns[idx, sel][:, system.test].T @ b


def block_folds(weeks: int, n_folds: int) -> list[np.ndarray]:
    """Contiguous blocks of weeks: each fold holds out one block, so carry-over cannot leak across."""
    return np.array_split(np.arange(weeks), n_folds)


def coordinate_search(cv: Callable[[np.ndarray, float], float], weeks: int, start: np.ndarray, shrink: float,
                      shrinks: tuple[float, ...], passes: int, prior_cost: np.ndarray, prior_weight: float
                      ) -> tuple[np.ndarray, float, float]:
    """Coordinate descent over each channel's candidate grid (and the shrinkage) minimising a penalised CV error.

    `cv(sel, shrink)` is the CV SSE of a choice. Objective: CV SSE / σ² + prior_weight · Σ_c prior_cost[c, g_c],
    σ² from the start point's CV error per week, so a candidate far from typical transforms must earn its place
    with clearly better predictions.
    """
    sel = start.copy()
    n_cand = prior_cost.shape[1]
    sigma2 = max(cv(sel, shrink) / weeks, 1e-12)
    rows = np.arange(len(sel))

    def score_of(s: np.ndarray, lam: float) -> float:
        penalty = prior_weight * prior_cost[rows, s].sum()
        return cv(s, lam) / sigma2 + penalty

    best = score_of(sel, shrink)
    for _ in range(passes):
        changed = False
        for c in range(len(sel)):
            for g in range(n_cand):
                if g == sel[c]:
                    continue
                trial = sel.copy()
                trial[c] = g
                score = score_of(trial, shrink)
                if score < best - 1e-12:
                    best, sel, changed = score, trial, True
        for lam in shrinks:
            score = score_of(sel, lam)
            if score < best - 1e-12:
                best, shrink, changed = score, lam, True
        if not changed:
            break
    return sel, shrink, best
