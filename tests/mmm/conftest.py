"""Small simulated worlds and fits shared by the MMM tests (fast: few bootstrap draws)."""

from __future__ import annotations

import pytest

from core.mmm import FitConfig, fit_model, load_weekly
from core.mmm.simulate import SimWorld, simulate_world

WORLD_SEED = 7
FAST = FitConfig(seed=1, n_bootstrap=4)


@pytest.fixture(scope="session")
def sim_world() -> SimWorld:
    """A simulated world with known truth."""
    return simulate_world(WORLD_SEED)


@pytest.fixture(scope="session")
def sim_fit(sim_world):
    """The model fitted to the simulated world, with a few bootstrap draws."""
    return fit_model(load_weekly(sim_world.table), FAST)
