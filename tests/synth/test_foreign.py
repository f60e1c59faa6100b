"""The foreign world: the same launch in other teams' formats, read back right by the app's generic readers, and
`prepare` rebuilding the generator's weekly spend and leads from it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.catalog.dates import DAY_FIRST_LABEL, MONTH_FIRST_LABEL, TEXT_LABEL, parse_dates
from core.catalog.loading import load_csv, parse_csv
from core.catalog.versions import GENERATED_STAMP
from core.mmm.__main__ import main as mmm_main
from core.mmm.data import load_weekly
from core.mmm.prepare import kpi_of, prepare_frames, read_raw, run_prepare
from core.synth.__main__ import main as synth_main
from core.synth.facts import RAW_FILES
from core.synth.foreign import GENERATOR, ForeignWorld, build_foreign, generate_foreign

SEED = 42


@pytest.fixture(scope="module")
def foreign() -> ForeignWorld:
    """The foreign world in memory (exports, creatives, the raw tables and weekly table they come from)."""
    return build_foreign(SEED)


@pytest.fixture(scope="module")
def foreign_dir(tmp_path_factory) -> Path:
    """A folder holding the foreign world (seed 42); treat it as read-only."""
    out = tmp_path_factory.mktemp("foreign")
    generate_foreign(out, seed=SEED)
    return out


def _export(world: ForeignWorld, name: str):
    return next(e for e in world.exports if Path(e.rel).name == name)


def _same_cells(got: pd.Series, want: pd.Series) -> bool:
    """Equal cell by cell: numbers by value (NaN equals NaN; '1,624.84' written is 1624.84 read), else as text."""
    if pd.api.types.is_numeric_dtype(got):
        if not pd.api.types.is_numeric_dtype(want):
            want = pd.to_numeric(want.str.replace(",", ""))  # a formatted export's text money reads as numbers
        return bool(np.allclose(got.to_numpy(float), want.astype(float).to_numpy(), equal_nan=True, rtol=0, atol=0))
    as_text = lambda s: s.astype(object).where(s.notna(), "").astype(str).tolist()
    return as_text(got) == as_text(want)


def test_an_analysts_folder_holds_exports_documents_and_creatives_but_no_model_table_or_truth(foreign_dir):
    assert not (foreign_dir / "mmm").exists()
    assert not list(foreign_dir.rglob("ground_truth.json")) and not list(foreign_dir.rglob("model_ready.csv"))
    stamp = json.loads((foreign_dir / GENERATED_STAMP).read_text(encoding="utf-8"))
    on_disk = {p.relative_to(foreign_dir).as_posix() for p in foreign_dir.rglob("*")
               if p.is_file() and p.name != GENERATED_STAMP}
    assert stamp["generator"] == GENERATOR and stamp["seed"] == SEED
    assert set(stamp["files"]) == on_disk  # every file written is the generator's, and nothing else is there
    assert len(list((foreign_dir / "raw").glob("*.csv"))) == 20
    documents = {p.suffix for p in (foreign_dir / "raw").rglob("*") if p.is_file() and p.suffix != ".csv"}
    assert documents >= {".pdf", ".docx"}  # agreements and plans as another company files them


def test_the_cli_flag_writes_the_same_bytes_for_the_same_seed(foreign_dir, tmp_path, capsys):
    assert synth_main(["--style", "foreign", "--out", str(tmp_path), "--seed", str(SEED)]) == 0
    assert "55 creatives" in capsys.readouterr().out
    assert (tmp_path / GENERATED_STAMP).read_bytes() == (foreign_dir / GENERATED_STAMP).read_bytes()  # all hashes


def test_another_seed_gives_other_numbers(foreign):
    other = build_foreign(SEED + 1)
    meta = [e.rel for e in foreign.exports]
    assert [e.rel for e in other.exports] == meta  # same files and columns ...
    assert not _export(other, "TV_Broadcast_Schedule.csv").frame.equals(_export(foreign, "TV_Broadcast_Schedule.csv").frame)


def test_file_and_column_names_share_nothing_with_the_default_world(foreign):
    default_columns = {c for df in foreign.raw.values() for c in df.columns}
    foreign_columns = {c for e in foreign.exports for c in e.frame.columns}
    assert not default_columns & foreign_columns
    assert not {Path(e.rel).name for e in foreign.exports} & set(RAW_FILES)


def test_every_header_value_pair_reads_back_through_the_catalog_reader(foreign, foreign_dir):
    for e in foreign.exports:
        loaded = load_csv(foreign_dir / e.rel)
        assert loaded.error is None, (e.rel, loaded.error)
        assert list(loaded.df.columns) == list(e.frame.columns), e.rel
        assert len(loaded.df) == len(e.frame), e.rel
        for col in e.frame.columns:
            assert _same_cells(loaded.df[col], e.frame[col]), (e.rel, col)


def test_bom_cp1252_quoted_commas_and_a_two_line_field_are_in_the_files(foreign_dir):
    raw = foreign_dir / "raw"
    meta = (raw / "Meta_Ads_Manager_2025.csv").read_bytes()
    tv = (raw / "TV_Broadcast_Schedule.csv").read_bytes()
    assert meta.startswith(b"\xef\xbb\xbf") and load_csv(raw / "Meta_Ads_Manager_2025.csv").encoding == "utf-8-sig"
    assert b"Net Cost (\xa3)\r\n" in tv and load_csv(raw / "TV_Broadcast_Schedule.csv").encoding == "cp1252"
    assert "Net Cost (£)" in load_csv(raw / "TV_Broadcast_Schedule.csv").df.columns
    events = load_csv(raw / "Events_Programme.csv").df.set_index("Event")
    assert events.loc["Launch showcase Birmingham", "Venue"] == "NEC, Birmingham"
    assert events["Notes"].str.contains("\n").any() and events["Attendees"].dtype.kind == "i"
    google_bytes = (raw / "Google Ads campaign report.csv").read_bytes()
    assert b',"1,624.84",' in google_bytes  # money written as formatted text ...
    google = load_csv(raw / "Google Ads campaign report.csv").df
    assert google["Cost"].dtype.kind == "f" and 1624.84 in google["Cost"].tolist()  # ... reads as numbers


@pytest.mark.parametrize(("name", "column", "label", "default_file", "default_column"), [
    ("Meta_Ads_Manager_2025.csv", "Reporting starts", DAY_FIRST_LABEL, "meta_ads.csv", "date"),
    ("LinkedIn_Campaign_Performance.csv", "Start Date (in UTC)", MONTH_FIRST_LABEL, "linkedin_ads.csv", "date"),
    ("OOH_Panel_Bookings.csv", "Week Beginning", TEXT_LABEL, "ooh_performance.csv", "week_start"),
    ("Radio_Airtime_Bookings.csv", "Week", DAY_FIRST_LABEL, "radio_performance.csv", "week_start"),
    ("CRM_Enquiries.csv", "Created On", DAY_FIRST_LABEL, "leads.csv", "created_date"),
])
def test_dates_read_as_the_days_they_were(foreign, foreign_dir, name, column, label, default_file, default_column):
    parsed = parse_dates(load_csv(foreign_dir / "raw" / name).df[column])
    assert parsed.format == label and not parsed.bad
    truth = foreign.raw[default_file][default_column]
    if name.endswith("_2025.csv"):
        truth = truth[truth.str.startswith("2025")]
    assert parsed.dates.dt.strftime("%Y-%m-%d").tolist() == truth.tolist()


def test_prepare_rebuilds_weekly_spend_to_the_pound_and_leads_exactly(foreign, foreign_dir):
    frames, unreadable = read_raw(foreign_dir / "raw")
    table, mapping = prepare_frames(frames, unreadable=unreadable)
    truth = foreign.model_ready
    spend = [c for c in truth.columns if c.startswith("spend_")]
    assert table["week_start"].tolist() == truth["week_start"].tolist()
    assert [c for c in table.columns if c.startswith("spend_")] == spend
    assert np.abs(table[spend].to_numpy() - truth[spend].to_numpy()).max() < 0.5  # to the pound (in fact the penny)
    assert table["leads"].tolist() == truth["leads"].astype(int).tolist()
    assert mapping.kpi.file == "CRM_Enquiries.csv" and not unreadable
    google = next(m for m in mapping.media if m.file == "Google Ads campaign report.csv")
    assert google.channel_column == "Network" and set(google.channels) == {"google", "youtube"}
    assert {m.file for m in mapping.media} >= {"Radio_Airtime_Bookings.csv", "LinkedIn_Campaign_Performance.csv"}


def test_prepare_cli_writes_the_table_the_mmm_page_reads(foreign, foreign_dir, tmp_path, capsys):
    shutil.copytree(foreign_dir / "raw", tmp_path / "raw")
    assert mmm_main(["prepare", "--data", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["weeks"]["count"] == len(foreign.model_ready) and out["kpi"]["name"] == "leads"
    written = pd.read_csv(tmp_path / "mmm" / "model_ready.csv")
    assert written["leads"].sum() == foreign.model_ready["leads"].sum()
    again = run_prepare(tmp_path)  # prepare wrote it, so a re-run may replace it
    assert again.table_path.read_bytes() == (tmp_path / "mmm" / "model_ready.csv").read_bytes()
    weekly = load_weekly(again.table_path, target=kpi_of(again.table_path))  # what the MMM page fits
    assert weekly.channels == tuple(c.removeprefix("spend_") for c in foreign.model_ready if c.startswith("spend_"))
    assert "competitor_spend" in weekly.controls.columns and weekly.weeks == len(foreign.model_ready)


def test_only_columns_of_formatted_numbers_read_as_numbers():
    loaded = parse_csv(b'cost,pair,note\n"1,624.84","1,2","12,000 visitors"\n944.68,3,none\n"-12,000",4,x\n', "x.csv")
    assert loaded.error is None
    assert loaded.df["cost"].tolist() == [1624.84, 944.68, -12000.0]
    assert loaded.df["pair"].tolist() == ["1,2", "3", "4"]  # "1,2" is not a thousands group: the column stays text
    assert loaded.df["note"].tolist() == ["12,000 visitors", "none", "x"]
