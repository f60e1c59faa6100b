"""One path guard for every reader: nothing whose real path is outside the data folder is listed, indexed,
quoted or shown (symlinks out of raw/, manifest rows naming ../../x.png or an absolute path elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from core.agents import rag_analyst
from core.agents.tools import Toolbox
from core.catalog.inventory import data_files, inventory, skipped_files
from core.catalog.paths import SkipReason, check_file, data_files_inside, resolve_inside
from core.config import Settings
from core.rag.documents import Chunk, ChunkKind, file_chunks, scan_assets, text_sources
from core.rag.types import Hit
from core.viz.gallery import read_gallery

SECRET = "The vault code is Zebra Quartz 7741 and nobody may read it."
SECRET_WORDS = "Zebra Quartz 7741"


@pytest.fixture
def world(tmp_path) -> Path:
    """tmp/data (the data folder) next to tmp/outside (a secret the data folder links to)."""
    data, outside = tmp_path / "data", tmp_path / "outside"
    (data / "raw" / "contracts").mkdir(parents=True)
    (data / "assets" / "meta").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.md").write_text(f"# Secret\n\n## 1. Vault\n{SECRET}\n")
    (outside / "secret.csv").write_text(f"note,spend\n{SECRET},1\n")
    Image.new("RGB", (8, 8), "red").save(outside / "secret.png")
    (data / "raw" / "meta_ads.csv").write_text("date,campaign,spend\n2025-01-06,C1,10.5\n")
    (data / "raw" / "contracts" / "deal.md").write_text("# Deal\n\n## 1. Term\nThe term is one year.\n")
    Image.new("RGB", (8, 8), "blue").save(data / "assets" / "meta" / "ok.png")
    os.symlink(outside / "secret.md", data / "raw" / "contracts" / "leak.md")
    os.symlink(outside / "secret.csv", data / "raw" / "leak.csv")
    os.symlink("/etc/passwd", data / "raw" / "passwd")
    os.symlink(data / "raw" / "meta_ads.csv", data / "raw" / "alias.csv")  # inside → inside: fine
    os.symlink(data / "assets" / "meta" / "ok.png", data / "assets" / "meta" / "alias.png")
    pd.DataFrame({"file": ["meta/ok.png", "meta/alias.png", "../../outside/secret.png",
                           str(outside / "secret.png"), str(data / "assets" / "meta" / "ok.png")],
                  "channel": "meta", "description": ["ok", "alias", "escape", "absolute out", "absolute in"]}
                 ).to_csv(data / "assets" / "asset_manifest.csv", index=False)
    return data


class ChunkIndex:
    """A keyword index over the chunks the documents layer produces (no Qdrant): what an answer could quote."""

    def __init__(self, text: list[Chunk], assets: list[Chunk]) -> None:
        self.text, self.assets = text, assets

    @staticmethod
    def _rank(chunks: list[Chunk], query: str, k: int) -> list[Hit]:
        words = {w.lower() for w in query.split()}
        scored = sorted(chunks, key=lambda c: -len(words & {w.lower().strip(".,") for w in c.text.split()}))
        return [Hit(c.id, 1.0, c.text, c.metadata, c.image_path) for c in scored[:k]]

    def search_text(self, query: str, k: int = 5, category: str | None = None,
                    channel: str | None = None) -> list[Hit]:
        return self._rank(self.text, query, k)

    def search_assets(self, query: str, k: int = 8, channel: str | None = None,
                      model: str | None = None) -> list[Hit]:
        return self._rank(self.assets, query, k)


# ---- the guard itself ------------------------------------------------------------------------------------------
def test_resolve_inside_relative_absolute_and_escapes(world, tmp_path):
    real = world.resolve()
    assert resolve_inside(world, "raw/meta_ads.csv") == real / "raw" / "meta_ads.csv"
    assert resolve_inside(world, world / "raw" / "meta_ads.csv") == real / "raw" / "meta_ads.csv"
    assert resolve_inside(world, "raw/../raw/meta_ads.csv") == real / "raw" / "meta_ads.csv"
    assert resolve_inside(world, "../outside/secret.md") is None
    assert resolve_inside(world, tmp_path / "outside" / "secret.md") is None
    assert resolve_inside(world, "/etc/passwd") is None
    assert resolve_inside(world, "raw/leak.csv") is None  # the link's target decides, not its name
    assert resolve_inside(world, "raw/alias.csv") == real / "raw" / "meta_ads.csv"
    assert resolve_inside(world, "raw/bad\x00name") is None


def test_a_linked_data_folder_and_link_loops(world, tmp_path):
    link = tmp_path / "data_link"
    os.symlink(world, link)
    assert resolve_inside(link, "raw/meta_ads.csv") == world.resolve() / "raw" / "meta_ads.csv"
    os.symlink(world / "raw" / "loop_b", world / "raw" / "loop_a.csv")
    os.symlink(world / "raw" / "loop_a.csv", world / "raw" / "loop_b")
    assert check_file(world, "raw/loop_a.csv") in (SkipReason.BROKEN, SkipReason.MISSING)
    scan = data_files_inside(world)
    assert {s.name for s in scan.skipped} >= {"raw/loop_a.csv", "raw/loop_b"}


def test_check_file_reasons(world):
    assert check_file(world, "raw") is SkipReason.FOLDER
    assert check_file(world, "raw/nope.csv") is SkipReason.MISSING
    assert check_file(world, "raw/passwd") is SkipReason.OUTSIDE
    assert check_file(world, "raw/meta_ads.csv") == (world / "raw" / "meta_ads.csv").resolve()


# ---- inventory ---------------------------------------------------------------------------------------------
def test_symlinks_out_are_not_data_but_reported(world):
    listed = {str(p.relative_to(world)) for p in data_files(world)}
    assert not listed & {"raw/leak.csv", "raw/passwd", "raw/contracts/leak.md"}
    assert {"raw/meta_ads.csv", "raw/alias.csv", "assets/meta/alias.png"} <= listed  # inside links are fine
    inv = inventory(world)
    assert set(inv["file"]) == listed and not inv["file"].str.contains("leak|passwd").any()
    skipped = {s.name: s.message() for s in skipped_files(world)}
    assert skipped == {"raw/leak.csv": "raw/leak.csv points outside the data folder",
                       "raw/passwd": "raw/passwd points outside the data folder",
                       "raw/contracts/leak.md": "raw/contracts/leak.md points outside the data folder"}


def test_a_dangling_link_is_skipped_not_listed(world):
    os.symlink(world / "raw" / "gone.csv", world / "raw" / "dangling.csv")
    assert "raw/dangling.csv" not in {str(p.relative_to(world)) for p in data_files(world)}
    assert any(s.name == "raw/dangling.csv" and s.reason is SkipReason.BROKEN for s in skipped_files(world))


# ---- documents: never indexed ------------------------------------------------------------------------------
def test_text_sources_never_index_a_file_outside(world):
    sources = text_sources(world)
    assert {p.name for p in sources} == {"meta_ads.csv", "alias.csv", "deal.md"}
    chunks = [c for p in sources for c in file_chunks(p)]
    assert chunks and not any(SECRET_WORDS in c.text for c in chunks)


def test_manifest_rows_outside_the_assets_folder_are_skipped(world, tmp_path):
    scan = scan_assets(world / "assets" / "asset_manifest.csv")
    assert [c.metadata["file"] for c in scan.chunks] == ["meta/ok.png", "meta/alias.png",
                                                          str(world / "assets" / "meta" / "ok.png")]
    assert {(s.name, s.reason) for s in scan.skipped} == {
        ("../../outside/secret.png", SkipReason.OUTSIDE), (str(tmp_path / "outside" / "secret.png"), SkipReason.OUTSIDE)}
    assert all(resolve_inside(world, c.image_path or "") for c in scan.chunks)


def test_a_manifest_that_links_out_is_not_read(world, tmp_path):
    outside_manifest = tmp_path / "outside" / "manifest.csv"
    outside_manifest.write_text(f"file,description\nmeta/ok.png,{SECRET}\n")
    (world / "assets" / "asset_manifest.csv").unlink()
    os.symlink(outside_manifest, world / "assets" / "asset_manifest.csv")
    scan = scan_assets(world / "assets" / "asset_manifest.csv")
    assert scan.chunks == [] and scan.skipped[0].reason is SkipReason.OUTSIDE


# ---- gallery -----------------------------------------------------------------------------------------------
def test_gallery_has_no_card_outside_the_assets_folder(world, tmp_path):
    manifest = pd.read_csv(world / "assets" / "asset_manifest.csv")
    g = read_gallery(manifest, world / "assets")
    assert [c.description for c in g.items] == ["ok", "alias", "absolute in"]
    assert all(resolve_inside(world / "assets", c.path) for c in g.items)
    assert {s.name for s in g.skipped} == {"../../outside/secret.png", str(tmp_path / "outside" / "secret.png")}
    assert "points outside the data folder" in g.warning()


# ---- answers: never quoted, never shown ------------------------------------------------------------------
def _index(world: Path) -> ChunkIndex:
    text = [c for p in text_sources(world) for c in file_chunks(p)]
    return ChunkIndex(text, scan_assets(world / "assets" / "asset_manifest.csv").chunks)


def _toolbox(world: Path, index: ChunkIndex | None = None) -> Toolbox:
    return Toolbox(Settings(data_dir=world), index=index or _index(world))


def test_the_secret_behind_a_symlink_is_not_quoted(world):
    draft = rag_analyst.answer("what is the vault code Zebra Quartz", _toolbox(world))
    assert SECRET_WORDS not in draft.text and not any(SECRET_WORDS in s.snippet for s in draft.sources)


def test_answer_images_stay_inside_the_data_folder(world, tmp_path):
    """An index built before the guard (or elsewhere) may still hold a hit pointing outside: it is not shown."""
    evil = str(tmp_path / "outside" / "secret.png")
    index = _index(world)
    index.assets.insert(0, Chunk("x", "file: evil.png; description: meta creatives", ChunkKind.ASSET,
                                 {"source_file": "evil.png", "kind": "asset"}, evil))
    tools = _toolbox(world, index)
    draft = rag_analyst.answer("show me meta creatives", tools)
    retrieved = [h.image_path for call in tools.calls for h in call.result]
    assert evil in retrieved  # the search did return it ...
    assert draft.images and evil not in draft.images  # ... and the answer does not carry it
    assert all(resolve_inside(world, p) for p in draft.images)


def test_images_inside_filters_outside_and_relative_escapes(world, tmp_path):
    inside = str(world / "assets" / "meta" / "ok.png")
    got = rag_analyst.images_inside([inside, None, "assets/meta/ok.png", "../outside/secret.png",
                                     str(tmp_path / "outside" / "secret.png"), "/etc/passwd"], world)
    assert got == [inside, "assets/meta/ok.png"]
