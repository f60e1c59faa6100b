"""Fit: recovers a simulated world's ROIs, is deterministic, and its pieces add up."""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr

from core.mmm import (
    AdstockKind,
    FitConfig,
    contributions,
    fit_diagnostics,
    fit_model,
    load_weekly,
    roi_table,
)
from core.mmm.outputs import INTERVAL, raw_roi_intervals
from core.mmm.simulate import SIM_VALUE_PER_UNIT
from core.mmm.solver import block_folds


def test_recovers_true_rois(sim_world, sim_fit):
    table = roi_table(sim_fit, SIM_VALUE_PER_UNIT)
    true = np.array([sim_world.truth[ch]["roi"] for ch in table.channel])
    errors = np.abs(table.roi.to_numpy() / true - 1)
    assert np.median(errors) < 0.35
    assert spearmanr(table.roi, true).statistic > 0.6


def test_true_transforms_recover_at_least_as_well(sim_world):
    from core.mmm.bench import score_world

    floor = score_world(sim_world, FitConfig(n_bootstrap=0), true_transforms=True)
    assert np.median(floor.abs_pct_errors) < 35


def test_diagnostics_are_sane(sim_fit):
    d = fit_diagnostics(sim_fit)
    assert d["r_squared"] > 0.8 and d["adj_r_squared"] <= d["r_squared"]
    assert 0 < d["mape"] < 20 and 0 < d["holdout_mape"] < 30
    assert d["weeks"] == 104


def test_media_effects_non_negative(sim_fit):
    assert all(b >= 0 for b in sim_fit.beta.values())
    for _hyper, draw_beta in sim_fit.draws:
        assert all(b >= 0 for b in draw_beta.values())


def test_contributions_add_up_to_fitted(sim_fit):
    parts = contributions(sim_fit).drop(columns="week_start").sum(axis=1).to_numpy()
    assert np.allclose(parts, sim_fit.fitted)


def test_deterministic_under_seed(sim_world):
    data = load_weekly(sim_world.table)
    config = FitConfig(seed=3, n_bootstrap=2)
    a, b = roi_table(fit_model(data, config), SIM_VALUE_PER_UNIT), roi_table(fit_model(data, config), SIM_VALUE_PER_UNIT)
    assert np.allclose(a.drop(columns="channel"), b.drop(columns="channel"), equal_nan=True)


def test_bootstrap_intervals_are_non_degenerate_and_contain_the_estimate(sim_fit):
    table = roi_table(sim_fit, value_per_unit=150.0)
    assert len(sim_fit.draws) == sim_fit.config.n_bootstrap > 0
    assert np.isfinite(table[["roi", "roi_low", "roi_high"]].to_numpy()).all()
    assert ((table.roi_low <= table.roi) & (table.roi <= table.roi_high)).all()
    assert (table.roi_low < table.roi_high).mean() >= 2 / 3  # the draws carry real spread
    betas = [tuple(beta[ch] for ch in sim_fit.channels) for _, beta in sim_fit.draws]
    assert len(set(betas)) == len(betas)  # every draw is a different refit


def test_raw_interval_is_percentiles_of_the_draws_plan_rois(sim_fit):
    """Oracle: each draw's ROI is beta · Σ_plan hill(adstock(spend)) / plan spend, straight from the transforms."""
    plan = sim_fit.plan
    rois = []
    for hyper, beta in sim_fit.draws:
        row = []
        for ch in sim_fit.channels:
            x = sim_fit.data.spend[ch].to_numpy(dtype=float)
            row.append(beta[ch] * hyper[ch].saturated(x)[plan].sum() / x[plan].sum() * 150.0)
        rois.append(row)
    low, high = np.percentile(np.array(rois), INTERVAL, axis=0)
    raw = raw_roi_intervals(sim_fit, value_per_unit=150.0)
    assert np.allclose(raw.roi_low, low, rtol=1e-9) and np.allclose(raw.roi_high, high, rtol=1e-9)
    table = roi_table(sim_fit, value_per_unit=150.0)  # widened about the estimate, never narrowed
    assert (table.roi_high >= raw.roi_high - 1e-12).all()
    assert ((table.roi_low <= raw.roi_low + 1e-12) | (table.roi_low == 0)).all()
    doubled = roi_table(sim_fit, value_per_unit=300.0)
    cols = ["roi", "roi_low", "roi_high"]
    assert np.allclose(doubled[cols], 2 * table[cols])


def test_no_bootstrap_means_nan_intervals(sim_world):
    config = FitConfig(n_bootstrap=0, decays=(0.3,), half_sats=(1.0,), slopes=(1.0,))
    fit = fit_model(load_weekly(sim_world.table), config)
    table = roi_table(fit, value_per_unit=150.0)
    assert fit.draws == []
    assert table.roi_low.isna().all() and table.roi_high.isna().all()
    assert np.isfinite(table.roi).all()


def test_cv_blocks_cover_every_week_once():
    folds = block_folds(104, 13)
    assert sorted(np.concatenate(folds).tolist()) == list(range(104))
    assert all(np.all(np.diff(f) == 1) for f in folds)  # contiguous


def test_weibull_adstock_option_fits(sim_world):
    fit = fit_model(load_weekly(sim_world.table), FitConfig(n_bootstrap=0, adstock=AdstockKind.WEIBULL))
    assert all(hp.kind is AdstockKind.WEIBULL for hp in fit.hyper.values())
    assert fit_diagnostics(fit)["r_squared"] > 0.8
    assert np.isfinite(roi_table(fit, SIM_VALUE_PER_UNIT).roi).all()
