import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.app.conftest import open_app
from tests.faults.test_images import bomb_png, truncated_png

PAGE = "pages/gallery.py"


def _cards(at):
    return [m.value.strip("*") for m in at.main.markdown if m.value.startswith("**")]


def test_gallery_shows_every_creative(app_env):
    at = open_app(PAGE)
    assert sorted(_cards(at)) == ["Drive into the sunset", "Room for everyone"]


def test_format_filter_narrows_the_grid(app_env):
    at = open_app(PAGE)
    at.multiselect(key="gal_format").set_value(["story"]).run()
    assert _cards(at) == ["Room for everyone"]
    at.multiselect(key="gal_model").set_value(["Aurora"]).run()  # story ∧ Aurora: nothing
    assert _cards(at) == [] and any("No creative matches" in i.value for i in at.info)


def test_text_search_ranks_the_described_creative_first(app_env):
    at = open_app(PAGE)
    at.text_input(key="gal_query").set_value("family loading bikes into an estate").run()
    assert not at.exception and _cards(at)[0] == "Room for everyone"


def test_view_opens_details(app_env):
    at = open_app(PAGE)
    at.button(key="view_meta/voyager_family.png").click().run()
    assert not at.exception and at.subheader[0].value == "Room for everyone"
    assert "family loading bikes" in " ".join(m.value for m in at.markdown)


def test_missing_manifest_is_an_empty_state(app_env, tmp_path, monkeypatch):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "notes.md").write_text("# Notes\n\nNothing here.\n")
    monkeypatch.setenv("MIP_DATA_DIR", str(tmp_path))
    at = open_app(PAGE)
    assert any("No creatives yet" in i.value for i in at.info)


def test_large_manifests_page_with_show_more(app_env):
    at = open_app(PAGE)
    at.session_state["gal_limit"] = 1
    at.run()
    assert len(_cards(at)) == 1
    at.button(key="gal_more").click().run()
    assert len(_cards(at)) == 2 and not [b for b in at.button if b.key == "gal_more"]


# ---- faults: bad files in the manifest never crash the gallery ---------------------------------------------
BAD_ROWS = [  # (file, headline): a card with a placeholder for the first three, no card for the last two
    ("meta/truncated.png", "Half a picture"),
    ("meta/bomb.png", "Twenty thousand squared"),
    ("meta/notes.png", "Text in disguise"),
    ("meta/folder.png", "A folder"),
    ("../../outside/secret.png", "Escape"),
]


def _faulty_world(app_data: Path, dest: Path) -> Path:
    """A copy of the session world (index included, so nothing is rebuilt) with bad rows in its manifest."""
    data = dest / "data"
    shutil.copytree(app_data, data)
    meta = data / "assets" / "meta"
    (meta / "truncated.png").write_bytes(truncated_png())
    (meta / "bomb.png").write_bytes(bomb_png())
    (meta / "notes.png").write_text("meeting notes, not an image\n")
    (meta / "folder.png").mkdir()
    (dest / "outside").mkdir()
    (dest / "outside" / "secret.png").write_bytes((meta / "aurora_sunset.png").read_bytes())
    manifest = data / "assets" / "asset_manifest.csv"
    rows = pd.DataFrame([{"file": f, "channel": "meta", "format": "feed", "headline": h,
                          "description": "see ![px](http://host/pixel.png)"} for f, h in BAD_ROWS])
    pd.concat([pd.read_csv(manifest), rows]).to_csv(manifest, index=False)
    return data


@pytest.fixture
def faulty_env(app_env, tmp_path, monkeypatch) -> Path:
    data = _faulty_world(app_env, tmp_path)
    monkeypatch.setenv("MIP_DATA_DIR", str(data))
    return data


def _texts(at) -> list[str]:
    return [str(e.value) for kind in ("markdown", "caption", "warning", "info", "error", "subheader")
            for e in at.get(kind)]


def test_bad_images_become_placeholders(faulty_env):
    at = open_app(PAGE)
    assert sorted(_cards(at)) == ["Drive into the sunset", "Half a picture", "Room for everyone",
                                  "Text in disguise", "Twenty thousand squared"]
    warnings = " | ".join(w.value for w in at.warning)
    assert "meta/truncated.png is damaged or truncated" in warnings
    assert "meta/bomb.png is too large to open safely" in warnings
    assert "meta/notes.png is not an image" in warnings
    assert "2 manifest rows skipped" in warnings and "meta/folder.png is a folder" in warnings
    assert "../../outside/secret.png points outside the data folder" in warnings
    assert sum(len(img.proto.imgs) for img in at.get("image")) == 2  # only the two good creatives are drawn
    assert not any("http://host" in t for t in _texts(at))


def test_large_view_of_a_bomb_shows_a_placeholder(faulty_env):
    at = open_app(PAGE)
    at.button(key="view_meta/bomb.png").click().run()
    assert not at.exception and at.subheader[0].value == "Twenty thousand squared"
    assert any("meta/bomb.png is too large" in w.value for w in at.warning)


def test_images_without_a_manifest_still_make_cards(app_data, tmp_path, monkeypatch):
    from tests.app.conftest import app_pointed_at, build_index

    data = tmp_path / "no_manifest"
    shutil.copytree(app_data / "raw", data / "raw")
    shutil.copytree(app_data / "assets", data / "assets")
    (data / "assets" / "asset_manifest.csv").unlink()  # another team's folder: images, no manifest
    build_index(data)
    with app_pointed_at(data, monkeypatch):
        at = open_app(PAGE)
        assert not at.exception and not at.info
        images = sorted(p.relative_to(data / "assets").as_posix() for p in (data / "assets").rglob("*.png"))
        assert images and len(at.get("button")) >= len(images)  # a View button per card
