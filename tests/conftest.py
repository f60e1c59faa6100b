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


@pytest.fixture(scope="session")
def world_index(world_settings) -> Settings:
    """world_settings with the search index built once per session (about 30 s); the folder lock is released."""
    from core.rag import HybridIndex

    ix = HybridIndex.open(world_settings)
    try:
        ix.build()
    finally:
        ix.close()
    return world_settings
