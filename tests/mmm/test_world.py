"""The model on the lead's generated world (built once per session by tests/conftest.py)."""

from __future__ import annotations

from core.mmm import FitConfig, fit_diagnostics, get_fit


def test_generated_world_fits_well(world_settings):
    fit = get_fit(world_settings, config=FitConfig(n_bootstrap=0))
    assert fit_diagnostics(fit)["r_squared"] > 0.5
    assert set(fit.channels) == {"tv", "ooh", "youtube", "meta", "google", "dv360", "tiktok", "linkedin",
                                 "print", "radio", "events"}
