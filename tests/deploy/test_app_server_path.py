"""The app against a Qdrant server (QDRANT_URL): the gallery and chat page tests that run on the embedded store
pass unchanged, every search going over HTTP to the server, with no network access beyond it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import Settings, get_settings
from tests.app.conftest import build_index, make_world, open_app

# The page tests of the embedded app, collected here again with `app_env` below pointing the app at the server.
from tests.app.test_chat_page import test_chat_round_trip_cites_the_contract  # noqa: F401
from tests.app.test_gallery_page import (  # noqa: F401
    test_format_filter_narrows_the_grid,
    test_gallery_shows_every_creative,
    test_text_search_ranks_the_described_creative_first,
    test_view_opens_details,
)
from tests.deploy.qdrant_fake import API_KEY, SERVER_WARNINGS, FakeQdrantServer

pytestmark = SERVER_WARNINGS


@pytest.fixture(scope="module")
def server() -> Iterator[FakeQdrantServer]:
    with FakeQdrantServer(api_key=API_KEY) as srv:
        yield srv


@pytest.fixture(scope="module")
def server_world(tmp_path_factory, world_dir, server) -> Path:
    """The app's small world with its index built into the server (the manifest and bm25s in <data>/index)."""
    data = make_world(tmp_path_factory.mktemp("server_world"), mmm_from=world_dir)
    build_index(Settings(data_dir=data, qdrant_url=server.url, qdrant_api_key=API_KEY))
    return data


@pytest.fixture
def app_env(server_world, server, monkeypatch) -> Iterator[Path]:
    """The app pointed at the server world by the environment, as compose.yaml does; its cached index closed after."""
    from ui import common

    for name, value in {"MIP_DATA_DIR": str(server_world), "QDRANT_URL": server.url,
                        "QDRANT_API_KEY": API_KEY}.items():
        monkeypatch.setenv(name, value)
    for name in ("MIP_INDEX_DIR", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield server_world
    common.get_index(common.settings()).close()
    common._open_index.clear()
    common.refresh_status()
    get_settings.cache_clear()


def test_searches_go_to_the_server_and_no_embedded_store_is_made(app_env, server):
    before = len(server.calls("POST", "/campaign_assets/points/query"))
    at = open_app("pages/gallery.py")
    at.text_input(key="gal_query").set_value("family loading bikes into an estate").run()
    assert not at.exception
    assert len(server.calls("POST", "/campaign_assets/points/query")) == before + 1
    assert not (app_env / "index" / "qdrant").exists()


def test_sidebar_reports_the_server_index(app_env):
    at = open_app()
    assert "Index ready" in at.sidebar.success[0].value


def test_nothing_reaches_past_loopback(app_env, monkeypatch):
    """A chat answer and a gallery search with every non-loopback connection refused: nothing downloads."""
    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not str(host).startswith(("127.", "::1", "localhost")):
            attempts.append(address)
            raise OSError(f"network blocked in this test: {address}")
        real_connect(sock, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    at = open_app()
    at.chat_input[0].set_value("how much notice to cancel ITV bookings").run()
    at.switch_page("pages/gallery.py").run()
    at.text_input(key="gal_query").set_value("family car at dusk").run()
    assert not at.exception and not attempts


def test_a_stopped_server_is_a_message_not_a_traceback(app_env, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP, TIMEOUT
    from ui import common

    monkeypatch.setenv("QDRANT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    get_settings.cache_clear()
    common.refresh_status()
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    said = "Qdrant server at http://127.0.0.1:9 failed"
    assert not at.exception and any(said in e.value for e in at.error)
    assert any("Index missing or damaged" in w.value and "Connection refused" in w.value for w in at.sidebar.warning)
    at.switch_page("pages/gallery.py").run()
    at.text_input(key="gal_query").set_value("family car").run()
    assert not at.exception and any(said in e.value for e in at.error)
