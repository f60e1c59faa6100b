"""Candidates: prior cost, per-channel grids and the ROI scaling of the candidate columns."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.mmm.candidates import (
    PRIOR_DECAY,
    PRIOR_LOG_HALF_SAT,
    PRIOR_SLOPE,
    build_candidates,
    channel_grid,
    prior_cost,
)
from core.mmm.data import load_weekly
from core.mmm.simulate import simulate_world
from core.mmm.transforms import geometric_adstock
from core.mmm.types import PLAN_WEEKS, AdstockKind, ChannelHyper, FitConfig

SMALL = FitConfig(n_bootstrap=0, decays=(0.0, 0.5), half_sats=(0.8, 1.5), slopes=(1.0, 2.0))
N_GRID = 2 * 2 * 2


@pytest.fixture(scope="module")
def world():
    return simulate_world(11, n_channels=4)


@pytest.fixture(scope="module")
def data(world):
    return load_weekly(world.table, target="leads")


def _geo(decay: float, slope: float) -> ChannelHyper:
    return ChannelHyper(AdstockKind.GEOMETRIC, decay=decay, half_sat=1.0, slope=slope)


def test_prior_cost_is_zero_at_the_prior_centre():
    centre = _geo(PRIOR_DECAY[0], PRIOR_SLOPE[0])
    assert prior_cost(centre, np.exp(PRIOR_LOG_HALF_SAT[0])) == pytest.approx(0.0, abs=1e-12)


def test_prior_cost_grows_away_from_the_centre_in_every_direction():
    d0, s0, m0 = PRIOR_DECAY[0], PRIOR_SLOPE[0], np.exp(PRIOR_LOG_HALF_SAT[0])
    for step in (0.5, 1.0, 2.0):  # one prior sd along one axis costs exactly 1 (a squared z-score)
        for sign in (-1, 1):
            assert prior_cost(_geo(d0 + sign * step * PRIOR_DECAY[1] / 4, s0), m0) == pytest.approx((step / 4) ** 2)
            assert prior_cost(_geo(d0, s0 + sign * step * PRIOR_SLOPE[1]), m0) == pytest.approx(step**2)
            mult = np.exp(PRIOR_LOG_HALF_SAT[0] + sign * step * PRIOR_LOG_HALF_SAT[1])
            assert prior_cost(_geo(d0, s0), mult) == pytest.approx(step**2)
    slopes = s0 + np.linspace(0, 2, 9)
    costs = [prior_cost(_geo(0.6, s), 2.5) for s in slopes]
    assert np.all(np.diff(costs) > 0)


def test_prior_cost_ignores_decay_for_weibull():
    hp = ChannelHyper(AdstockKind.WEIBULL, decay=0.9, half_sat=1.0, slope=PRIOR_SLOPE[0], shape=2.0, scale=3.0)
    assert prior_cost(hp, 1.0) == pytest.approx(0.0, abs=1e-12)


def test_channel_grid_size_and_half_sat_scaled_to_mean_adstocked_spend():
    """half_sat = multiple × mean adstocked spend over the weeks with any (carried-over) spend, off weeks excluded."""
    rng = np.random.default_rng(0)
    x = rng.lognormal(10, 0.5, 60) * (rng.random(60) < 0.5)
    x[:5] = 0.0  # leading off weeks stay zero after adstock
    grid = channel_grid(x, SMALL)
    assert len(grid) == len(SMALL.decays) * len(SMALL.half_sats) * len(SMALL.slopes)
    seen = set()
    for hp, cost in grid:
        carried = geometric_adstock(x, hp.decay)
        ref = carried[carried > 0].mean()
        mult = hp.half_sat / ref
        match = [m for m in SMALL.half_sats if np.isclose(mult, m, rtol=1e-9)]
        assert len(match) == 1
        assert cost == pytest.approx(prior_cost(hp, match[0]))
        seen.add((hp.decay, match[0], hp.slope))
    assert seen == set(itertools.product(SMALL.decays, SMALL.half_sats, SMALL.slopes))


def test_build_candidates_shapes(data):
    cands = build_candidates(data, SMALL)
    n_ch = len(data.channels)
    assert cands.columns.shape == (n_ch, N_GRID, data.weeks)
    assert cands.to_beta.shape == cands.prior_cost.shape == (n_ch, N_GRID)
    assert [len(h) for h in cands.hypers] == [N_GRID] * n_ch
    assert cands.y_scale == pytest.approx(data.target.mean())
    assert np.all(cands.columns >= 0)


def test_unit_coefficient_earns_the_reference_roi_in_the_plan_period(data):
    cands = build_candidates(data, SMALL)
    plan = slice(data.weeks - PLAN_WEEKS, data.weeks)
    spend = data.spend.to_numpy(dtype=float)
    plan_spend = spend[plan].sum(axis=0)
    ref_roi = data.target[plan].sum() / plan_spend.sum()
    for c in range(len(data.channels)):
        for g in range(N_GRID):
            assert cands.columns[c, g, plan].sum() * cands.y_scale == pytest.approx(plan_spend[c] * ref_roi, rel=1e-9)


def test_to_beta_converts_coefficient_to_hill_beta(data):
    """coef · column · y_scale == (coef · to_beta) · hill(adstock(spend)): the KPI model the fit reports."""
    cands = build_candidates(data, SMALL)
    for c, ch in enumerate(data.channels):
        x = data.spend[ch].to_numpy(dtype=float)
        for g, hp in enumerate(cands.hypers[c]):
            assert np.allclose(cands.columns[c, g] * cands.y_scale, cands.to_beta[c, g] * hp.saturated(x),
                               rtol=1e-10, atol=0)


def test_fixed_gives_one_candidate_per_channel(data):
    fixed = {ch: ChannelHyper(AdstockKind.GEOMETRIC, decay=0.2 + 0.1 * i, half_sat=1e5, slope=1.3)
             for i, ch in enumerate(data.channels)}
    cands = build_candidates(data, SMALL, fixed=fixed)
    assert cands.columns.shape == (len(data.channels), 1, data.weeks)
    assert [h[0] for h in cands.hypers] == [fixed[ch] for ch in data.channels]
    assert np.all(cands.prior_cost == 0)


@pytest.mark.parametrize("change", ["missing", "extra"])
def test_fixed_must_cover_exactly_the_channels(data, change):
    hp = ChannelHyper(AdstockKind.GEOMETRIC, decay=0.2, half_sat=1e5, slope=1.3)
    fixed = {ch: hp for ch in data.channels}
    if change == "missing":
        fixed.pop(data.channels[-1])
    else:
        fixed["not_a_channel"] = hp
    with pytest.raises(ValueError, match="cover every channel"):
        build_candidates(data, SMALL, fixed=fixed)


def test_channel_dark_in_plan_is_normalised_over_all_weeks(world):
    table = world.table.copy()
    dark = "ch02"
    table.loc[table.index[-PLAN_WEEKS:], f"spend_{dark}"] = 0.0
    data = load_weekly(table, target="leads")
    c = data.channels.index(dark)
    cands = build_candidates(data, SMALL)
    plan = slice(data.weeks - PLAN_WEEKS, data.weeks)
    spend = data.spend.to_numpy(dtype=float)
    ref_roi = data.target[plan].sum() / spend[plan].sum()
    total = spend[:, c].sum()
    assert total > 0
    for g in range(N_GRID):
        assert np.isfinite(cands.columns[c, g]).all()
        assert cands.columns[c, g].sum() * cands.y_scale == pytest.approx(total * ref_roi, rel=1e-9)
    lit = (c + 1) % len(data.channels)  # the others keep plan-period scaling
    assert cands.columns[lit, 0, plan].sum() * cands.y_scale == pytest.approx(spend[plan, lit].sum() * ref_roi)
