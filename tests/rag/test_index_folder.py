"""The index belongs to its data folder: stored paths are data-relative, and a copied, moved or borrowed index
says it was built for another folder until it is rebuilt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from qdrant_client import models

from core.config import Settings
from core.rag.embedder import LocalMiniLM
from core.rag.index import HybridIndex
from core.rag.store import FOLDER_ID_FILE, MANIFEST_FORMAT

FIX = Path(__file__).parent / "fixtures"
ASSET_Q = "family loading bikes into an estate car"


def _settings(data: Path) -> Settings:
    return Settings(data_dir=data, index_dir=data / "index")


@pytest.fixture(scope="module")
def minilm() -> LocalMiniLM:
    return LocalMiniLM()


@pytest.fixture(scope="module")
def template(tmp_path_factory, minilm) -> Path:
    """The fixture files with their index built and closed: copy it, never change it."""
    data = tmp_path_factory.mktemp("template") / "data"
    shutil.copytree(FIX, data)
    ix = HybridIndex.open(_settings(data), minilm)
    try:
        ix.build()
    finally:
        ix.close()
    return data


def _open(data: Path, minilm: LocalMiniLM, index_dir: Path | None = None) -> HybridIndex:
    return HybridIndex.open(Settings(data_dir=data, index_dir=index_dir or data / "index"), minilm)


def test_manifest_records_its_folder_and_stores_only_relative_paths(template, minilm):
    manifest = json.loads((template / "index" / "manifest.json").read_text())
    assert manifest["format"] == MANIFEST_FORMAT and manifest["built_for"] == str(template.resolve())
    assert manifest["folder_id"] == (template / "index" / FOLDER_ID_FILE).read_text().strip()
    assert manifest["files"] and all(not Path(k).is_absolute() for k in manifest["files"])
    assert str(template) not in json.dumps(manifest["files"]) and str(template.resolve()) not in json.dumps(
        manifest["files"])
    ix = _open(template, minilm)
    try:
        points, _ = ix.client.scroll(ix.asset_col, limit=100, with_payload=True)
        images = [p.payload["image_path"] for p in points if p.payload and p.payload.get("image_path")]
        assert images and all(not Path(i).is_absolute() for i in images)  # stored data-relative
        assert all(str(template.resolve()) not in json.dumps(p.payload) for p in points)
        texts, _ = ix.client.scroll(ix.text_col, limit=1000, with_payload=True)
        assert all(str(template.resolve()) not in json.dumps(p.payload) for p in texts)
        hit = ix.search_assets(ASSET_Q, k=1)[0]
        assert Path(hit.image_path).is_relative_to(template.absolute()) and Path(hit.image_path).exists()
        assert ix.status().built and ix.status().problems == []
    finally:
        ix.close()


def test_copied_folder_is_stale_until_rebuilt_and_then_points_into_the_copy(template, minilm, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(template, copy)
    ix = _open(copy, minilm)
    try:
        st = ix.status()
        assert not st.built
        assert st.problems == [f"the index was built for {template.resolve()}; this is {copy.resolve()} — rebuild"]
        report = ix.build()
        assert report.embedded_files == []  # same bytes: nothing re-embedded, the manifest re-stamped
        st = ix.status()
        assert st.built and st.problems == [] and st.stale == [] and st.missing == []
        hit = ix.search_assets(ASSET_Q, k=1)[0]
        assert hit.source_file == "voyager_family.png"
        assert Path(hit.image_path) == copy.absolute() / "assets" / "meta" / "voyager_family.png"
        assert Path(hit.image_path).exists()
        for h in ix.search_text("how much notice to cancel ITV bookings", k=5):
            assert h.image_path is None or Path(h.image_path).is_relative_to(copy.absolute())
    finally:
        ix.close()
    manifest = json.loads((copy / "index" / "manifest.json").read_text())
    assert manifest["built_for"] == str(copy.resolve())


def test_moved_folder_is_stale(template, minilm, tmp_path):
    moved = tmp_path / "moved"
    shutil.copytree(template, tmp_path / "before")
    (tmp_path / "before").rename(moved)
    ix = _open(moved, minilm)
    try:
        st = ix.status()
        assert not st.built and "built for" in st.problems[0] and str(moved.resolve()) in st.problems[0]
    finally:
        ix.close()


def test_index_dir_pointing_at_another_folders_index_is_stale_and_rebuilds_for_this_one(template, minilm, tmp_path):
    other, index = tmp_path / "other", tmp_path / "index"
    shutil.copytree(FIX, other)
    (other / "raw" / "tv_performance.csv").unlink()
    shutil.copytree(template / "index", index)
    ix = _open(other, minilm, index)
    try:
        st = ix.status()
        assert not st.built and st.problems == [
            f"the index was built for {template.resolve()}; this is {other.resolve()} — rebuild"]
        report = ix.build()
        assert report.removed_files == ["raw/tv_performance.csv"]
        assert ix.status().built and ix.status().problems == []
        assert all(h.source_file != "tv_performance.csv" for h in ix.search_text("ITV peak grps", k=10))
    finally:
        ix.close()


def test_manifest_of_another_index_folder_is_stale(template, minilm, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(template, copy)
    (copy / "index" / FOLDER_ID_FILE).write_text("someone-else")
    manifest = copy / "index" / "manifest.json"
    manifest.write_text(manifest.read_text().replace(str(template.resolve()), str(copy.resolve())))
    ix = _open(copy, minilm)
    try:
        st = ix.status()
        assert not st.built and "folder-id differs" in st.problems[0] and "rebuild" in st.problems[0]
        ix.build()
        assert ix.status().built and ix.status().problems == []
    finally:
        ix.close()


def test_old_format_manifest_asks_for_a_rebuild_never_crashes(template, minilm, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(template, copy)
    manifest = copy / "index" / "manifest.json"
    files = json.loads(manifest.read_text())["files"]
    manifest.write_text(json.dumps(files))  # format 1: the bare files dict, with no folder recorded
    ix = _open(copy, minilm)
    try:
        st = ix.status()
        assert not st.built and len(st.problems) == 1 and "older index format" in st.problems[0]
        report = ix.build()  # untrusted: everything re-embedded, stale absolute payloads dropped
        assert "raw/contracts/itv_airtime_agreement.md" in report.embedded_files and report.unchanged_files == []
        assert ix.status().built and ix.status().problems == []
        assert Path(ix.search_assets(ASSET_Q, k=1)[0].image_path).is_relative_to(copy.absolute())
    finally:
        ix.close()


def test_absolute_image_path_outside_the_data_folder_is_kept_as_stored(template, minilm, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(template, copy)
    ix = _open(copy, minilm)
    try:
        ix.build()
        point = ix.client.scroll(ix.asset_col, limit=1, with_payload=True)[0][0]
        ix.client.set_payload(ix.asset_col, payload={"image_path": "/elsewhere/x.png"},
                              points=models.PointIdsList(points=[point.id]))
        hits = ix.search_assets("car", k=10)
        assert "/elsewhere/x.png" in {h.image_path for h in hits}
    finally:
        ix.close()
