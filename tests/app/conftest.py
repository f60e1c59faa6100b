"""AppTest fixtures: one small world with a built index per test session, the app pointed at it by env."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.config import Settings, get_settings

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_WORLD = ROOT / "tests" / "rag" / "fixtures"
APP = ROOT / "app.py"
TIMEOUT = 60


def make_world(dest: Path, mmm_from: Path | None = None) -> Path:
    """A small data folder: the RAG fixture files (CSVs, a contract, creatives), plus the MMM table (and any
    cached fit) of a generated world when given, so the MMM page has a real model without a long refit."""
    shutil.copytree(FIXTURE_WORLD, dest, dirs_exist_ok=True)
    if mmm_from is not None:
        shutil.copytree(mmm_from / "mmm", dest / "mmm", dirs_exist_ok=True)
        if (mmm_from / "cache" / "mmm").is_dir():
            shutil.copytree(mmm_from / "cache" / "mmm", dest / "cache" / "mmm", dirs_exist_ok=True)
    return dest


def build_index(target: Path | Settings) -> None:
    """Build the index of a data folder (or of full settings) once and release its folder lock so the app can
    open it."""
    from core.rag import HybridIndex

    ix = HybridIndex.open(target if isinstance(target, Settings) else Settings(data_dir=target))
    try:
        ix.build()
    finally:
        ix.close()


@pytest.fixture(scope="session")
def app_data(tmp_path_factory, world_dir) -> Path:
    """The session's data folder with its index built."""
    data = make_world(tmp_path_factory.mktemp("app_world"), mmm_from=world_dir)
    build_index(data)
    return data


@contextmanager
def app_pointed_at(data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Settings.from_env reads this data folder (offline, default index) while the block runs."""
    monkeypatch.setenv("MIP_DATA_DIR", str(data))
    monkeypatch.delenv("MIP_INDEX_DIR", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


@pytest.fixture
def app_env(app_data, monkeypatch) -> Iterator[Path]:
    """Point Settings.from_env at the session world for one test."""
    with app_pointed_at(app_data, monkeypatch) as data:
        yield data


def open_app(page: str | None = None) -> AppTest:
    """The app run once (and switched to a page), asserting no exception on the way."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at
