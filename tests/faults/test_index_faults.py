"""The search index survives kill -9, damaged or deleted files, bad sources and held locks (the "Hardened" probes)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient

from core.config import Settings
from core.rag import build as build_cli
from core.rag import search as search_cli
from core.rag.documents import file_chunks
from core.rag.embedder import Embedder, LocalMiniLM
from core.rag.index import MAX_MARKDOWN_BYTES, UPSERT_BATCH, HybridIndex
from core.rag.store import index_fingerprint
from core.rag.types import IndexMissingError, IndexStaleError, RagError, SkippedFile

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "rag" / "fixtures"
CONTRACT_Q = "how much notice to cancel ITV bookings"
CONTRACT = "itv_airtime_agreement.md"
ROW_Q = "Northgate Motors"
CHILD_TIMEOUT_S = 120
SIDEBAR_SCRIPT = "from ui.common import settings, sidebar\nsidebar(settings())\n"


def _settings(data: Path) -> Settings:
    return Settings(data_dir=data, index_dir=data / "index")


@contextmanager
def opened(settings: Settings, embedder: Embedder | None = None) -> Iterator[HybridIndex]:
    ix = HybridIndex.open(settings, embedder)
    try:
        yield ix
    finally:
        ix.close()


@pytest.fixture(scope="module")
def minilm() -> LocalMiniLM:
    return LocalMiniLM()


@pytest.fixture(scope="module")
def template(tmp_path_factory, minilm) -> Path:
    """The RAG fixture files with their index built and closed: copy it, never change it."""
    data = tmp_path_factory.mktemp("template")
    shutil.copytree(FIX, data, dirs_exist_ok=True)
    with opened(_settings(data), minilm) as ix:
        ix.build()
    return data


@pytest.fixture
def world(template, tmp_path, minilm) -> Settings:
    """A private copy of the built template, re-stamped for its new folder (a copy is stale until rebuilt;
    nothing is re-embedded: the files are unchanged)."""
    dest = tmp_path / "data"
    shutil.copytree(template, dest)
    with opened(_settings(dest), minilm) as ix:
        ix.build()
    return _settings(dest)


def _contract_found(ix: HybridIndex) -> bool:
    return ix.search_text(CONTRACT_Q, k=3)[0].source_file == CONTRACT


def _row_ids(ix: HybridIndex, query: str = ROW_Q) -> list[str]:
    ix.search_text(query, k=5, mode="bm25")  # loads (or rebuilds) bm25s
    return [h.id for h in ix._bm25_hits(query, 5, lambda m: True)]


def _run_child(code: str, *args: str) -> int:
    """Run python code in a child process (this repo importable); its return code (-9 when SIGKILLed)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, timeout=CHILD_TIMEOUT_S,
                          capture_output=True).returncode


def _add_lead(data: Path) -> None:
    leads = data / "raw" / "leads.csv"
    leads.write_text(leads.read_text() + "2024-03-04,Eastfield Autos,East,20,5\n")


# ---- 1. atomic, recoverable index ----------------------------------------------------------------------------
KILL_IN_MANIFEST_WRITE = """
import os, signal, sys
from pathlib import Path
from core.config import Settings
from core.rag.index import HybridIndex

real_fsync = os.fsync
def fsync(fd):
    if "manifest" in os.readlink(f"/proc/self/fd/{fd}"):
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 with the new manifest written but not yet in place
    real_fsync(fd)
os.fsync = fsync
data = Path(sys.argv[1])
HybridIndex.open(Settings(data_dir=data, index_dir=data / "index")).build()
"""

HALF_WRITE_THEN_KILL = """
import os, signal, sys
path = sys.argv[1]
text = open(path).read()
fh = open(path, "w")  # the old plain write_text: truncate, write, and die half way
fh.write(text[: len(text) // 2])
fh.flush()
os.kill(os.getpid(), signal.SIGKILL)
"""

