"""Embedded mode allows one process per index folder: a second process (a CLI next to the app, a second app
replica on the same volume) gets one clear message, never a traceback, and the holder keeps working."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.config import get_settings
from tests.app.conftest import APP, TIMEOUT, build_index, make_world

ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_S = 120
HOLDER = """
import sys
from pathlib import Path
from core.config import Settings
from core.rag import HybridIndex
ix = HybridIndex.open(Settings(data_dir=Path(sys.argv[1])))
print(len(ix.search_text("ITV cancellation", k=1)), flush=True)
sys.stdin.read()  # hold the index until the test closes our stdin
ix.close()
"""
LOCKED = "is in use by another process"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    data = make_world(tmp_path_factory.mktemp("locked_world"))
    build_index(data)
    return data


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "MIP_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    for name in ("QDRANT_URL", "MIP_INDEX_DIR", "ANTHROPIC_API_KEY"):
        env.pop(name, None)
    return env


@contextmanager
def held_by_another_process(data: Path) -> Iterator[subprocess.Popen[str]]:
    """A child process that has opened (and searched) the embedded index and holds it until the block ends."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(data)], cwd=ROOT, env=_env(data), text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "1", child.communicate()
        yield child
    finally:
        child.communicate(timeout=CHILD_TIMEOUT_S)  # closes stdin: the child releases the index and exits


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=_env(data), capture_output=True, text=True,
                          timeout=CHILD_TIMEOUT_S)


def test_cli_in_a_second_process_gets_one_line(world):
    with held_by_another_process(world) as holder:
        for args in (("core.rag.search", "ITV cancellation"), ("core.rag.build", "--check")):
            result = _cli(world, *args)
            lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
            assert result.returncode == 2 and len(lines) == 1, result.stderr
            assert lines[0].startswith("error: ") and LOCKED in lines[0] and "QDRANT_URL" in lines[0]
            assert "Traceback" not in result.stderr
        assert holder.poll() is None  # the holder is untouched
    assert _cli(world, "core.rag.search", "ITV cancellation").returncode == 0  # released: usable again


def test_app_in_a_second_process_shows_a_message(world, monkeypatch):
    monkeypatch.setenv("MIP_DATA_DIR", str(world))
    for name in ("QDRANT_URL", "MIP_INDEX_DIR", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    with held_by_another_process(world):
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert any(LOCKED in e.value for e in at.error)
        assert any(LOCKED in w.value for w in at.sidebar.warning)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()  # the other process let go: a reload opens it
    assert not at.exception and "Index ready" in at.sidebar.success[0].value
    from ui import common

    common.get_index(common.settings()).close()
    common._open_index.clear()
    common.refresh_status()
    get_settings.cache_clear()
