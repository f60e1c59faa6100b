"""A real `streamlit run` server on a free 127.0.0.1 port against a tmp world, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.app.conftest import ROOT, build_index, make_world

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
STARTUP_SECONDS = 60


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, seconds: float) -> None:
    """Poll /_stcore/health until ok, failing early if the server died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit not healthy after {seconds}s")


def start_app(data: Path, log_path: Path) -> tuple[subprocess.Popen, str]:
    """streamlit run app.py headless on 127.0.0.1 with MIP_DATA_DIR=data; returns (process, base url)."""
    port = free_port()
    env = {**os.environ, "MIP_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    env.pop("MIP_INDEX_DIR", None)
    env.pop("ANTHROPIC_API_KEY", None)
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log = log_path.open("w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, STARTUP_SECONDS)
    except Exception:
        proc.kill()
        raise
    return proc, url


@pytest.fixture(scope="session")
def app_url(tmp_path_factory, world_dir) -> Iterator[str]:
    """Base URL of a running app on a built tmp world; the server is killed at teardown."""
    data = make_world(tmp_path_factory.mktemp("browser_world"), mmm_from=world_dir)
    build_index(data)
    ARTIFACTS.mkdir(exist_ok=True)
    proc, url = start_app(data, ARTIFACTS / "streamlit.log")
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    assert exe, "chromium is not installed: run scripts/ensure_chromium.sh"
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh 1400×1000 tab."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = ctx.new_page()
    p.set_default_timeout(30_000)
    yield p
    ctx.close()
