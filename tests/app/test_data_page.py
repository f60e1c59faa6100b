"""Data page in AppTest: inventory, validation results with reasons, a file's profile."""

from __future__ import annotations

from tests.app.conftest import open_app

PAGE = "pages/data.py"


def test_inventory_lists_the_files(app_env):
    at = open_app(PAGE)
    inv = at.dataframe[0].value
    assert "raw/meta_ads.csv" in set(inv.file) and "raw/contracts/itv_airtime_agreement.md" in set(inv.file)


def test_validation_shows_pass_and_fail_with_reasons(app_env):
    bad = app_env / "raw" / "broken.csv"
    bad.write_bytes(b"")
    try:
        at = open_app(PAGE)
        at.button(key="run_validation").click().run()
        assert not at.exception
        table = next(df.value for df in at.dataframe if "check" in df.value.columns)
        row = table[table.check == "raw/broken.csv"].iloc[0]
        assert row[""] == "❌" and "empty" in row.detail
        assert (table[""] == "✅").any()
        assert any("checks passed" in e.value for e in at.error)
    finally:
        bad.unlink()


def test_explore_a_file_shows_its_profile(app_env):
    at = open_app(PAGE)
    at.selectbox(key="explore_file").set_value("raw/meta_ads.csv").run()
    assert not at.exception
    profiles = [df.value for df in at.dataframe if "null_pct" in df.value.columns]
    assert profiles and "spend" in set(profiles[0].column)


def test_a_link_out_of_the_data_folder_is_named_not_read(tmp_path, monkeypatch):
    from tests.app.conftest import app_pointed_at, build_index, make_world

    data = make_world(tmp_path / "world")
    secret = tmp_path / "partner_contract.md"
    secret.write_text("# Partner terms\n\nThe secret rebate is 37%.\n")
    (data / "raw" / "contracts" / "leak.md").symlink_to(secret)
    build_index(data)
    with app_pointed_at(data, monkeypatch):
        at = open_app(PAGE)
        assert any("leak.md points outside the data folder" in w.value for w in at.warning)
        shown = " ".join(str(df.value.to_dict()) for df in at.dataframe)
        assert "leak.md" not in shown and "secret rebate" not in shown
