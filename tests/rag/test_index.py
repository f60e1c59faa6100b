import shutil
from pathlib import Path

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


def test_bm25_index_is_persisted_and_reloaded(tmp_path):
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    settings = Settings(data_dir=tmp_path, index_dir=tmp_path / "index")
    ix = HybridIndex.open(settings)
    ix.build()
    before = [h.id for h in ix.search_text("DLR001 Voyager", k=5, mode="bm25")]
    ix.close()
    assert (settings.bm25_path / "rows.json").exists()
    (settings.bm25_path / "rows.json").write_text('"stale"')  # a mismatched save is rebuilt, not trusted
    ix = HybridIndex.open(settings)
    try:
        assert [h.id for h in ix.search_text("DLR001 Voyager", k=5, mode="bm25")] == before and before
    finally:
        ix.close()
    ix = HybridIndex.open(settings)  # the rebuilt index was saved again and now loads as is
    try:
        assert [h.id for h in ix.search_text("DLR001 Voyager", k=5, mode="bm25")] == before
    finally:
        ix.close()
