"""The baseline design: intercept, linear trend, Fourier seasonality and standardised controls."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.domain import WEEKS_PER_YEAR


def fourier_terms(t: np.ndarray, order: int, period: float = WEEKS_PER_YEAR) -> np.ndarray:
    """Yearly seasonality: columns sin(2πkt/P), cos(2πkt/P) for k = 1..order."""
    cols = []
    for k in range(1, order + 1):
        angle = 2 * np.pi * k * t / period
        cols += [np.sin(angle), np.cos(angle)]
    return np.column_stack(cols) if cols else np.empty((len(t), 0))


def baseline_matrix(weeks: int, controls: pd.DataFrame, fourier_order: int) -> tuple[np.ndarray, list[str]]:
    """Baseline regressors and their names; the intercept is column 0.

    Trend runs 0..1 over the data; controls are z-scored so one ridge penalty suits all.
    """
    t = np.arange(weeks, dtype=float)
    cols = [np.ones(weeks), t / max(weeks - 1, 1)]
    names = ["intercept", "trend"]
    fourier = fourier_terms(t, fourier_order)
    cols += list(fourier.T)
    names += [f"{fn}{k}" for k in range(1, fourier_order + 1) for fn in ("sin", "cos")]
    for name in controls.columns:
        x = controls[name].to_numpy(dtype=float)
        cols.append((x - x.mean()) / x.std())
        names.append(name)
    return np.column_stack(cols), names
