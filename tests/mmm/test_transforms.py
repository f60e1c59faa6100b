"""Transforms against hand-computed values and their defining properties."""

from __future__ import annotations

import numpy as np
import pytest

from core.mmm.transforms import (
    geometric_adstock,
    hill,
    media_response,
    weibull_adstock,
    weibull_weights,
)


def test_geometric_adstock_hand_values():
    x = np.array([100.0, 0.0, 0.0, 50.0])
    # y_t = x_t + 0.5 y_{t-1}: 100, 50, 25, 62.5
    assert np.allclose(geometric_adstock(x, 0.5, normalize=False), [100, 50, 25, 62.5])
    assert np.allclose(geometric_adstock(x, 0.5), [50, 25, 12.5, 31.25])


def test_geometric_adstock_properties():
    rng = np.random.default_rng(0)
    x = rng.random((30, 3))
    out = geometric_adstock(x, [0.0, 0.3, 0.8])
    assert np.allclose(out[:, 0], x[:, 0])  # no decay: unchanged
    assert np.allclose(out[1, 1], 0.7 * (x[1, 1] + 0.3 * x[0, 1]))  # second = (1-a)(x1 + a x0)
    for c, a in enumerate([0.0, 0.3, 0.8]):  # vectorised equals column by column
        assert np.allclose(out[:, c], geometric_adstock(x[:, c], a))
    assert np.all(geometric_adstock(np.zeros(10), 0.6) == 0)
    long = geometric_adstock(np.ones(400), 0.7)
    assert long[-1] == pytest.approx(1.0)  # normalised weights keep spend scale


def test_geometric_adstock_rejects_bad_decay():
    with pytest.raises(ValueError):
        geometric_adstock(np.ones(5), 1.0)


def test_hill_hand_values():
    assert hill(np.array([3.0]), 3.0, 1.0)[0] == pytest.approx(0.5)  # half effect at half_sat
    assert hill(np.array([2.0]), 1.0, 2.0)[0] == pytest.approx(4 / 5)  # 2²/(2²+1²)
    assert hill(np.array([-1.0, 0.0]), 1.0)[0] == 0.0
    x = np.linspace(0, 10, 50)
    assert np.all(np.diff(hill(x, 2.0, 1.3)) > 0)


def test_weibull_adstock_weights_and_peak():
    w = weibull_weights(2.0, 3.0, l_max=13)
    assert w.sum() == pytest.approx(1.0)
    assert 0 < np.argmax(w) < 12  # shape > 1 peaks after the first week
    impulse = np.zeros(20)
    impulse[0] = 1.0
    assert np.allclose(weibull_adstock(impulse, 2.0, 3.0)[:13], w)


def test_media_response_is_beta_times_hill_of_adstock():
    x = np.array([0.0, 100.0, 100.0, 0.0])
    expected = 7.0 * hill(geometric_adstock(x, 0.4), 60.0, 1.5)
    assert np.allclose(media_response(x, 0.4, 60.0, 1.5, 7.0), expected)
    # hand value for week 2: adstock = 0.6*100 = 60 = half_sat -> 7 * 0.5
    assert media_response(x, 0.4, 60.0, 1.5, 7.0)[1] == pytest.approx(3.5)
