"""Budget sweep, share of spend vs share of effect, and the KPI decomposition, against the optimiser and what-if."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.mmm import current_allocation, optimize_budget, roi_table, whatif
from core.mmm.optimize import BOUND_EPS
from core.mmm.simulate import SIM_VALUE_PER_UNIT as VALUE
from core.mmm.sweep import SWEEP_MULTIPLES, budget_sweep, decomposition, spend_effect_shares


@pytest.fixture(scope="module")
def sweep(sim_fit):
    return budget_sweep(sim_fit, value_per_unit=VALUE)


def test_sweep_runs_from_half_to_twice_todays_total(sim_fit, sweep):
    today = sum(current_allocation(sim_fit).values())
    assert SWEEP_MULTIPLES[0] == 0.5 and SWEEP_MULTIPLES[-1] == 2.0
    assert [p.multiple for p in sweep.points] == list(SWEEP_MULTIPLES)
    for p in sweep.points:
        assert p.total == round(p.multiple * today)  # whole units adding up to the total
        assert sum(p.allocation.values()) == p.total
        assert all(float(v).is_integer() for v in p.allocation.values())


def test_the_sweep_at_todays_total_is_the_optimisers_plan(sim_fit, sweep):
    at_today = next(p for p in sweep.points if p.multiple == 1.0)
    opt = optimize_budget(sim_fit, value_per_unit=VALUE)
    assert at_today.kpi == pytest.approx(opt.optimal_kpi, rel=1e-9)
    assert at_today.kpi == pytest.approx(whatif(sim_fit, at_today.allocation, value_per_unit=VALUE).kpi, rel=1e-12)


def test_more_budget_never_predicts_less(sweep):
    # The optimum at a smaller total, scaled up, is feasible at the larger one and a response never falls.
    kpis = [p.kpi for p in sweep.points]
    assert all(b >= a - 1e-9 * abs(a) for a, b in zip(kpis, kpis[1:]))


def test_profit_is_contribution_times_value_minus_spend_and_zero_at_roi_one(sweep):
    for p in sweep.points:
        assert p.profit == pytest.approx(p.contribution * VALUE - p.total)
        assert p.roi == pytest.approx(p.contribution * VALUE / p.total)
        assert (p.profit > 0) == (p.roi > 1)


def test_break_even_lies_where_profit_changes_sign(sim_fit, sweep):
    # A value per unit at which today's plan returns exactly break-even puts the crossing inside the range.
    at_today = next(p for p in sweep.points if p.multiple == 1.0)
    value = at_today.total / at_today.contribution
    even = budget_sweep(sim_fit, value_per_unit=value)
    assert len(even.break_even) >= 1
    for total in even.break_even:
        below = [p for p in even.points if p.total < total]
        above = [p for p in even.points if p.total > total]
        assert below and above and (below[-1].profit > 0) != (above[0].profit > 0)
    assert even.break_even[0] == pytest.approx(at_today.total, rel=0.1)
    assert even.best.profit == max(p.profit for p in even.points)


def test_no_break_even_when_profit_keeps_one_sign(sweep):
    losing = replace(sweep, points=tuple(replace(p, profit=-abs(p.profit) - 1) for p in sweep.points))
    paying = replace(sweep, points=tuple(replace(p, profit=abs(p.profit) + 1) for p in sweep.points))
    assert losing.break_even == () == paying.break_even


def test_bands_bracket_the_estimates(sweep):
    for p in sweep.points:
        assert p.kpi_low <= p.kpi <= p.kpi_high and p.kpi_low < p.kpi_high
        assert p.profit_low <= p.profit <= p.profit_high


def test_without_draws_the_bands_are_nan(sim_fit):
    bare = replace(sim_fit, draws=[])
    s = budget_sweep(bare, value_per_unit=VALUE, multiples=(1.0,))
    assert np.isnan(s.points[0].kpi_low) and np.isnan(s.points[0].profit_high)


def test_limits_hold_at_every_total_and_impossible_totals_are_listed(sim_fit):
    now = current_allocation(sim_fit)
    limits = {ch: (0.8 * v, 1.2 * v) for ch, v in now.items()}  # only totals from 0.8× to 1.2× today can be spent
    s = budget_sweep(sim_fit, value_per_unit=VALUE, limits=limits)
    assert [p.multiple for p in s.points] == [m for m in SWEEP_MULTIPLES if 0.8 <= m <= 1.2]
    assert len(s.infeasible) == len(SWEEP_MULTIPLES) - len(s.points)
    for p in s.points:
        for ch, (low, high) in limits.items():
            slack = BOUND_EPS * max(high, 1.0)
            assert low - slack <= p.allocation[ch] <= high + slack


def test_frames_have_one_row_per_total(sweep, sim_fit):
    frame, alloc = sweep.frame(), sweep.allocations()
    assert len(frame) == len(alloc) == len(sweep.points)
    assert list(alloc.columns) == ["total", *sim_fit.channels]
    assert np.allclose(alloc[list(sim_fit.channels)].sum(axis=1), alloc.total)


def test_shares_sum_to_one_and_roi_matches_the_roi_table(sim_fit):
    shares = spend_effect_shares(sim_fit, value_per_unit=VALUE)
    assert shares.spend_share.sum() == pytest.approx(1.0) and shares.effect_share.sum() == pytest.approx(1.0)
    table = roi_table(sim_fit, VALUE).set_index("channel")
    for row in shares.itertuples():
        assert row.roi == pytest.approx(table.loc[row.channel, "roi"])
    # effect share above spend share exactly when the channel beats the media average ROI
    average = (shares.contribution.sum() * VALUE) / shares.spend.sum()
    for row in shares.itertuples():
        assert (row.effect_share > row.spend_share) == (row.roi > average)


def test_decomposition_adds_up_to_the_whatif_prediction(sim_fit):
    now = current_allocation(sim_fit)
    plan = {ch: v * (0.5 if i % 2 else 1.4) for i, (ch, v) in enumerate(now.items())}
    parts = decomposition(sim_fit, plan)
    assert list(parts.part) == ["baseline", *sim_fit.channels, "total"]
    steps = parts[parts.kind != "total"]
    assert np.allclose(steps.start.to_numpy()[1:], steps.end.to_numpy()[:-1])  # each bar starts where the last ended
    assert parts.iloc[-1].end == pytest.approx(whatif(sim_fit, plan, value_per_unit=VALUE).kpi, rel=1e-12)
    assert parts.iloc[0].kpi == pytest.approx(float(sim_fit.baseline[sim_fit.plan].sum()))


def test_unknown_channels_are_refused(sim_fit):
    with pytest.raises(ValueError, match="unknown channel"):
        decomposition(sim_fit, {"carrier_pigeon": 1.0})
