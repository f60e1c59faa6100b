"""Read-outs: table shapes, curves, importance, consistency with the fit."""

from __future__ import annotations

import numpy as np
import pytest

from core.mmm import (
    adstock_curves,
    coefficient_magnitudes,
    current_allocation,
    fitted_vs_actual,
    response_curves,
    roi_table,
)
from core.mmm.simulate import SIM_VALUE_PER_UNIT


def test_roi_table_columns_and_definition(sim_fit):
    table = roi_table(sim_fit, value_per_unit=100.0)
    assert list(table.columns) == ["channel", "spend", "contribution", "roi", "roi_low", "roi_high",
                                   "marginal_roi", "cost_per_unit"]
    row = table.iloc[0]
    assert row.roi == pytest.approx(row.contribution * 100.0 / row.spend)
    assert row.spend == pytest.approx(current_allocation(sim_fit)[row.channel])
    plan_contrib = sim_fit.channel_contribution(row.channel)[sim_fit.plan].sum()
    assert row.contribution == pytest.approx(plan_contrib)


def test_marginal_roi_below_average_roi_for_concave_curves(sim_fit):
    table = roi_table(sim_fit, SIM_VALUE_PER_UNIT).set_index("channel")
    concave = [ch for ch, hp in sim_fit.hyper.items() if hp.slope <= 1.0 and sim_fit.beta[ch] > 0]
    for ch in concave:  # Hill with slope ≤ 1 is concave, so the next £ earns less than the average £
        assert table.marginal_roi[ch] < table.roi[ch]


def test_coefficient_magnitudes_rank_and_normalise(sim_fit):
    mags = coefficient_magnitudes(sim_fit)
    assert sum(mags.values()) == pytest.approx(1.0)
    assert list(mags.values()) == sorted(mags.values(), reverse=True)
    assert "intercept" not in mags and set(sim_fit.channels) <= set(mags)


def test_response_curves_start_at_zero_and_pass_through_current(sim_fit):
    curves = response_curves(sim_fit, points=21)
    table = roi_table(sim_fit, SIM_VALUE_PER_UNIT).set_index("channel")
    for ch, curve in curves.items():
        assert len(curve) == 21 and curve.kpi.iloc[0] == pytest.approx(0.0, abs=1e-9)
        assert np.all(np.diff(curve.kpi) >= -1e-9)
        mid = curve.iloc[10]  # multiple 1.0 = current spend
        assert mid.spend == pytest.approx(table.spend[ch])


def test_adstock_curves_arrays(sim_fit):
    curves = adstock_curves(sim_fit)
    for c in curves.values():
        assert set(c) == {"raw", "adstocked", "saturated"}
        assert len(c["raw"]) == len(c["adstocked"]) == len(c["saturated"]) == 104
        assert np.all((c["saturated"] >= 0) & (c["saturated"] < 1))
        assert c["adstocked"].sum() == pytest.approx(c["raw"].sum(), rel=0.2)  # normalised carry-over


def test_fitted_vs_actual(sim_fit, sim_world):
    fva = fitted_vs_actual(sim_fit)
    assert list(fva.columns) == ["week_start", "actual", "fitted"]
    assert np.allclose(fva.actual, sim_world.table.leads)


def test_reported_interval_is_the_bootstrap_interval_widened_about_the_estimate(sim_fit):
    from core.mmm.outputs import INTERVAL_SCALE, raw_roi_intervals

    raw, shown = raw_roi_intervals(sim_fit, SIM_VALUE_PER_UNIT), roi_table(sim_fit, SIM_VALUE_PER_UNIT)
    below = (raw.roi - raw.roi_low).clip(lower=0)
    above = (raw.roi_high - raw.roi).clip(lower=0)
    assert INTERVAL_SCALE >= 1.0
    assert np.allclose(shown.roi_high, raw.roi + INTERVAL_SCALE * above)
    assert np.allclose(shown.roi_low, (raw.roi - INTERVAL_SCALE * below).clip(lower=0))
    assert (shown.roi_low <= shown.roi).all() and (shown.roi <= shown.roi_high).all()
