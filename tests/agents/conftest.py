"""Agent fixtures: the shared fakes (tests/fakes.py) wired into a Toolbox, and a small euro sales world fitted once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.agents.tools import Toolbox
from core.config import Settings
from core.mmm import FitConfig, MmmFit, fit_model, load_weekly
from tests.fakes import FakeIndex, fake_mmm

FAST = FitConfig(seed=1, n_bootstrap=4)  # a few bootstrap draws: intervals exist, the fit takes seconds
SALES_WEEKS = 104


@pytest.fixture
def toolbox(tmp_path) -> Toolbox:
    """A Toolbox over the fake index and fake MMM (model_ready.csv exists so the fit step is allowed)."""
    settings = Settings(data_dir=tmp_path)
    settings.model_ready_path.parent.mkdir(parents=True)
    settings.model_ready_path.write_text("week_start,spend_tv,leads\n")
    return Toolbox(settings, index=FakeIndex(), mmm=fake_mmm())


@pytest.fixture(scope="session")
def sales_table() -> pd.DataFrame:
    """Two flighted channels in euros driving weekly sales, with a temperature control (no leads column)."""
    rng = np.random.default_rng(5)
    tv = np.where(rng.random(SALES_WEEKS) < 0.6, rng.uniform(20_000, 80_000, SALES_WEEKS), 0.0)
    search = rng.uniform(5_000, 15_000, SALES_WEEKS)
    temperature = rng.normal(12, 5, SALES_WEEKS)
    sales = 300 + 200 * tv / (tv + 40_000) + 150 * search / (search + 10_000) + 2 * temperature
    return pd.DataFrame({"week_start": pd.date_range("2024-01-01", periods=SALES_WEEKS, freq="7D").strftime("%Y-%m-%d"),
                         "spend_tv": tv.round(2), "spend_search": search.round(2), "temperature": temperature,
                         "sales": (sales + rng.normal(0, 8, SALES_WEEKS)).round()})


@pytest.fixture(scope="session")
def sales_world(sales_table, tmp_path_factory) -> tuple[Settings, MmmFit]:
    """A data folder whose model_ready.csv is the sales table, and the model fitted to it (once per session)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("sales_world"), value_per_lead=2.5)
    settings.model_ready_path.parent.mkdir(parents=True)
    sales_table.to_csv(settings.model_ready_path, index=False)
    return settings, fit_model(load_weekly(settings.model_ready_path, target="sales"), FAST)
