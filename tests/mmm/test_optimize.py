"""Optimizer keeps the total and bounds (± share or money limits), plans in whole units that a what-if reproduces
exactly, and beats a grid on two channels; what-if agrees with the fit."""

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
from core.mmm.optimize import BOUND_EPS, _gradient, plan_bounds, plan_unit, whole_units
from core.mmm.scenario import response
from core.mmm.simulate import SIM_VALUE_PER_UNIT as VALUE


def _within(value: float, low: float, high: float) -> bool:
    """low ≤ value ≤ high up to the relative slack whole-unit rounding allows."""
    slack = BOUND_EPS * max(abs(value), 1.0)
    return low - slack <= value <= high + slack


def test_total_and_bounds_kept(sim_fit):
    opt = optimize_budget(sim_fit, value_per_unit=VALUE, bounds=0.3)
    total = sum(opt.current.values())
    assert sum(opt.optimal.values()) == round(total)  # whole units adding up to the total, to the unit
    for ch, now in opt.current.items():
        assert _within(opt.optimal[ch], now * 0.7, now * 1.3)
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
    # The plan is in whole units: it may trail the continuous grid by what two units of spend buy, no more.
    two_units = 2.0 * float(_gradient(r, np.array(list(opt.optimal.values()))).max())
    assert media_kpi >= grid_best - two_units


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


def test_plan_is_in_whole_units_and_a_whatif_of_it_gives_the_same_number(sim_fit):
    opt = optimize_budget(sim_fit, value_per_unit=VALUE, total_budget=1.07 * sum(current_allocation(sim_fit).values()))
    assert all(float(v).is_integer() for v in opt.optimal.values())
    again = whatif(sim_fit, dict(opt.optimal), value_per_unit=VALUE)
    assert again.kpi == opt.optimal_kpi  # exactly: the dashboard's sliders show the optimiser's number


def test_money_limits_are_respected_and_others_keep_the_share(sim_fit):
    now = current_allocation(sim_fit)
    a, b, *rest = sim_fit.channels
    limits = {a: (0.5 * now[a], 0.6 * now[a]), b: (1.5 * now[b], None)}  # b: only a minimum
    opt = optimize_budget(sim_fit, value_per_unit=VALUE, bounds=0.3, limits=limits)
    assert _within(opt.optimal[a], 0.5 * now[a], 0.6 * now[a])
    assert opt.optimal[b] >= 1.5 * now[b] - 1.0  # its maximum rose with its minimum, so the minimum holds
    for ch in rest:
        assert _within(opt.optimal[ch], 0.7 * now[ch], 1.3 * now[ch])
    assert sum(opt.optimal.values()) == round(sum(now.values()))


def test_limits_that_cannot_hold_the_total_or_make_no_sense_are_refused(sim_fit):
    now = current_allocation(sim_fit)
    everything = {ch: (0.0, 0.1 * v) for ch, v in now.items()}  # the maximums add to a tenth of the total
    with pytest.raises(ValueError, match="no plan within the limits"):
        optimize_budget(sim_fit, value_per_unit=VALUE, limits=everything)
    ch = sim_fit.channels[0]
    with pytest.raises(ValueError, match="min ≤ max"):
        optimize_budget(sim_fit, value_per_unit=VALUE, limits={ch: (2.0 * now[ch], now[ch])})
    with pytest.raises(ValueError, match="unknown channel"):
        optimize_budget(sim_fit, value_per_unit=VALUE, limits={"carrier_pigeon": (0.0, 1.0)})


def test_money_limits_match_a_grid_search_on_two_channels(sim_world):
    # Oracle: two channels, the first held between money limits that bind, the rest of the total to the second;
    # brute force over whole-unit plans (a coarse grid, then every unit around its best).
    table = sim_world.table[["week_start", "spend_ch01", "spend_ch02", "consumer_confidence", "leads"]]
    fit = fit_model(load_weekly(table), FitConfig(n_bootstrap=0))
    r = response(fit)
    total = round(r.current.sum())
    low, high = 0.2 * r.current[0], 0.9 * r.current[0]
    lo1 = max(np.ceil(low), total - np.floor(1.3 * r.current[1]))
    hi1 = min(np.floor(high), total - np.ceil(0.7 * r.current[1]))

    def media(first: np.ndarray) -> np.ndarray:
        return r.kpi(np.stack([first, total - first], axis=1)).sum(axis=1)

    coarse = np.linspace(lo1, hi1, 2001).round()
    best = coarse[np.argmax(media(coarse))]
    spacing = (hi1 - lo1) / 2000
    fine = np.arange(np.ceil(max(best - 2 * spacing, lo1)), np.floor(min(best + 2 * spacing, hi1)) + 1)
    grid_best = float(media(fine).max())
    opt = optimize_budget(fit, value_per_unit=VALUE, limits={fit.channels[0]: (low, high)})
    media_kpi = opt.optimal_kpi - float(fit.baseline[fit.plan].sum())
    assert media_kpi == pytest.approx(grid_best, rel=1e-9)
    assert low - 1e-6 <= opt.optimal[fit.channels[0]] <= high + 1e-6


def test_whole_units_sums_to_the_total_within_bounds_and_near_the_plan():
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(2, 12))
        lo = rng.uniform(0, 1e5, n)
        hi = lo + rng.uniform(2, 1e5, n)
        w = rng.random(n)
        x = lo + w * (hi - lo)
        total = float(x.sum())
        y = whole_units(x, lo, hi, total)
        assert np.all(y == np.round(y)) and y.sum() == round(total)
        assert np.all(y >= lo - 1e-6) and np.all(y <= hi + 1e-6)
        assert np.max(np.abs(y - x)) < 2.0


def test_gradient_matches_finite_differences(sim_fit):
    r = response(sim_fit)
    b = r.current * 1.1 + 1.0
    h = 1e-3 * np.maximum(b, 1.0)
    eye = np.eye(len(b))
    numeric = np.array([(r.kpi(b + h[c] * eye[c])[c] - r.kpi(b - h[c] * eye[c])[c]) / (2 * h[c])
                        for c in range(len(b))])
    assert _gradient(r, b) == pytest.approx(numeric, rel=1e-5, abs=1e-12)


def test_plan_bounds_default_to_the_share():
    lo, hi = plan_bounds(("a", "b"), np.array([100.0, 300.0]), 400.0, share=0.25)
    assert list(lo) == [75.0, 225.0] and list(hi) == [125.0, 375.0]


def test_a_plan_in_small_numbers_keeps_its_total_instead_of_rounding_to_whole_units():
    x = np.array([12.3456789, 6.6843211])  # e.g. PyMC-Marketing's example: about 19 spend units a year
    lo, hi = x * 0.7, x * 1.3
    y = whole_units(x, lo, hi, float(x.sum()))
    assert plan_unit(float(x.sum())) == pytest.approx(1e-5)
    assert y.sum() == pytest.approx(x.sum(), abs=1e-5)
    assert np.all(np.abs(y - x) < 2e-5)
    assert plan_unit(20_000_000.0) == 1.0
