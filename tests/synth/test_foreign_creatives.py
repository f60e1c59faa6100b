"""The foreign world's creatives: the agency's folders, manifest columns and unlisted images are all found by the
catalog's manifest reader, indexed one chunk each with their image, and shown as gallery cards."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from core.catalog.loading import load_csv
from core.catalog.manifest import channel_key, read_manifest
from core.domain import CHANNEL_KEYS
from core.rag.documents import scan_assets
from core.synth.creatives import plan
from core.synth.foreign.assets import ASSETS, MANIFEST, UNLISTED, handovers
from core.synth.foreign.generate import write_creatives
from core.synth.world import _streams
from core.viz.gallery import read_gallery

SEED = 42


@pytest.fixture(scope="module")
def items():
    return handovers(_streams(SEED)["creatives"])


@pytest.fixture(scope="module")
def assets(tmp_path_factory, items) -> Path:
    """The foreign world's assets folder alone (the images and the agency's manifest)."""
    folder = tmp_path_factory.mktemp("foreign_assets") / ASSETS
    write_creatives(folder, items)
    return folder


def test_the_same_creatives_as_the_default_world_in_the_agencys_folders(items, assets):
    default = plan(_streams(SEED)["creatives"])
    assert [h.creative for h in items] == default
    images = sorted(p.relative_to(assets).as_posix() for p in assets.rglob("*.png"))
    assert images == sorted(h.rel for h in items) and len(images) == len(CHANNEL_KEYS) * 5
    assert len({Path(p).name for p in images}) == len(images)  # file names alone tell creatives apart
    assert not {Path(h.creative.file).parts[0] for h in items} & {Path(h.rel).parts[0] for h in items}


def test_the_manifest_uses_the_agencys_columns_and_leaves_some_images_out(items, assets):
    table = load_csv(assets / MANIFEST).df
    assert list(table.columns[:5]) == ["image_path", "description", "channel", "vehicle_model", "creative_type"]
    unlisted = [h for h in items if not h.listed]
    assert len(unlisted) == len(UNLISTED) >= 5
    assert set(table["image_path"]) == {h.rel for h in items if h.listed}


def test_every_creative_listed_or_not_is_read_with_its_channel_model_and_format(items, assets):
    read = read_manifest(assets)
    assert read.error is None and not read.skipped
    rows = read.df.set_index("file")
    assert set(rows.index) == {h.rel for h in items}
    assert sorted(read.added) == sorted(h.rel for h in items if not h.listed)
    for h in items:
        row = rows.loc[h.rel]
        fmt = h.creative.format
        assert (row["channel"], row["model"], row["format"].lower()) == (h.creative.channel, h.creative.model,
                                                                         fmt.lower()), h.rel
        with Image.open(assets / h.rel) as img:
            assert row["dimensions"] == f"{img.width}x{img.height}"
    listed = rows.loc[[h.rel for h in items if h.listed]]
    assert listed["description"].str.len().min() > 40 and listed["headline"].ne("").all()


def test_every_creative_is_indexed_with_its_image_and_shown_in_the_gallery(items, assets):
    scan = scan_assets(assets / MANIFEST)
    assert not scan.skipped and len(scan.chunks) == len(items)
    assert all(c.image_path and Path(c.image_path).is_file() for c in scan.chunks)
    assert {c.metadata["channel"] for c in scan.chunks} == set(CHANNEL_KEYS)
    gallery = read_gallery(load_csv(assets / MANIFEST).df, assets)
    assert sorted(c.file for c in gallery.items) == sorted(h.rel for h in items) and not gallery.skipped


@pytest.mark.parametrize(("text", "key"), [
    ("Paid Search", "google"), ("Facebook/Instagram", "meta"), ("Out of Home", "ooh"), ("Programmatic", "dv360"),
    ("Press", "print"), ("Radio & Podcast", "radio"), ("Meta - Facebook & Instagram", "meta"), ("tv", "tv"),
    ("Meta & TikTok", ""), ("Brand", ""),
])
def test_a_channel_in_a_teams_words_reads_as_its_key(text, key):
    assert channel_key(text) == key


def test_a_manifest_channel_naming_no_known_channel_is_kept_as_written(tmp_path):
    (tmp_path / "x.png").write_bytes(b"")
    pd.DataFrame({"image_path": ["x.png"], "channel": ["Brand partnerships"]}).to_csv(tmp_path / MANIFEST, index=False)
    assert read_manifest(tmp_path).df["channel"].tolist() == ["Brand partnerships"]
