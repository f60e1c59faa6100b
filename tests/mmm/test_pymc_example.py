"""PyMC-Marketing's example regenerated from its recipe: the published file's format and a truth checked by brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.mmm.pymc_example import (
    ALPHA,
    BETA,
    COLUMNS,
    EVENTS,
    EXAMPLE_CHANNELS,
    L_MAX,
    LAM,
    PUBLISHED_SEED,
    SCALE,
    geometric_adstock_lmax,
    logistic_saturation,
    simulate_pymc_example,
)


@pytest.fixture(scope="module")
def example():
    """The example at the notebook's seed (the published file)."""
    return simulate_pymc_example()


def test_the_table_has_the_published_layout(example):
    t = example.table
    assert tuple(t.columns) == COLUMNS and len(t) == 179
    dates = pd.to_datetime(t.date_week, format="%Y-%m-%d")
    assert t.date_week.iloc[0] == "2018-04-02" and t.date_week.iloc[-1] == "2021-08-30"
    assert (dates.dt.dayofweek == 0).all() and (dates.diff().dropna() == pd.Timedelta(days=7)).all()
    assert list(t.t) == list(range(179)) and list(t.dayofyear) == list(dates.dt.day_of_year)
    for name, (day, _) in EVENTS.items():
        assert t[name].sum() == 1 and t.loc[t[name] == 1, "date_week"].item() == day


def test_spend_follows_the_recipe(example):
    x1, x2 = example.table.x1, example.table.x2
    assert x1.between(0, 1).all() and ((x1 <= 0.5) | (x1 > 0.9)).all()  # half strength unless the draw is > 0.9
    assert ((x2 == 0) | (x2 > 0.8)).all() and 0.6 < (x2 == 0).mean() < 0.95  # dark unless the draw is > 0.8


def test_the_same_seed_gives_the_same_file_and_another_seed_another(example):
    again = simulate_pymc_example(PUBLISHED_SEED)
    pd.testing.assert_frame_equal(example.table, again.table)
    other = simulate_pymc_example(PUBLISHED_SEED + 1)
    assert not np.allclose(other.table.x1, example.table.x1)
    assert list(other.table.date_week) == list(example.table.date_week)


def _brute_contribution(x: np.ndarray, ch: str) -> np.ndarray:
    """The recipe week by week: explicit lag sums (not a convolution) and the logistic written out."""
    weights = [ALPHA[ch] ** lag for lag in range(L_MAX)]
    out = []
    for t in range(len(x)):
        carried = sum(w * x[t - lag] for lag, w in enumerate(weights) if t - lag >= 0) / sum(weights)
        out.append(SCALE * BETA[ch] * (1 - np.exp(-LAM[ch] * carried)) / (1 + np.exp(-LAM[ch] * carried)))
    return np.array(out)


@pytest.mark.parametrize("seed", [PUBLISHED_SEED, 11])
def test_truth_matches_a_brute_force_reading_of_the_recipe(seed):
    ex = simulate_pymc_example(seed)
    for ch in EXAMPLE_CHANNELS:
        x = ex.table[ch].to_numpy()
        brute = _brute_contribution(x, ch)
        assert ex.contribution[ch] == pytest.approx(brute.sum(), rel=1e-12)
        assert ex.contribution_per_unit[ch] == pytest.approx(brute.sum() / x.sum(), rel=1e-12)


def test_what_media_leaves_of_y_is_the_baseline_plus_noise(example):
    t = example.table
    rest = t.y.to_numpy() - sum(_brute_contribution(t[ch].to_numpy(), ch) for ch in EXAMPLE_CHANNELS)
    resid = rest - SCALE * 2.0 - SCALE * ((np.linspace(0, 50, len(t)) + 10) ** 0.25 - 1)
    resid -= sum(SCALE * lift * t[name].to_numpy() for name, (_, lift) in EVENTS.items())
    day = t.dayofyear.to_numpy()
    resid -= SCALE * 0.5 * (-np.sin(4 * np.pi * day / 365.5) + np.cos(2 * np.pi * day / 365.5))
    assert abs(resid.mean()) < 60 and 200 < resid.std() < 300  # N(0, 0.25) times SCALE


def test_adstock_properties():
    pulse = np.zeros(12)
    pulse[0] = 1.0
    w = geometric_adstock_lmax(pulse, 0.4)
    assert w.sum() == pytest.approx(1.0) and np.all(w[L_MAX:] == 0)  # weights sum to one over l_max weeks
    assert w[1] / w[0] == pytest.approx(0.4)
    assert np.all(geometric_adstock_lmax(np.zeros(5), 0.4) == 0)
    sat = logistic_saturation(np.linspace(0, 2, 21), 4.0)
    assert sat[0] == 0 and np.all(np.diff(sat) > 0) and np.all(np.diff(sat, 2) < 0) and sat[-1] < 1  # concave, below 1
