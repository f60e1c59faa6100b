"""Every CV fold's held-out error for one choice of candidates, solved at once.

The transform search scores thousands of candidate choices, each on every fold. Solving the folds one by one
spent most of its time in per-call overhead (gathering columns, building and stacking the NNLS system), so the
folds are stacked into arrays and each fold's media problem is solved on its small C×C normal equations:

    min_b  bᵀ Q b - 2 bᵀ r,  b ≥ 0,  Q = AᵀA + λ K,  r = Aᵀ ly,  K = I - 11ᵀ/C (idempotent, so KᵀK = K)

with A the fold's profiled media columns (solver.make_system). The answer is the unique NNLS optimum, checked by
its KKT conditions on the set of channels last found positive in that fold; a fold whose check fails (the set
changed) is re-solved exactly by NNLS on the Cholesky factor of Q. A coordinate search changes one channel at a
time, so that set rarely changes and almost every evaluation stays in batched numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import nnls

from core.mmm.solver import System

KKT_TOL = 1e-10  # relative to the largest |r|: a gradient this small is zero
# Added to Q's diagonal, relative to its mean: a channel dark in a fold's training weeks (with no shrinkage) would
# leave Q singular, and its coefficient is then 0, as NNLS would return it.
JITTER = 1e-12


def _pad(rows: list[np.ndarray], width: int) -> np.ndarray:
    """Stack arrays along a new first axis, zero-padding their last axis to `width`."""
    out = np.zeros((len(rows), *rows[0].shape[:-1], width))
    for f, a in enumerate(rows):
        out[f, ..., : a.shape[-1]] = a
    return out


@dataclass
class Folds:
    """The folds' systems as stacked arrays; zero padding changes no sum, so folds may differ in size."""

    lm: np.ndarray  # (F, C, G, n): profiled media columns on training rows
    ly: np.ndarray  # (F, n): profiled target on training rows
    held: np.ndarray  # (F, C, G, t): held-out prediction per unit coefficient (media minus its baseline share)
    resid0: np.ndarray  # (F, t): held-out target minus the media-free prediction
    test_w: np.ndarray  # (F, t): held-out row weights (0 on padding)
    positive: np.ndarray = field(init=False)  # (F, C): channels positive at each fold's last optimum

    def __post_init__(self) -> None:
        """Start by guessing every channel positive in every fold."""
        self.positive = np.ones(self.lm.shape[:2], dtype=bool)

    def sse(self, sel: np.ndarray, shrink: float) -> float:
        """Total weighted held-out squared error over the folds for candidates `sel` and ROI shrinkage."""
        f_idx = np.arange(self.lm.shape[0])[:, None]
        c_idx = np.arange(len(sel))[None, :]
        a = self.lm[f_idx, c_idx, sel[None, :]]  # (F, C, n)
        n = len(sel)
        q = a @ a.transpose(0, 2, 1) + shrink * (np.eye(n) - 1.0 / n)
        q += JITTER * np.maximum(np.trace(q, axis1=1, axis2=2) / n, 1e-300)[:, None, None] * np.eye(n)
        r = np.einsum("fcn,fn->fc", a, self.ly)
        b = self._solve(q, r)
        pred = np.einsum("fct,fc->ft", self.held[f_idx, c_idx, sel[None, :]], b)
        return float(np.sum(self.test_w * (self.resid0 - pred) ** 2))

    def _solve(self, q: np.ndarray, r: np.ndarray) -> np.ndarray:
        """Each fold's NNLS optimum: on its last positive set where the KKT conditions hold, else exactly."""
        pos = self.positive
        both = pos[:, :, None] & pos[:, None, :]
        eye = np.eye(q.shape[1], dtype=bool)[None]
        q_pos = np.where(both, q, eye.astype(float))
        b = np.linalg.solve(q_pos, np.where(pos, r, 0.0)[..., None])[..., 0]
        grad = r - np.einsum("fcd,fd->fc", q, b)  # minus half the gradient: ≤ 0 where b is held at 0
        tol = KKT_TOL * np.maximum(np.abs(r).max(axis=1, keepdims=True), 1e-300)
        ok = np.all(np.where(pos, b > 0, grad <= tol), axis=1)
        for f in np.flatnonzero(~ok):
            b[f] = _nnls_normal(q[f], r[f])
            pos[f] = b[f] > 0
        return b


def _nnls_normal(q: np.ndarray, r: np.ndarray) -> np.ndarray:
    """argmin bᵀQb - 2bᵀr over b ≥ 0 for positive definite Q, as NNLS on its Cholesky factor."""
    upper = np.linalg.cholesky(q).T
    b, _ = nnls(upper, np.linalg.solve(upper.T, r), maxiter=50 * len(r))
    return b


def stack_folds(systems: list[System], columns: np.ndarray, y: np.ndarray, base: np.ndarray) -> Folds:
    """Stack the folds' systems, folding each one's baseline refit into its held-out predictions."""
    n = max(len(s.train) for s in systems)
    t = max(len(s.test) for s in systems)
    held, resid0 = [], []
    for s in systems:
        gy = s.ridge_map @ (y[s.train] * s.sw)  # baseline coefficients with no media
        gm = np.einsum("kn,cgn->cgk", s.ridge_map, columns[:, :, s.train] * s.sw)  # their change per unit b
        held.append(columns[:, :, s.test] - np.einsum("tk,cgk->cgt", base[s.test], gm))
        resid0.append(y[s.test] - base[s.test] @ gy)
    return Folds(_pad([s.lm for s in systems], n), _pad([s.ly for s in systems], n), _pad(held, t),
                 _pad(resid0, t), _pad([s.test_w for s in systems], t))