KILL_IN_BM25_SAVE = """
import os, signal, sys
from pathlib import Path
import numpy as np
from core.config import Settings
from core.rag.index import HybridIndex

real_save, calls = np.save, []
def save(*args, **kwargs):
    calls.append(1)
    if len(calls) == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # kill -9 half way through bm25s writing its arrays
    return real_save(*args, **kwargs)
np.save = save
data = Path(sys.argv[1])
HybridIndex.open(Settings(data_dir=data, index_dir=data / "index")).build()
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds the manifest's fd through /proc")
def test_kill_9_while_the_manifest_is_written_leaves_the_previous_one_whole(world, minilm):
    before = world.index_path.joinpath("manifest.json").read_bytes()
    _add_lead(world.data_dir)
    assert _run_child(KILL_IN_MANIFEST_WRITE, str(world.data_dir)) == -signal.SIGKILL, "the write was not reached"
    assert world.index_path.joinpath("manifest.json").read_bytes() == before  # old manifest, not half a new one
    with opened(world, minilm) as ix:
        st = ix.status()
        assert st.built and st.problems == [] and st.stale == ["raw/leads.csv"]
        assert ix.build().embedded_files == ["raw/leads.csv"]
        assert any("Eastfield" in h.text for h in ix.search_text("Eastfield Autos", k=5))


def test_manifest_half_written_by_a_killed_writer_asks_for_a_rebuild_that_works(world, minilm):
    manifest = world.index_path / "manifest.json"
    assert _run_child(HALF_WRITE_THEN_KILL, str(manifest)) == -signal.SIGKILL
    with pytest.raises(ValueError):
        json.loads(manifest.read_text())  # the damage is real
    with opened(world, minilm) as ix:
        st = ix.status()
        assert not st.built and "manifest.json" in st.problems[0] and "interrupted" in st.problems[0]
        with pytest.raises(IndexMissingError, match="needs a rebuild: manifest.json"):
            ix.search_text(CONTRACT_Q)
        report = ix.build()
        assert "raw/contracts/itv_airtime_agreement.md" in report.embedded_files and report.unchanged_files == []
        assert ix.status().built and ix.status().problems == []
        assert _contract_found(ix)


@pytest.mark.parametrize("damage", ["empty", "half", "a list", "foreign dict", "binary"])
def test_damaged_manifest_never_raises_and_a_rebuild_repairs_it(world, minilm, damage):
    manifest = world.index_path / "manifest.json"
    text = manifest.read_text()
    spoiled = {"empty": "", "half": text[: len(text) // 2], "a list": "[]", "foreign dict": '{"a.md": {"x": 1}}',
               "binary": "\udcff"}[damage]
    manifest.write_bytes(spoiled.encode("utf-8", "surrogateescape"))
    with opened(world, minilm) as ix:
        st = ix.status()
        assert not st.built and len(st.problems) == 1 and "manifest.json" in st.problems[0]
        ix.build()
        assert ix.status().built and _contract_found(ix)


def test_lost_manifest_rebuild_drops_chunks_no_file_owns(world, minilm):
    (world.index_path / "manifest.json").unlink()
    (world.data_dir / "raw" / "tv_performance.csv").unlink()
    with opened(world, minilm) as ix:
        assert not ix.status().built
        ix.build()
        assert ix.status().built
        # Qdrant still held tv_performance.csv's chunks; with no manifest to say so, a naive rebuild keeps them.
        assert all(h.source_file != "tv_performance.csv" for h in ix.search_text("ITV peak grps", k=10))


@pytest.mark.parametrize(("piece", "spoil"), [
    ("params.index.json", "empty"), ("vocab.index.json", "half"), ("data.csc.index.npy", "empty"),
    ("indices.csc.index.npy", "half"), ("indptr.csc.index.npy", "missing"), ("rows.json", "empty"),
    ("rows.json", "missing")])
def test_damaged_bm25_piece_is_rebuilt_on_open(world, minilm, piece, spoil):
    with opened(world, minilm) as ix:
        expected = _row_ids(ix)
    path = world.bm25_path / piece
    if spoil == "missing":
        path.unlink()
    else:
        path.write_bytes(b"" if spoil == "empty" else path.read_bytes()[: path.stat().st_size // 2])
    with opened(world, minilm) as ix:
        assert ix.status().built
        assert _row_ids(ix) == expected
    with opened(world, minilm) as ix:  # the rebuilt index was saved whole: it loads again
        assert _row_ids(ix) == expected


def test_kill_9_while_bm25s_saves_leaves_a_whole_folder_and_search_works(world, minilm):
    _add_lead(world.data_dir)
    assert _run_child(KILL_IN_BM25_SAVE, str(world.data_dir)) == -signal.SIGKILL
    saved = {p.name for p in world.bm25_path.iterdir()}
    assert {"params.index.json", "vocab.index.json", "data.csc.index.npy", "rows.json"} <= saved  # old, whole
    with opened(world, minilm) as ix:
        assert ix.status().built
        assert _row_ids(ix, "Eastfield Autos")  # the manifest had the new row; bm25s was rebuilt from it


def test_unreadable_qdrant_store_is_set_aside_and_rebuilt(world, minilm):
    (world.qdrant_path / "meta.json").write_text("")  # Qdrant writes it in place: a kill leaves it empty
    with opened(world, minilm) as ix:
        st = ix.status()
        assert not st.built and "moved to qdrant.unreadable-" in st.problems[0]
        ix.build()
        assert ix.status().built and ix.status().problems == [] and _contract_found(ix)
    assert any(p.name.startswith("qdrant.unreadable-") for p in world.index_path.iterdir())  # kept, not deleted


# ---- 2. a deleted index under a running app --------------------------------------------------------------------
@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_index_folder_deleted_under_an_open_index(world, minilm, how):
    stamp = index_fingerprint(world)
    with opened(world, minilm) as ix:
        shutil.rmtree(world.index_path)
        if how == "replaced":
            world.qdrant_path.mkdir(parents=True)
        st = ix.status()
        assert not st.built and how in st.problems[0]
        assert index_fingerprint(world) != stamp
        with pytest.raises(IndexStaleError, match="reopen"):  # not "attempt to write a readonly database"
            ix.build()
        with pytest.raises(IndexMissingError, match=how):
            ix.search_text(CONTRACT_Q)
    with opened(world, minilm) as ix:  # a fresh client rebuilds
        ix.build()
        assert _contract_found(ix)


@pytest.fixture
def app_world(world, monkeypatch):
    """The ui.common caches pointed at a private world; the cached index is closed afterwards."""
    from core.config import get_settings
    from ui import common

    monkeypatch.setenv("MIP_DATA_DIR", str(world.data_dir))
    monkeypatch.delenv("MIP_INDEX_DIR", raising=False)
    monkeypatch.delenv("QDRANT_URL", raising=False)
    get_settings.cache_clear()
    common.refresh_status()
    yield common.settings()
    common.get_index(common.settings()).close()
    common._open_index.clear()
    common.refresh_status()
    get_settings.cache_clear()


def test_app_reopens_the_index_when_its_folder_was_deleted(app_world):
    from ui import common

    first = common.get_index(app_world)
    assert common.current_status(app_world).built
    shutil.rmtree(app_world.index_path)
    assert not common.current_status(app_world).built  # noticed at once, not after the 60 s cache
    second = common.get_index(app_world)
    assert second is not first and common.get_index(app_world) is second
    second.build()  # the Data page's Rebuild: no "attempt to write a readonly database"
    assert common.current_status(app_world).built and _contract_found(second)


def test_sidebar_stops_saying_ready_when_the_index_is_deleted(app_world):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(SIDEBAR_SCRIPT, default_timeout=60)
    at.run()
    assert "Index ready" in at.sidebar.success[0].value
    shutil.rmtree(app_world.index_path)
    at.run()
    assert not at.exception and not [s for s in at.sidebar.success if "Index ready" in s.value]
    assert any("not built" in w.value or "missing" in w.value for w in at.sidebar.warning)


def test_sidebar_names_a_damaged_manifest(app_world):
    from streamlit.testing.v1 import AppTest

    (app_world.index_path / "manifest.json").write_text("")
    at = AppTest.from_string(SIDEBAR_SCRIPT, default_timeout=60)
    at.run()
    assert not at.exception
    assert any("rebuild" in w.value and "manifest.json is empty" in w.value for w in at.sidebar.warning)


def test_sidebar_names_a_file_the_build_skipped(app_world):
    from streamlit.testing.v1 import AppTest

    from ui import common

    (app_world.raw_dir / "contracts" / "broken.md").write_bytes(b"\xff\xfe")
    common.get_index(app_world).build()
    at = AppTest.from_string(SIDEBAR_SCRIPT, default_timeout=60)
    at.run()
    assert "Index ready" in at.sidebar.success[0].value
    assert any("could not be indexed: raw/contracts/broken.md (UnicodeDecodeError" in w.value
               for w in at.sidebar.warning)


# ---- 3. one bad file never aborts the build ------------------------------------------------------------------
BAD_FILES = {
    "raw/contracts/broken.md": (b"# Broken\n\xff\xfe\x80 not UTF-8", "UnicodeDecodeError"),
    "raw/ragged.csv": (b"a,b\n1,2\n3,4,5,6\n", "more fields than its header"),  # the catalog reader's words
    "raw/empty.csv": (b"", "is empty"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_one_bad_file_is_skipped_named_and_the_rest_indexed(tmp_path, minilm, name):
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    content, error = BAD_FILES[name]
    (tmp_path / name).write_bytes(content)
    with opened(_settings(tmp_path), minilm) as ix:
        report = ix.build()
        assert [s.path for s in report.skipped] == [name] and error in report.skipped[0].reason
        assert "raw/contracts/itv_airtime_agreement.md" in report.embedded_files and _contract_found(ix)
        st = ix.status()
        assert st.built and name not in st.missing + st.stale and st.skipped == report.skipped
        again = ix.build()
        assert again.embedded_files == [] and again.skipped == report.skipped  # reported again, not re-read


def test_a_file_that_turns_bad_loses_its_old_chunks_and_recovers_when_fixed(world, minilm):
    contract = world.data_dir / "raw" / "contracts" / CONTRACT
    good = contract.read_bytes()
    contract.write_bytes(b"\xff" + good)
    with opened(world, minilm) as ix:
        report = ix.build()
        assert report.skipped == [SkippedFile(f"raw/contracts/{CONTRACT}", report.skipped[0].reason)]
        assert all(h.source_file != CONTRACT for h in ix.search_text(CONTRACT_Q, k=10))
        contract.write_bytes(good)
        fixed = ix.build()
        assert fixed.skipped == [] and fixed.embedded_files == [f"raw/contracts/{CONTRACT}"] and _contract_found(ix)


def test_build_cli_prints_the_skipped_file_and_succeeds(tmp_path, capsys):
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    (tmp_path / "raw" / "contracts" / "broken.md").write_bytes(b"\xff\xfe")
    assert build_cli.main(["--data", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "skipped raw/contracts/broken.md: UnicodeDecodeError" in out and "skipped 1," in out


# ---- 4. limits and progress ----------------------------------------------------------------------------------
class HashEmbedder:
    """A fast deterministic stand-in for MiniLM that records its batch sizes."""

    name, dim = "hash", 8

    def __init__(self) -> None:
        self.batches: list[int] = []

    def embed(self, texts: list[str]) -> np.ndarray:
        self.batches.append(len(texts))
        rows = [np.random.default_rng(zlib.crc32(t.encode())).normal(size=self.dim) for t in texts]
        out = np.asarray(rows, dtype=np.float32).reshape(-1, self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True).clip(1e-12)


def test_oversized_markdown_is_skipped_with_its_limit_and_not_indexed(tmp_path, minilm):
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    huge = tmp_path / "raw" / "contracts" / "huge.md"
    line = "## 1. Zebracorn clause\nThe zebracorn supplier delivers weekly.\n"
    huge.write_text("# Huge\n" + line * (MAX_MARKDOWN_BYTES // len(line) + 1))
    with opened(_settings(tmp_path), minilm) as ix:
        report = ix.build()
        [skip] = report.skipped
        assert skip.path == "raw/contracts/huge.md" and "2 MB limit" in skip.reason and "none of it" in skip.reason
        assert all(h.source_file != "huge.md" for h in ix.search_text("zebracorn supplier", k=10))


def test_progress_is_reported_inside_a_file_per_embedding_batch(tmp_path):
    long_md = tmp_path / "raw" / "contracts" / "long.md"
    long_md.parent.mkdir(parents=True)
    long_md.write_text("# Long contract\n" + "".join(f"## {i}. Clause {i}\nTerms {i}.\n" for i in range(1, 601)))
    n = len(file_chunks(long_md))
    seen: list[tuple[float, str]] = []
    emb = HashEmbedder()
    ix = HybridIndex(_settings(tmp_path), QdrantClient(location=":memory:"), emb)  # storage is not under test
    try:
        ix.build(progress=lambda f, m: seen.append((f, m)))
    finally:
        ix.close()
    counts = [m.rsplit(": ", 1)[1] for _, m in seen if m.startswith("embedding raw/contracts/long.md: ")]
    steps = [*range(0, n, UPSERT_BATCH), n]
    assert counts == [f"{i}/{n} chunks" for i in steps]
    assert emb.batches == [b - a for a, b in zip(steps, steps[1:])]  # one embedding call per progress step
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and 0 <= fractions[0] and fractions[-1] == 1.0


# ---- 5. CLIs never print tracebacks --------------------------------------------------------------------------
def _one_error_line(capsys) -> str:
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and err[0].startswith("error: "), err
    return err[0]


def _paths(s: Settings) -> list[str]:
    return ["--data", str(s.data_dir), "--index", str(s.index_path)]


def test_clis_while_another_process_holds_the_index(world, minilm, capsys):
    with opened(world, minilm):  # embedded Qdrant: one client per folder, in this process or another
        assert build_cli.main(_paths(world)) == 2
        assert "in use by another process" in _one_error_line(capsys)
        assert build_cli.main([*_paths(world), "--check"]) == 2
        assert "in use by another process" in _one_error_line(capsys)
        assert search_cli.main([CONTRACT_Q, *_paths(world)]) == 2
        assert "in use by another process" in _one_error_line(capsys)


def test_clis_with_a_damaged_manifest_say_rebuild_and_the_build_heals_it(world, capsys):
    (world.index_path / "manifest.json").write_text('{"cut')
    assert search_cli.main([CONTRACT_Q, *_paths(world)]) == 2
    assert "needs a rebuild: manifest.json" in _one_error_line(capsys)
    assert build_cli.main([*_paths(world), "--check"]) == 1
    assert "needs a rebuild: manifest.json is unreadable" in capsys.readouterr().out
    assert build_cli.main(_paths(world)) == 0
    capsys.readouterr()
    assert search_cli.main([CONTRACT_Q, "--k", "1", "--json", *_paths(world)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["source_file"] == CONTRACT


def test_clis_when_a_folder_is_a_file(tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    shutil.copytree(FIX, tmp_path / "data")
    assert build_cli.main(["--data", str(tmp_path / "data"), "--index", str(a_file)]) == 2
    assert f"cannot use {a_file} as the index folder" in _one_error_line(capsys)
    assert search_cli.main([CONTRACT_Q, "--data", str(tmp_path / "data"), "--index", str(a_file)]) == 2
    assert "as the index folder" in _one_error_line(capsys)
    assert build_cli.main(["--data", str(a_file)]) == 2
    assert "is a file, not a folder" in _one_error_line(capsys)
    assert search_cli.main([CONTRACT_Q, "--data", str(a_file)]) == 2
    assert "as the index folder" in _one_error_line(capsys)
    assert a_file.read_text() == "not a folder"


def test_rag_errors_are_value_errors_and_the_lock_error_a_runtime_error(world, minilm):
    with opened(world, minilm), pytest.raises(RuntimeError) as caught:
        HybridIndex.open(world, minilm)  # callers that caught Qdrant's RuntimeError still do
    assert isinstance(caught.value, RagError) and "in use" in str(caught.value)
