from pathlib import Path

import pandas as pd
import pytest

from core.viz.gallery import (
    ManifestError,
    creatives,
    facets,
    filter_creatives,
    order_by_hits,
)

MANIFEST = pd.DataFrame({
    "file": ["meta/a.png", "meta/b.png", "tiktok/c.png", "tv/d.png"],
    "channel": ["meta", "meta", "tiktok", "tv"],
    "model": ["S07", "AVATR 12", "S07", None],
    "format": ["feed", "story", "story", "spot"],
    "headline": ["A", "B", "C", "D"],
})


def test_cards_resolve_paths_and_blank_missing_columns():
    items = creatives(MANIFEST, Path("/assets"))
    assert [c.path for c in items][0] == Path("/assets/meta/a.png")
    assert items[3].model == "" and items[0].description == ""


def test_filters_against_brute_force():
    items = creatives(MANIFEST, Path("/a"))
    f = facets(items)
    assert f.channels == ["meta", "tiktok", "tv"] and f.models == ["AVATR 12", "S07"]
    for ch in ([], ["meta"], ["tiktok", "tv"]):
        for fmt in ([], ["story"]):
            got = filter_creatives(items, channels=ch, formats=fmt)
            want = [c for c in items if (not ch or c.channel in ch) and (not fmt or c.format in fmt)]
            assert got == want


def test_hit_order_kept_and_unknown_dropped():
    items = creatives(MANIFEST, Path("/a"))
    got = order_by_hits(items, ["tiktok/c.png", "nope.png", "meta/a.png", "tiktok/c.png"])
    assert [c.file for c in got] == ["tiktok/c.png", "meta/a.png"]


def test_manifest_without_file_column_is_a_clear_error():
    with pytest.raises(ManifestError, match="'file'"):
        creatives(pd.DataFrame({"x": [1]}), Path("/a"))
