import shutil
from pathlib import Path

import bm25s
import pytest

from core.config import Settings
from core.rag.index import HybridIndex
from core.rag.types import EmptyQueryError, IndexMissingError, UnknownCategoryError

FIX = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    shutil.copytree(FIX, data, dirs_exist_ok=True)
    ix = HybridIndex.open(Settings(data_dir=data, index_dir=data / "index"))
    ix.build()
    yield ix, data
    ix.close()


def test_search_finds_contract_clause(built):
    ix, _ = built
    hits = ix.search_text("how much notice to cancel ITV bookings", k=3)
    assert hits[0].source_file == "itv_airtime_agreement.md"
    assert hits[0].section == "Cancellation"


def test_category_and_channel_filters(built):
    ix, _ = built
    assert {h.metadata["category"] for h in ix.search_text("spend", k=10, category="traditional_media")} == {"traditional_media"}
    assert {h.metadata["channel"] for h in ix.search_text("spend", k=10, channel="meta")} == {"meta"}


def test_asset_search_returns_images_and_filters(built):
    ix, _ = built
    hits = ix.search_assets("family loading bikes into an estate car", k=2)
    assert hits[0].source_file == "voyager_family.png" and Path(hits[0].image_path).exists()
    assert {h.metadata["model"] for h in ix.search_assets("car", model="Aurora")} == {"Aurora"}


def test_hybrid_fuses_row_hits_only_when_lexical_match(built):
    ix, _ = built
    hits = ix.search_text("Northgate Motors", k=5)
    assert any(h.rows for h in hits)  # bm25s row chunk made it in
    nonsense = ix._bm25_hits("zzzqqq", 5, lambda m: True)
    assert nonsense == []  # zero-score lexical hits never enter fusion


def test_errors(built):
    ix, _ = built
    with pytest.raises(EmptyQueryError):
        ix.search_text("   ")
    with pytest.raises(UnknownCategoryError, match="digital_media"):
        ix.search_text("spend", category="nope")


def test_missing_index_error(tmp_path):
    ix = HybridIndex.open(Settings(data_dir=tmp_path, index_dir=tmp_path / "index"))
    try:
        with pytest.raises(IndexMissingError, match="core.rag.build"):
            ix.search_text("spend")
        assert not ix.status().built
    finally:
        ix.close()


def test_incremental_rebuild(tmp_path):
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    ix = HybridIndex.open(Settings(data_dir=tmp_path, index_dir=tmp_path / "index"))
    try:
        first = ix.build()
        ids_before = {h.id for h in ix.search_text("ITV cancellation", k=3)}
        again = ix.build()
        assert again.embedded_files == [] and len(again.unchanged_files) == len(first.embedded_files)
        leads = tmp_path / "raw" / "leads.csv"
        leads.write_text(leads.read_text() + "2024-03-04,Eastfield Autos,East,20,5\n")
        assert ix.status().stale == ["raw/leads.csv"]
        third = ix.build()
        assert third.embedded_files == ["raw/leads.csv"]
        assert any("Eastfield" in h.text for h in ix.search_text("Eastfield Autos", k=5))
        (tmp_path / "raw" / "tv_performance.csv").unlink()
        fourth = ix.build()
        assert fourth.removed_files == ["raw/tv_performance.csv"]
        assert all(h.source_file != "tv_performance.csv" for h in ix.search_text("ITV peak grps", k=10))
        assert {h.id for h in ix.search_text("ITV cancellation", k=3)} & ids_before  # ids survive rebuilds
    finally:
        ix.close()


QUERY = "Northgate Motors"


