"""The Qdrant server path (QDRANT_URL) is the embedded path with another client: the same search, stale and build
tests pass against both, and a server's failures are one clear message.

The server is tests/deploy/qdrant_fake.py: real HTTP from the real `QdrantClient(url=...)` that
`HybridIndex.open` builds from the settings, answered by qdrant-client's own engine.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from core.config import Settings
from core.rag import search as search_cli
from core.rag.embedder import LocalMiniLM
from core.rag.index import HybridIndex, QdrantServerError
from core.rag.types import IndexMissingError, RagError
from tests.deploy.qdrant_fake import API_KEY, SERVER_WARNINGS, FakeQdrantServer

# The search tests of the embedded index, collected here again and run against both modes by `built` below.
from tests.rag.test_index import (  # noqa: F401
    test_asset_search_returns_images_and_filters,
    test_category_and_channel_filters,
    test_errors,
    test_hybrid_fuses_row_hits_only_when_lexical_match,
    test_search_finds_contract_clause,
)

pytestmark = SERVER_WARNINGS
FIX = Path(__file__).parent / "fixtures"
MODES = ["embedded", "server"]
QUERIES = ["how much notice to cancel ITV bookings", "Northgate Motors", "meta spend in March", "TV airtime"]
NEW_ROW = "2024-03-04,Zephyrford Autos,East,20,5\n"  # a dealer name found nowhere else in the fixtures


def _world(dest: Path) -> Path:
    shutil.copytree(FIX, dest, dirs_exist_ok=True)
    return dest


@contextmanager
def _index(settings: Settings, embedder: LocalMiniLM) -> Iterator[HybridIndex]:
    ix = HybridIndex.open(settings, embedder)
    try:
        yield ix
    finally:
        ix.close()


@contextmanager
def _mode(mode: str, data: Path) -> Iterator[tuple[Settings, FakeQdrantServer | None]]:
    """Settings of a data folder in one mode: embedded store, or a fresh fake server with an API key."""
    settings = Settings(data_dir=data, index_dir=data / "index")
    if mode == "embedded":
        yield settings, None
        return
    with FakeQdrantServer(api_key=API_KEY) as server:
        yield replace(settings, qdrant_url=server.url, qdrant_api_key=API_KEY), server


@pytest.fixture(scope="module")
def minilm() -> LocalMiniLM:
    return LocalMiniLM()


@pytest.fixture(scope="module", params=MODES)
def built(request, tmp_path_factory, minilm) -> Iterator[tuple[HybridIndex, Path]]:
    """The fixture world's index built in one mode: what tests/rag/test_index.py's search tests take."""
    data = _world(tmp_path_factory.mktemp(f"built_{request.param}"))
    with _mode(request.param, data) as (settings, _), _index(settings, minilm) as ix:
        ix.build()
        yield ix, data


def _ranked(ix: HybridIndex) -> list[list[tuple[str, float]]]:
    return [[(h.id, round(h.score, 6)) for h in ix.search_text(q, k=5)] for q in QUERIES] + [
        [(h.id, round(h.score, 6)) for h in ix.search_assets("family car at dusk", k=2)]]


def test_server_and_embedded_answer_alike(tmp_path, minilm):
    results = {}
    for mode in MODES:
        with _mode(mode, _world(tmp_path / mode)) as (settings, _), _index(settings, minilm) as ix:
            ix.build()
            results[mode] = _ranked(ix)
    assert results["server"] == results["embedded"] and all(results["server"])


def test_server_mode_goes_over_http_and_leaves_no_embedded_store(tmp_path, minilm):
    with _mode("server", _world(tmp_path)) as (settings, server), _index(settings, minilm) as ix:
        assert server is not None
        ix.build()
        ix.search_text("ITV cancellation")
        ix.search_assets("family car")
        assert server.calls("PUT", "/points") and server.calls("POST", "/points/query")
        assert not settings.qdrant_path.exists()  # nothing went to the embedded folder


@pytest.mark.parametrize("mode", MODES)
def test_stale_checks_and_incremental_rebuild(mode, tmp_path, minilm):
    data = _world(tmp_path)
    with _mode(mode, data) as (settings, _), _index(settings, minilm) as ix:
        first = ix.build()
        before = ix.status()
        assert before.built and not before.stale and not before.missing
        leads = data / "raw" / "leads.csv"
        leads.write_text(leads.read_text() + NEW_ROW)
        (data / "raw" / "notes.md").write_text("# Notes\n\nThe Zephyrford launch party is in May.\n")
        status = ix.status()
        assert status.stale == ["raw/leads.csv"] and status.missing == ["raw/notes.md"]
        (data / "raw" / "tv_performance.csv").unlink()
        again = ix.build()
        assert sorted(again.embedded_files) == ["raw/leads.csv", "raw/notes.md"]
        assert again.removed_files == ["raw/tv_performance.csv"]
        assert len(again.unchanged_files) == len(first.embedded_files) - 2
        after = ix.status()
        assert after.built and not after.stale and not after.missing
        assert not any(h.source_file == "tv_performance.csv" for h in ix.search_text("TV airtime", k=10))
        assert any(h.rows and "Zephyrford" in h.text for h in ix.search_text("Zephyrford Autos", k=5))


def test_replicas_sharing_a_server_and_index_folder_see_each_others_rebuild(tmp_path, minilm):
    data = _world(tmp_path)
    with _mode("server", data) as (settings, _), _index(settings, minilm) as a, _index(settings, minilm) as b:
        a.build()
        assert b.status().built and b.search_text("Northgate Motors", k=3)  # b loads a's bm25s index
        leads = data / "raw" / "leads.csv"
        leads.write_text(leads.read_text() + NEW_ROW)
        assert b.status().stale == ["raw/leads.csv"]
        a.build()
        assert not b.status().stale
        # Row chunks live only in the bm25s index: b reloaded the one a wrote.
        assert any(h.rows and "Zephyrford" in h.text for h in b.search_text("Zephyrford Autos", k=5))


@pytest.mark.parametrize("mode", MODES)
def test_concurrent_sessions_share_one_index(mode, tmp_path, minilm):
    """Many sessions searching one shared index (and one rebuilding it) get the answers one session gets alone."""
    data = _world(tmp_path)
    with _mode(mode, data) as (settings, _), _index(settings, minilm) as ix:
        ix.build()
        alone = _ranked(ix)
        (data / "raw" / "notes.md").write_text("# Notes\n\nNothing about budgets here.\n")
        errors: list[BaseException] = []

        def rebuild() -> None:
            try:
                ix.build()
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        builder = threading.Thread(target=rebuild)
        with ThreadPoolExecutor(max_workers=8) as pool:
            futures = [pool.submit(_ranked, ix) for _ in range(16)]
            builder.start()
            together = [f.result() for f in futures]
        builder.join()
        assert not errors
        # A rebuild adds notes.md mid-way, so only the asset search and the row-level queries are fixed points.
        assert all(t[-1] == alone[-1] for t in together)
        assert all(t[1][0][0] == alone[1][0][0] for t in together)  # "Northgate Motors": same top row
        assert _ranked(ix)[-1] == alone[-1] and ix.status().built


def test_wrong_api_key_is_one_clear_error(tmp_path, minilm):
    data = _world(tmp_path)
    with FakeQdrantServer(api_key=API_KEY) as server:
        settings = Settings(data_dir=data, index_dir=data / "index", qdrant_url=server.url, qdrant_api_key="wrong")
        with _index(settings, minilm) as ix:
            with pytest.raises(QdrantServerError, match="401.*QDRANT_API_KEY"):
                ix.build()
            status = ix.status()
            assert not status.built and "401" in status.problems[0]
        assert server.calls("GET", "/exists")  # the key was checked by the server, not skipped


def test_unreachable_server_is_one_clear_error(tmp_path, minilm, monkeypatch, capsys):
    data = _world(tmp_path)
    with FakeQdrantServer() as server:
        url = server.url
        settings = Settings(data_dir=data, index_dir=data / "index", qdrant_url=url)
        with _index(settings, minilm) as ix:
            ix.build()
    # The server is gone now: searches, builds and the CLI say so in one line, as RagErrors.
    with _index(settings, minilm) as ix:
        for call in (lambda: ix.search_text("ITV"), lambda: ix.search_assets("car"), ix.build):
            with pytest.raises(RagError, match=f"Qdrant server at {url} failed"):
                call()
        assert not ix.status().built
    monkeypatch.setenv("QDRANT_URL", url)
    assert search_cli.main(["ITV", "--data", str(data), "--index", str(data / "index")]) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(err) == 1 and err[0].startswith(f"error: the Qdrant server at {url} failed"), err


def test_server_index_not_built_yet_says_so(tmp_path, minilm):
    with _mode("server", _world(tmp_path)) as (settings, _), _index(settings, minilm) as ix:
        with pytest.raises(IndexMissingError, match="not built"):
            ix.search_text("ITV")
        assert not ix.status().built
