"""Baseline design: Fourier seasonality and the baseline matrix's columns and names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.mmm.design import WEEKS_PER_YEAR, baseline_matrix, fourier_terms

P = WEEKS_PER_YEAR


def test_fourier_terms_hand_values_at_known_times():
    t = np.array([0.0, P / 4, P / 2, P])
    f = fourier_terms(t, 2)
    assert f.shape == (4, 4)
    # columns sin1, cos1, sin2, cos2
    expected = np.array([
        [0, 1, 0, 1],
        [1, 0, 0, -1],
        [0, -1, 0, 1],
        [0, 1, 0, 1],
    ], dtype=float)
    assert np.allclose(f, expected, atol=1e-12)


def test_fourier_terms_are_sin_cos_pairs_with_yearly_period():
    t = np.arange(120, dtype=float)
    f = fourier_terms(t, 3)
    assert f.shape == (120, 6)
    for k in range(1, 4):
        s, c = f[:, 2 * k - 2], f[:, 2 * k - 1]
        assert np.allclose(s**2 + c**2, 1.0)
        assert np.allclose(s, np.sin(2 * np.pi * k * t / P))
        assert np.allclose(c, np.cos(2 * np.pi * k * t / P))
    assert np.allclose(fourier_terms(t + P, 3), f)  # one year later: same season


def test_fourier_order_zero_is_empty():
    f = fourier_terms(np.arange(10, dtype=float), 0)
    assert f.shape == (10, 0)


def test_fourier_period_override():
    assert np.allclose(fourier_terms(np.array([3.0]), 1, period=12.0), [[1.0, 0.0]], atol=1e-12)


@pytest.fixture(scope="module")
def controls():
    rng = np.random.default_rng(0)
    return pd.DataFrame({"confidence": rng.normal(50, 10, 30), "competitor": rng.lognormal(12, 0.5, 30)})


def test_baseline_matrix_columns_and_names(controls):
    base, names = baseline_matrix(30, controls, 2)
    assert names == ["intercept", "trend", "sin1", "cos1", "sin2", "cos2", "confidence", "competitor"]
    assert base.shape == (30, len(names))
    assert np.all(base[:, 0] == 1.0)
    assert np.allclose(base[:, 1], np.linspace(0, 1, 30))
    assert np.allclose(base[:, 2:6], fourier_terms(np.arange(30.0), 2))


def test_baseline_controls_are_z_scored_and_keep_their_order(controls):
    base, names = baseline_matrix(30, controls, 1)
    for name in controls.columns:
        col = base[:, names.index(name)]
        assert col.mean() == pytest.approx(0.0, abs=1e-12)
        assert col.std() == pytest.approx(1.0)
        raw = controls[name].to_numpy()
        assert np.allclose(col, (raw - raw.mean()) / raw.std())


def test_baseline_without_controls_or_seasonality():
    base, names = baseline_matrix(12, pd.DataFrame(), 0)
    assert names == ["intercept", "trend"]
    assert base.shape == (12, 2)
    assert base[0, 1] == 0.0 and base[-1, 1] == 1.0
