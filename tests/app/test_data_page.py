"""Data page in AppTest: inventory, validation results (pass / warn / fail) with reasons, a file's profile, the MMM
mapping editor, and documents through the upload door."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from tests.app.conftest import app_pointed_at, build_index, make_world, open_app
from tests.fakes import docx_bytes
from tests.rag.test_readers import pdf_bytes

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
        assert any(" failed (" in e.value for e in at.error)  # "N passed · N warnings · N failed (N checks)"
    finally:
        bad.unlink()


def test_explore_a_file_shows_its_profile(app_env):
    at = open_app(PAGE)
    at.selectbox(key="explore_file").set_value("raw/meta_ads.csv").run()
    assert not at.exception
    profiles = [df.value for df in at.dataframe if "null_pct" in df.value.columns]
    assert profiles and "spend" in set(profiles[0].column)


def test_a_link_out_of_the_data_folder_is_named_not_read(tmp_path, monkeypatch):
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


# --- the analyst's own folder: generic checks, the MMM mapping editor, documents through the upload door -------------

# A radio export with one row repeated exactly and one negative spend.
RADIO = ("week_start,station,spend\n2024-01-01,Heart,500\n2024-01-08,Heart,-20\n2024-01-15,Heart,450\n"
         "2024-01-15,Heart,450\n2024-01-22,Heart,400\n")


@pytest.fixture(scope="module")
def own_folder(tmp_path_factory) -> Path:
    """The analyst's own folder (the fixture exports and a radio export): no generator stamp, its index built once.
    Each test puts back what it changes."""
    data = make_world(tmp_path_factory.mktemp("own"))
    (data / "raw" / "radio_bookings.csv").write_text(RADIO)
    build_index(data)
    return data


def _validate(data: Path, monkeypatch) -> tuple[object, pd.DataFrame]:
    with app_pointed_at(data, monkeypatch):
        at = open_app(PAGE)
        at.button(key="run_validation").click().run()
        assert not at.exception, [e.value for e in at.exception]
        return at, next(df.value for df in at.dataframe if "check" in df.value.columns)


def test_a_folder_of_my_own_gets_generic_checks_with_counts_and_no_world_checks(own_folder, monkeypatch):
    at, table = _validate(own_folder, monkeypatch)
    rows = table.set_index("check")
    radio = rows.loc["raw/radio_bookings.csv"]
    assert radio.status == "fail" and radio[""] == "❌"
    assert "1 negative values in spend (e.g. line 3)" in radio.detail
    assert "warning: 1 duplicate rows (e.g. line 5 repeats line 4)" in radio.detail
    meta = rows.loc["raw/meta_ads.csv"]  # weekly rows on 1 and 8 Jan, then 5 and 12 Feb
    assert meta.status == "warn" and "3 weeks missing in date (no rows): 2024-01-15, 2024-01-22, 2024-01-29" in meta.detail
    assert rows.loc["raw/contracts/itv_airtime_agreement.md"].status == "pass"
    assert rows.loc["raw/leads.csv"].status == "pass"  # three dates are too few to call a weekly series with gaps
    assert not [c for c in rows.index if c.startswith("world:")]
    assert "not a generated world" in rows.loc["folder: generated world"].detail
    assert "could not run" not in " ".join(table.detail)
    counts = table.status.value_counts()
    n_pass, n_warn, n_fail = (int(counts.get(s, 0)) for s in ("pass", "warn", "fail"))
    assert n_pass and n_warn and n_fail
    assert [m.value for m in at.metric] == [str(n_pass), str(n_warn), str(n_fail)]
    assert any(e.value.startswith(f"{n_pass} passed · {n_warn} warnings · {n_fail} failed") for e in at.error)
    at.toggle(key="validation_problems_only").set_value(True).run()
    shown = next(df.value for df in at.dataframe if "check" in df.value.columns)
    assert set(shown.status) == {"warn", "fail"} and len(shown) == n_warn + n_fail


def test_a_stray_ground_truth_file_does_not_make_a_generated_world(own_folder, monkeypatch):
    truth = own_folder / "mmm" / "ground_truth.json"
    truth.parent.mkdir(exist_ok=True)
    truth.write_text(json.dumps({"channels": {"tv": {"roi": 2.0}}, "plan_weeks": 52}))
    try:
        _, table = _validate(own_folder, monkeypatch)
        assert not [c for c in table.check if c.startswith("world:")]
        state = table[table.check == "folder: generated world"].iloc[0]
        assert state.status == "pass" and "not a generated world" in state.detail
    finally:
        shutil.rmtree(own_folder / "mmm")


def _mapping_page():
    at = open_app(PAGE)
    mapping = next(df.value for df in at.dataframe if "spend column" in df.value.columns)
    return at, mapping.set_index("file")


def test_the_mapping_editor_renames_a_channel_sums_a_kpi_column_and_rebuilds(own_folder, monkeypatch):
    try:
        with app_pointed_at(own_folder, monkeypatch):
            at, mapping = _mapping_page()
            assert mapping.loc["meta_ads.csv", "channel"] == "meta" and mapping.loc["meta_ads.csv", "included"]
            assert at.text_input(key="map_channel_meta_ads.csv").value == "meta"
            at.text_input(key="map_channel_meta_ads.csv").input("Paid Social").run()
            at.selectbox(key="map_kpi_column").set_value("leads").run()  # sum the leads column, not count rows
            at.button(key="map_rebuild").click().run()
            assert not at.exception, [e.value for e in at.exception]
            assert any("Rebuilt mmm/model_ready.csv" in s.value and "paid_social" in s.value for s in at.success)
            table = pd.read_csv(own_folder / "mmm" / "model_ready.csv")
            raw_meta = pd.read_csv(own_folder / "raw" / "meta_ads.csv")
            assert "spend_paid_social" in table and "spend_meta" not in table
            assert table.spend_paid_social.sum() == pytest.approx(raw_meta.spend.sum())
            assert table.leads.sum() == pd.read_csv(own_folder / "raw" / "leads.csv").leads.sum()
            saved = json.loads((own_folder / "mmm" / "mapping.json").read_text())
            meta = next(m for m in saved["media"] if m["file"] == "meta_ads.csv")
            assert meta["channel"] == "paid_social" and meta["why_channel"] == "chosen on the Data page"
            assert saved["kpi"]["column"] == "leads" and saved["kpi"]["mode"] == "sum"
            _, again = _mapping_page()  # the page now shows the saved mapping
            assert again.loc["meta_ads.csv", "channel"] == "paid_social"
    finally:
        shutil.rmtree(own_folder / "mmm", ignore_errors=True)


def test_a_bad_mapping_edit_is_a_message_and_writes_nothing(own_folder, monkeypatch):
    with app_pointed_at(own_folder, monkeypatch):
        at, _ = _mapping_page()
        at.selectbox(key="map_date_meta_ads.csv").set_value("campaign").run()
        at.text_input(key="map_channel_tv_performance.csv").input("  ").run()
        at.button(key="map_rebuild").click().run()
        assert not at.exception, [e.value for e in at.exception]
        errors = " ".join(e.value for e in at.error)
        assert "Could not rebuild the weekly table" in errors
        assert "meta_ads.csv: 'campaign' does not read as dates" in errors
        assert "tv_performance.csv: give it a channel name" in errors
        assert not (own_folder / "mmm").exists()


@pytest.mark.parametrize(("name", "content", "mime"), [
    ("radio_terms.pdf", pdf_bytes(["RADIO AIRTIME TERMS", "1. Fees", "The fee is 3% of media spend."]),
     "application/pdf"),
    ("radio_terms.docx", docx_bytes("1. Fees. The fee is 3% of media spend."),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_a_pdf_or_word_contract_is_accepted_and_saved(own_folder, monkeypatch, name, content, mime):
    target = own_folder / "raw" / name
    try:
        with app_pointed_at(own_folder, monkeypatch):
            at = open_app(PAGE)
            at.file_uploader(key="upload").set_value((name, content, mime)).run()
            assert not at.exception and not [e.value for e in at.error if name in e.value]
            at.button(key="save_up").click().run()
            assert any(f"Saved {name}" in s.value for s in at.success)
            assert target.read_bytes() == content
    finally:
        target.unlink(missing_ok=True)


@pytest.mark.parametrize(("name", "content", "why"), [
    ("broken.docx", b"this is not a Word file", "is not a readable Word document (.docx)"),
    ("scan.pdf", pdf_bytes([]), "has no text to read (a scanned PDF needs OCR first)"),
    ("cut.pdf", pdf_bytes(["Hello there"])[:40], "is not a readable PDF"),
])
def test_a_broken_document_is_refused_with_a_message(own_folder, monkeypatch, name, content, why):
    with app_pointed_at(own_folder, monkeypatch):
        at = open_app(PAGE)
        at.file_uploader(key="upload").set_value((name, content, "application/octet-stream")).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(f"{name} was not accepted" in e.value and why in e.value for e in at.error)
        assert "save_up" not in [b.key for b in at.button]
        assert not (own_folder / "raw" / name).exists()
