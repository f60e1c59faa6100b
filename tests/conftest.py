"""Shared fixtures: one generated synthetic world per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import Settings
from core.synth import generate_world

WORLD_SEED = 42


@pytest.fixture(scope="session")
def world_dir(tmp_path_factory) -> Path:
    """A data folder holding the default world (seed 42); treat it as read-only."""
    out = tmp_path_factory.mktemp("world")
    generate_world(out, seed=WORLD_SEED)
    return out


@pytest.fixture(scope="session")
def world_settings(world_dir, tmp_path_factory) -> Settings:
    """Settings pointed at the session world, with its own index and cache folders."""
    return Settings(data_dir=world_dir, index_dir=tmp_path_factory.mktemp("world_index"))
