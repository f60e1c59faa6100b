"""Agent fixtures: the shared fakes (tests/fakes.py) wired into a Toolbox."""

from __future__ import annotations

import pytest

from core.agents.tools import Toolbox
from core.config import Settings
from tests.fakes import FakeIndex, fake_mmm


@pytest.fixture
def toolbox(tmp_path) -> Toolbox:
    """A Toolbox over the fake index and fake MMM (model_ready.csv exists so the fit step is allowed)."""
    settings = Settings(data_dir=tmp_path)
    settings.model_ready_path.parent.mkdir(parents=True)
    settings.model_ready_path.write_text("week_start,spend_tv,leads\n")
    return Toolbox(settings, index=FakeIndex(), mmm=fake_mmm())
