from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from core.catalog.manifest import CANONICAL, MANIFEST_NAME, map_columns, read_manifest
from core.catalog.paths import SkipReason


def _image(path: Path, size: tuple[int, int] = (8, 8)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, "red").save(path)


@pytest.fixture
def assets(tmp_path) -> Path:
    root = tmp_path / "assets"
    _image(root / "instagram" / "avatr12_feed_01.png", (20, 10))
    _image(root / "tiktok" / "avatr12_story_04.png", (9, 16))
    _image(root / "tiktok" / "S07-Reel.JPG", (4, 4))
    _image(root / "misc" / "unknown_thing.webp", (3, 2))
    (root / "meta").mkdir()
    (root / "meta" / "broken.png").write_bytes(b"not an image")
    (root / "notes.txt").write_text("not a creative")
    return root


def _write(root: Path, rows: list[dict]) -> None:
    pd.DataFrame(rows).to_csv(root / MANIFEST_NAME, index=False)


def test_other_teams_columns_are_mapped_by_alias(assets):
    _write(assets, [{"Image Path": "instagram/avatr12_feed_01.png", "description": "A blue Avatr 12",
                     "channel": "meta", "vehicle_model": "AVATR 12", "creative_type": "feed", "budget": 5}])
    got = read_manifest(assets)
    assert got.aliases == {"file": "Image Path", "model": "vehicle_model", "format": "creative_type",
                           "description": "description", "channel": "channel"}
    assert list(got.df.columns[:len(CANONICAL)]) == list(CANONICAL) and "budget" in got.df.columns
    first = got.df.iloc[0]
    assert (first.file, first.model, first.format, first.channel, first.headline) == (
        "instagram/avatr12_feed_01.png", "AVATR 12", "feed", "meta", "")
    assert got.error is None and got.skipped == []


def test_alias_matching_ignores_case_and_separators():
    assert map_columns(["IMAGE-PATH", "Vehicle Model", "creative_type", "Campaign ID", "Size"]) == {
        "file": "IMAGE-PATH", "model": "Vehicle Model", "format": "creative_type", "campaign": "Campaign ID",
        "dimensions": "Size"}
    assert map_columns(["file", "path"]) == {"file": "file"}  # the first alias wins, the other stays extra


def test_images_without_a_row_are_added_from_folder_and_name(assets):
    _write(assets, [{"image_path": "instagram/avatr12_feed_01.png", "vehicle_model": "AVATR 12"},
                    {"image_path": "elsewhere.png", "vehicle_model": "S07"}])  # missing: skipped
    got = read_manifest(assets)
    rows = {r["file"]: r for r in got.df.to_dict("records")}
    assert got.added == ["meta/broken.png", "misc/unknown_thing.webp", "tiktok/S07-Reel.JPG",
                         "tiktok/avatr12_story_04.png"]
    story = rows["tiktok/avatr12_story_04.png"]
    assert (story["channel"], story["model"], story["format"], story["dimensions"]) == (
        "tiktok", "AVATR 12", "story", "9x16")
    reel = rows["tiktok/S07-Reel.JPG"]
    assert (reel["model"], reel["format"], reel["dimensions"]) == ("S07", "reel", "4x4")
    other = rows["misc/unknown_thing.webp"]
    assert (other["channel"], other["model"], other["format"], other["dimensions"]) == ("", "", "", "3x2")
    assert rows["meta/broken.png"]["channel"] == "meta" and rows["meta/broken.png"]["dimensions"] == ""
    assert "notes.txt" not in rows and len(rows) == 5  # the listed image once, not re-added
    assert [(s.name, s.reason) for s in got.skipped] == [("elsewhere.png", SkipReason.MISSING)]


def test_no_manifest_at_all_lists_every_image(assets):
    got = read_manifest(assets)
    assert got.error is None and got.aliases == {} and got.skipped == []
    assert list(got.df.file) == got.added and len(got.added) == 5
    story = got.df[got.df.file == "tiktok/avatr12_story_04.png"].iloc[0]
    assert (story.channel, story.model, story.format) == ("tiktok", "", "story")  # no manifest models to match
    assert read_manifest(assets / "nope").df.columns.tolist() == list(CANONICAL)


def test_rows_outside_missing_or_a_folder_are_skipped_with_reasons(assets, tmp_path):
    _image(tmp_path / "secret.png")
    _write(assets, [{"file": "../secret.png"}, {"file": str(tmp_path / "secret.png")}, {"file": "gone.png"},
                    {"file": "tiktok"}, {"file": None}, {"file": "tiktok/avatr12_story_04.png"}])
    got = read_manifest(assets)
    assert [(s.name, s.reason) for s in got.skipped] == [
        ("../secret.png", SkipReason.OUTSIDE), (str(tmp_path / "secret.png"), SkipReason.OUTSIDE),
        ("gone.png", SkipReason.MISSING), ("tiktok", SkipReason.FOLDER), ("row 6 (no file)", SkipReason.MISSING)]
    assert "../secret.png points outside the data folder" in got.skipped[0].message()
    assert got.df.file.iloc[0] == "tiktok/avatr12_story_04.png" and "secret" not in " ".join(got.df.file)
    kept = read_manifest(assets, keep_missing=True)
    assert {"gone.png", ""} <= set(kept.df.file) and {s.reason for s in kept.skipped} == {
        SkipReason.OUTSIDE, SkipReason.FOLDER}


def test_an_image_linking_out_is_skipped_not_added(assets, tmp_path):
    _image(tmp_path / "secret.png")
    (assets / "misc" / "leak.png").symlink_to(tmp_path / "secret.png")
    got = read_manifest(assets)
    assert "misc/leak.png" not in set(got.df.file)
    assert ("misc/leak.png", SkipReason.OUTSIDE) in [(s.name, s.reason) for s in got.skipped]


def test_a_manifest_linking_out_is_not_read(assets, tmp_path):
    (tmp_path / "other.csv").write_text("file,headline\ntiktok/avatr12_story_04.png,SECRET\n")
    (assets / MANIFEST_NAME).symlink_to(tmp_path / "other.csv")
    got = read_manifest(assets)
    assert got.error and "outside" in got.error and "SECRET" not in " ".join(got.df.headline)
    assert len(got.added) == 5


def test_an_unreadable_manifest_is_an_error_but_images_are_listed(assets):
    (assets / MANIFEST_NAME).write_text("")
    got = read_manifest(assets)
    assert got.error and "empty" in got.error and len(got.df) == 5
