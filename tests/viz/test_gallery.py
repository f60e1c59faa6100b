from pathlib import Path

import pandas as pd
import pytest

from core.catalog.paths import SkipReason
from core.viz.gallery import (
    ManifestError,
    creatives,
    facets,
    filter_creatives,
    order_by_hits,
    read_gallery,
)

MANIFEST = pd.DataFrame({
    "file": ["meta/a.png", "meta/b.png", "tiktok/c.png", "tv/d.png"],
    "channel": ["meta", "meta", "tiktok", "tv"],
    "model": ["S07", "AVATR 12", "S07", None],
    "format": ["feed", "story", "story", "spot"],
    "headline": ["A", "B", "C", "D"],
})


@pytest.fixture
def assets(tmp_path) -> Path:
    """An assets folder holding every file MANIFEST names (contents do not matter to the gallery)."""
    root = tmp_path / "assets"
    for name in MANIFEST["file"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"png")
    return root


def test_cards_resolve_paths_and_blank_missing_columns(assets):
    items = creatives(MANIFEST, assets)
    assert [c.path for c in items][0] == assets / "meta" / "a.png"
    assert items[3].model == "" and items[0].description == ""


def test_filters_against_brute_force(assets):
    items = creatives(MANIFEST, assets)
    f = facets(items)
    assert f.channels == ["meta", "tiktok", "tv"] and f.models == ["AVATR 12", "S07"]
    for ch in ([], ["meta"], ["tiktok", "tv"]):
        for fmt in ([], ["story"]):
            got = filter_creatives(items, channels=ch, formats=fmt)
            want = [c for c in items if (not ch or c.channel in ch) and (not fmt or c.format in fmt)]
            assert got == want


def test_hit_order_kept_and_unknown_dropped(assets):
    items = creatives(MANIFEST, assets)
    got = order_by_hits(items, ["tiktok/c.png", "nope.png", "meta/a.png", "tiktok/c.png"])
    assert [c.file for c in got] == ["tiktok/c.png", "meta/a.png"]


def test_missing_and_folder_rows_are_skipped_with_reasons(assets):
    (assets / "tv" / "d.png").unlink()
    (assets / "meta" / "folder.png").mkdir()
    rows = pd.concat([MANIFEST, pd.DataFrame({"file": ["meta/folder.png", "meta/a.png"]})], ignore_index=True)
    g = read_gallery(rows, assets)
    assert [c.file for c in g.items] == ["meta/a.png", "meta/b.png", "tiktok/c.png"]  # the repeat is one card
    assert {(s.name, s.reason) for s in g.skipped} == {("tv/d.png", SkipReason.MISSING),
                                                      ("meta/folder.png", SkipReason.FOLDER)}
    assert g.warning().startswith("2 manifest rows skipped") and "tv/d.png is missing" in g.warning()


def test_card_text_has_no_remote_images(assets):
    rows = MANIFEST.assign(description=["see ![px](http://host/p.png)", "", "", ""])
    item = creatives(rows, assets)[0]
    assert "http://host" not in item.description and "[image removed: px]" in item.description


def test_manifest_without_file_column_is_a_clear_error():
    with pytest.raises(ManifestError, match="'file'"):
        creatives(pd.DataFrame({"x": [1]}), Path("/a"))