@pytest.fixture
def bm25_calls(saved_bm25, monkeypatch):
    """Counts, from after saved_bm25's build, of bm25s builds (HybridIndex._build_bm25 and the BM25.index it
    runs) and of the folders BM25.load read."""
    calls = {"build": 0, "index": 0, "load": []}
    real_build, real_index, real_load = HybridIndex._build_bm25, bm25s.BM25.index, bm25s.BM25.load

    def build(self, manifest):
        calls["build"] += 1
        return real_build(self, manifest)

    def index(self, *args, **kwargs):
        calls["index"] += 1
        return real_index(self, *args, **kwargs)

    def load(cls, folder, *args, **kwargs):
        calls["load"].append(folder)
        return real_load(folder, *args, **kwargs)

    monkeypatch.setattr(HybridIndex, "_build_bm25", build)
    monkeypatch.setattr(bm25s.BM25, "index", index)
    monkeypatch.setattr(bm25s.BM25, "load", classmethod(load))
    return calls


def _row_hits(settings: Settings, query: str = QUERY, text: bool = False) -> list[str]:
    """Reopen the index, search (which loads or rebuilds bm25s), and return the bm25s row-chunk hit ids (or texts)."""
    ix = HybridIndex.open(settings)
    try:
        ix.search_text(query, k=5, mode="bm25")
        return [h.text if text else h.id for h in ix._bm25_hits(query, 5, lambda m: True)]
    finally:
        ix.close()


@pytest.fixture
def saved_bm25(tmp_path):
    """A freshly built index folder (closed) and the bm25s row hits the build itself produced."""
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    settings = Settings(data_dir=tmp_path, index_dir=tmp_path / "index")
    ix = HybridIndex.open(settings)
    try:
        ix.build()
        hits = [h.id for h in ix._bm25_hits(QUERY, 5, lambda m: True)]
    finally:
        ix.close()
    assert hits, "the fixture data must give bm25s row hits for the query"
    assert (settings.bm25_path / "rows.json").exists()
    return settings, hits


def test_bm25_reopen_loads_the_saved_index_without_rebuilding(saved_bm25, bm25_calls):
    settings, built_hits = saved_bm25
    assert _row_hits(settings) == built_hits
    assert bm25_calls["build"] == 0 and bm25_calls["index"] == 0  # nothing was re-indexed
    assert bm25_calls["load"] == [str(settings.bm25_path)]  # the saved files were read instead


@pytest.mark.parametrize("spoil", ["stale key", "folder removed"])
def test_bm25_stale_or_missing_save_is_rebuilt_once_and_saved_again(saved_bm25, bm25_calls, spoil):
    settings, built_hits = saved_bm25
    if spoil == "stale key":
        (settings.bm25_path / "rows.json").write_text('"stale"')  # saved from other rows: not trusted
    else:
        shutil.rmtree(settings.bm25_path)
    assert _row_hits(settings) == built_hits
    assert bm25_calls["build"] == 1 and bm25_calls["index"] == 1
    if spoil == "stale key":
        assert bm25_calls["load"] == []  # files saved from other rows are never loaded
    assert (settings.bm25_path / "rows.json").exists()
    bm25_calls["load"].clear()
    assert _row_hits(settings) == built_hits  # the rebuild was saved: the next open loads it
    assert bm25_calls["build"] == 1 and bm25_calls["load"] == [str(settings.bm25_path)]


def test_bm25_saved_from_older_rows_is_rebuilt_with_the_new_rows(saved_bm25, bm25_calls, tmp_path_factory):
    settings, _ = saved_bm25
    old_save = tmp_path_factory.mktemp("old") / "bm25"  # outside the data folder
    shutil.copytree(settings.bm25_path, old_save)
    leads = settings.data_dir / "raw" / "leads.csv"
    leads.write_text(leads.read_text() + "2024-03-04,Eastfield Autos,East,20,5\n")
    ix = HybridIndex.open(settings)
    try:
        ix.build()
    finally:
        ix.close()
    shutil.rmtree(settings.bm25_path)
    shutil.copytree(old_save, settings.bm25_path)  # a save that predates the new row
    bm25_calls.update(build=0, index=0, load=[])
    texts = _row_hits(settings, "Eastfield Autos", text=True)
    assert bm25_calls["build"] == 1 and bm25_calls["load"] == []
    assert any("Eastfield" in t for t in texts)  # the new row is found, so the old save was not used
