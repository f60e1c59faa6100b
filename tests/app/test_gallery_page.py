from tests.app.conftest import open_app

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
