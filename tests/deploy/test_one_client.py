"""The app holds one index client per process: sessions arriving at once share the first one's, in both modes."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from core.config import Settings
from core.rag import index as rag_index
from tests.deploy.qdrant_fake import FakeQdrantServer

pytestmark = pytest.mark.filterwarnings("ignore:Api key is used with an insecure connection")
FIX = Path(__file__).resolve().parents[1] / "rag" / "fixtures"
SESSIONS = 10


@pytest.fixture(params=["embedded", "server"])
def settings(request, tmp_path) -> Iterator[Settings]:
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    base = Settings(data_dir=tmp_path, index_dir=tmp_path / "index")
    if request.param == "embedded":
        yield base
        return
    with FakeQdrantServer(api_key="k") as server:
        yield replace(base, qdrant_url=server.url, qdrant_api_key="k")


def test_sessions_arriving_together_share_one_client(settings, monkeypatch):
    from ui import common

    opened: list[Settings] = []
    connect = rag_index.connect

    def counting(s: Settings):
        opened.append(s)
        time.sleep(0.5)  # hold the first open so the other sessions arrive while it is in progress
        return connect(s)

    monkeypatch.setattr(rag_index, "connect", counting)
    start = threading.Barrier(SESSIONS)

    def session(_: int) -> object:
        start.wait()
        return common.get_index(settings)

    try:
        with ThreadPoolExecutor(max_workers=SESSIONS) as pool:
            indexes = list(pool.map(session, range(SESSIONS)))
        # Embedded Qdrant would raise "in use by another process" for a second client of the same folder.
        assert len(opened) == 1 and all(ix is indexes[0] for ix in indexes)
        indexes[0].build()
        assert common.get_index(settings).status().built and len(opened) == 1
    finally:
        common.get_index(settings).close()
        common._open_index.clear()
