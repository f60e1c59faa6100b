"""Optimizer keeps the total and bounds and beats a grid on two channels; what-if agrees with the fit."""

from __future__ import annotations

import numpy as np
import pytest

from core.mmm import (
    FitConfig,
    current_allocation,
    fit_model,
    load_weekly,
    optimize_budget,
    whatif,
)
from core.mmm.scenario import response
from core.mmm.simulate import SIM_VALUE_PER_UNIT as VALUE


def test_total_and_bounds_kept(sim_fit):
    opt = optimize_budget(sim_fit, value_per_unit=VALUE, bounds=0.3)
    total = sum(opt.current.values())
    assert sum(opt.optimal.values()) == pytest.approx(total, rel=1e-6)
    for ch, now in opt.current.items():
        assert now * 0.7 - 1e-6 <= opt.optimal[ch] <= now * 1.3 + 1e-6
    assert opt.optimal_kpi >= opt.current_kpi - 1e-9
    assert opt.uplift_pct == pytest.approx((opt.optimal_kpi / opt.current_kpi - 1) * 100)


def test_new_total_scales_current_mix(sim_fit):
    opt = optimize_budget(sim_fit, value_per_unit=VALUE, total_budget=1.2 * sum(current_allocation(sim_fit).values()), bounds=0.1)
    assert sum(opt.optimal.values()) == pytest.approx(sum(opt.current.values()), rel=1e-6)
    assert opt.current == pytest.approx({k: 1.2 * v for k, v in current_allocation(sim_fit).items()})


def test_matches_grid_search_on_two_channels(sim_world):
    # Oracle: with two channels the optimum is a 1-D search along their split.
    table = sim_world.table[["week_start", "spend_ch01", "spend_ch02", "consumer_confidence", "leads"]]
    fit = fit_model(load_weekly(table), FitConfig(n_bootstrap=0))
    r = response(fit)
    total = r.current.sum()
    splits = np.linspace(0.7 * r.current[0], 1.3 * r.current[0], 4001)
    feasible = splits[(total - splits >= 0.7 * r.current[1]) & (total - splits <= 1.3 * r.current[1])]
    grid_best = max(r.kpi(np.array([s, total - s])).sum() for s in feasible)
    opt = optimize_budget(fit, value_per_unit=VALUE, bounds=0.3)
    media_kpi = opt.optimal_kpi - float(fit.baseline[fit.plan].sum())
    assert media_kpi == pytest.approx(grid_best, rel=1e-5)  # the grid is only 4001 points
    assert media_kpi >= grid_best - 1e-6


def test_whatif_at_current_equals_fit_prediction(sim_fit):
    w = whatif(sim_fit, current_allocation(sim_fit), value_per_unit=VALUE)
    assert w.kpi == pytest.approx(sim_fit.fitted[sim_fit.plan].sum())
    assert w.delta_kpi == pytest.approx(0.0, abs=1e-6) and w.revenue == pytest.approx(w.kpi * 150.0)


def test_whatif_moves_in_the_right_direction(sim_fit):
    ch = max(sim_fit.beta, key=sim_fit.beta.get)
    now = current_allocation(sim_fit)[ch]
    more, less = whatif(sim_fit, {ch: 1.5 * now}, value_per_unit=VALUE), whatif(sim_fit, {ch: 0.5 * now}, value_per_unit=VALUE)
    assert less.kpi < more.baseline_kpi < more.kpi
    assert more.delta_pct > 0 > less.delta_pct


def test_whatif_rejects_unknown_channel_and_negative_spend(sim_fit):
    with pytest.raises(ValueError, match="unknown channel"):
        whatif(sim_fit, {"carrier_pigeon": 1.0}, value_per_unit=VALUE)
    with pytest.raises(ValueError, match="negative"):
        whatif(sim_fit, {sim_fit.channels[0]: -5.0}, value_per_unit=VALUE)


def test_bad_bounds_rejected(sim_fit):
    with pytest.raises(ValueError, match="bounds"):
        optimize_budget(sim_fit, value_per_unit=VALUE, bounds=1.5)


def test_whatif_band_brackets_the_change_and_draws_are_read_once(sim_fit, monkeypatch):
    from core.mmm import optimize

    ch = sim_fit.channels[0]
    now = current_allocation(sim_fit)[ch]
    w = whatif(sim_fit, {ch: 0.5 * now}, value_per_unit=VALUE)
    assert w.delta_low <= w.delta_kpi <= w.delta_high and w.delta_low < w.delta_high
    calls = []
    monkeypatch.setattr(optimize, "response", lambda *a, **k: calls.append(a) or response(*a, **k))
    whatif(sim_fit, {ch: 0.4 * now}, value_per_unit=VALUE)
    assert len(calls) == 1  # only the fit's own response: the draws' responses were kept from the first what-if
