"""Media transforms: adstock (carry-over) and Hill saturation (diminishing returns).

Pure, vectorised numpy. The synthetic world draws its KPI with exactly these
functions and the model fits with them, so recovery can be checked against truth.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter


def _as_2d(x: np.ndarray) -> tuple[np.ndarray, bool]:
    """Return x as a (T, C) float array and whether it was 1-D."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 1:
        return arr[:, None], True
    if arr.ndim != 2:
        raise ValueError(f"expected a 1-D or 2-D array, got shape {arr.shape}")
    return arr, False


def _per_column(value: float | np.ndarray, n_cols: int, name: str) -> np.ndarray:
    """Broadcast a scalar or per-column parameter to shape (C,)."""
    arr = np.broadcast_to(np.asarray(value, dtype=float), (n_cols,)).copy()
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite")
    return arr


def geometric_adstock(
    x: np.ndarray, alpha: float | np.ndarray = 0.0, normalize: bool = True
) -> np.ndarray:
    """Geometric (Koyck) adstock, infinite lag.

    .. math:: y_t = x_t + \\alpha\\, y_{t-1}, \\qquad y_0 = x_0

    With ``normalize`` the weights :math:`(1-\\alpha)\\alpha^l` sum to one, so the
    adstocked series keeps the scale of spend and a saturation half-point can be
    read in weekly spend. Jin et al. (2017), *Bayesian Methods for Media Mix
    Modeling with Carryover and Shape Effects*, eq. 1.

    Parameters
    ----------
    x : (T,) or (T, C) spend, time on axis 0.
    alpha : decay in [0, 1), scalar or one per column.
    normalize : scale by (1 - alpha).

    Returns
    -------
    Array of x's shape.
    """
    arr, was_1d = _as_2d(x)
    alphas = _per_column(alpha, arr.shape[1], "alpha")
    if np.any((alphas < 0) | (alphas >= 1)):
        raise ValueError("alpha must be in [0, 1)")
    out = np.empty_like(arr)
    for c, a in enumerate(alphas):
        out[:, c] = lfilter([1.0], [1.0, -a], arr[:, c])
        if normalize:
            out[:, c] *= 1.0 - a
    return out[:, 0] if was_1d else out


def weibull_weights(shape: float, scale: float, l_max: int = 13) -> np.ndarray:
    """Normalised Weibull-PDF lag weights :math:`w_l \\propto f(l+1; k, \\lambda)`, l = 0..l_max-1."""
    if shape <= 0 or scale <= 0 or l_max < 1:
        raise ValueError("shape, scale and l_max must be positive")
    lags = np.arange(1, l_max + 1, dtype=float)
    z = lags / scale
    w = (shape / scale) * z ** (shape - 1) * np.exp(-(z**shape))
    total = w.sum()
    return w / total if total > 0 else np.eye(1, l_max).ravel()


def weibull_adstock(
    x: np.ndarray, shape: float | np.ndarray = 1.0, scale: float | np.ndarray = 1.0, l_max: int = 13
) -> np.ndarray:
    """Weibull-PDF adstock: :math:`y_t = \\sum_{l=0}^{L-1} w_l x_{t-l}` with weights from :func:`weibull_weights`.

    Lets the peak effect come some weeks after spend (shape > 1), which geometric
    adstock cannot. Weights sum to one, so spend scale is kept.
    """
    arr, was_1d = _as_2d(x)
    shapes = _per_column(shape, arr.shape[1], "shape")
    scales = _per_column(scale, arr.shape[1], "scale")
    out = np.empty_like(arr)
    for c in range(arr.shape[1]):
        w = weibull_weights(shapes[c], scales[c], l_max)
        out[:, c] = lfilter(w, [1.0], arr[:, c])
    return out[:, 0] if was_1d else out


def hill(x: np.ndarray, half_sat: float | np.ndarray, slope: float | np.ndarray = 1.0) -> np.ndarray:
    """Hill saturation in [0, 1).

    .. math:: h(x) = \\frac{x^s}{x^s + K^s}

    ``half_sat`` (K) is the input at which the effect is half its maximum;
    ``slope`` (s) > 1 gives an S-curve, <= 1 a concave curve. Negative inputs are
    treated as zero.
    """
    arr, was_1d = _as_2d(x)
    ks = _per_column(half_sat, arr.shape[1], "half_sat")
    ss = _per_column(slope, arr.shape[1], "slope")
    if np.any(ks <= 0) or np.any(ss <= 0):
        raise ValueError("half_sat and slope must be positive")
    xs = np.clip(arr, 0.0, None) ** ss
    out = xs / (xs + ks**ss)
    return out[:, 0] if was_1d else out


def media_response(
    spend: np.ndarray,
    decay: float | np.ndarray,
    half_sat: float | np.ndarray,
    slope: float | np.ndarray,
    beta: float | np.ndarray,
) -> np.ndarray:
    """Weekly KPI contribution of each channel: :math:`\\beta_c\\, h(\\mathrm{adstock}(x_c; \\alpha_c); K_c, s_c)`.

    The one media model shared by the simulator (truth) and the fit (estimate).
    ``beta`` is the channel's maximum weekly KPI effect at full saturation.
    """
    arr, was_1d = _as_2d(spend)
    betas = _per_column(beta, arr.shape[1], "beta")
    out = hill(geometric_adstock(arr, decay), half_sat, slope) * betas
    return out[:, 0] if was_1d else out
