"""prepare: raw exports → weekly MMM table + mapping.json (small folders; the generated world is the oracle)."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.mmm.__main__ import main
from core.mmm.data import MmmDataError
from core.mmm.prepare import load_mapping, mapping_path_for, prepare_frames, run_prepare, written_by_prepare
from core.mmm.prepare_build import monday_of
from core.mmm.prepare_detect import channel_of_value, find_date_column, find_spend_column, money_values
from core.mmm.prepare_plan import KpiChoice
from core.mmm.prepare_types import KpiMode, PrepareMapping

START = pd.Timestamp("2024-01-01")  # a Monday
DAYS = 70  # ten weeks


def _days(n: int = DAYS) -> pd.DatetimeIndex:
    return pd.date_range(START, periods=n, freq="D")


def leads(n_per_day: int = 2) -> pd.DataFrame:
    """A leads export: n_per_day leads a day, with an id first as CRMs write it."""
    dates = np.repeat(_days(), n_per_day)
    return pd.DataFrame({"lead_id": [f"L{i:05d}" for i in range(len(dates))],
                         "created_date": dates.strftime("%Y-%m-%d"), "source": "web"})


def social() -> pd.DataFrame:
    """One file, two channels: a platform column names Facebook or TikTok on each row."""
    d = _days()
    return pd.DataFrame({"date": np.repeat(d.strftime("%Y-%m-%d"), 2),
                         "platform": ["Facebook", "TikTok"] * len(d),
                         "spend": np.tile([100.0, 40.0], len(d)), "clicks": 5})


def write_folder(root: Path, files: dict[str, pd.DataFrame]) -> Path:
    """root/raw/<name> for each frame; returns root."""
    (root / "raw").mkdir(parents=True, exist_ok=True)
    for name, df in files.items():
        df.to_csv(root / "raw" / name, index=False)
    return root


def small_world(root: Path) -> Path:
    """Social ads split by platform, TV from two broadcasters (weekly), economics (daily), a leads file, a non-media
    pipeline file and a note."""
    weeks = pd.date_range(START, periods=10, freq="7D")
    return write_folder(root, {
        "social_ads.csv": social(),
        "itv.csv": pd.DataFrame({"week_start": weeks.strftime("%Y-%m-%d"), "spots": 3, "spend": 1000.0}),
        "sky.csv": pd.DataFrame({"week_start": weeks[::2].strftime("%Y-%m-%d"), "cost": 500.0}),
        "economic_indicators.csv": pd.DataFrame({"date": _days().strftime("%Y-%m-%d"),
                                                 "consumer_confidence": np.arange(DAYS, dtype=float)}),
        "leads.csv": leads(),
        "website_analytics.csv": pd.DataFrame({"date": _days().strftime("%Y-%m-%d"), "sessions": 10}),
        "readme_notes.csv": pd.DataFrame({"topic": ["a"], "text": ["b"]}),
    })


def read_frames(root: Path) -> dict[str, pd.DataFrame]:
    return {p.name: pd.read_csv(p) for p in sorted((root / "raw").glob("*.csv"))}


# --- pure detection -------------------------------------------------------------------------------------------


def test_money_values_read_currency_text():
    assert money_values(pd.Series(["£1,234.50", "20", None])).tolist()[:2] == [1234.5, 20.0]


def test_spend_column_by_name_priority_with_reason():
    df = pd.DataFrame({"budget": [5.0], "media_cost": [2.0], "spend": [1.0], "cpc": [0.5]})
    choice, _ = find_spend_column(df)
    assert choice is not None and choice.column == "spend"
    assert "'media_cost'" in choice.why and "'budget'" in choice.why and "name priority" in choice.why


def test_spend_column_with_negatives_is_passed_over_and_said():
    choice, notes = find_spend_column(pd.DataFrame({"spend": [-1.0, 2.0], "cost": [1.0, 2.0]}))
    assert choice is not None and choice.column == "cost"
    assert any("negative" in n for n in notes)


def test_date_column_prefers_start_over_end_and_most_dates():
    df = pd.DataFrame({"end_date": ["2024-01-03"], "start_date": ["2024-01-01"], "name": ["Show"]})
    choice = find_date_column(df)
    assert choice is not None and choice.column == "start_date"


def test_channel_of_value_reads_names_and_phrases():
    assert [channel_of_value(v) for v in ("Facebook", "Channel 4", "Paid Search", "linear", "")] == \
        ["meta", "tv", "google", None, None]


def test_monday_of_is_the_monday_on_or_before():
    d = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-07", "2024-01-08", "2024-01-10 13:00"], format="ISO8601"))
    assert monday_of(d).dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-08"]


# --- building the table ---------------------------------------------------------------------------------------


@pytest.fixture
def prepared(tmp_path):
    root = small_world(tmp_path)
    table, mapping = prepare_frames(read_frames(root))
    return root, table, mapping


def test_platform_column_splits_one_file_into_two_channels(prepared):
    _, table, mapping = prepared
    social_file = next(m for m in mapping.media if m.file == "social_ads.csv")
    assert social_file.channel_column == "platform" and "channel column 'platform'" in social_file.why_channel
    assert dict(social_file.channel_values) == {"Facebook": "meta", "TikTok": "tiktok"}
    assert table.spend_meta.tolist() == [700.0] * 10 and table.spend_tiktok.tolist() == [280.0] * 10


def test_files_of_one_channel_add_up_and_empty_weeks_are_zero(prepared):
    _, table, mapping = prepared
    assert table.spend_tv.tolist() == [1500.0, 1000.0] * 5  # ITV every week, Sky every other week
    assert {m.file: m.why_channel for m in mapping.media}["itv.csv"] == "file name"
    assert {m.file: m.spend_column for m in mapping.media}["sky.csv"] == "cost"


def test_spend_total_is_preserved_against_brute_force(prepared):
    root, table, _ = prepared
    frames = read_frames(root)
    expected: dict[str, float] = {}
    for _, row in frames["social_ads.csv"].iterrows():  # brute force: one row at a time
        week = pd.Timestamp(row.date) - pd.Timedelta(days=pd.Timestamp(row.date).weekday())
        key = (week.strftime("%Y-%m-%d"), "meta" if row.platform == "Facebook" else "tiktok")
        expected[str(key)] = expected.get(str(key), 0.0) + row.spend
    for _, row in table.iterrows():
        assert row.spend_meta == expected[str((row.week_start, "meta"))]


def test_kpi_counts_leads_rows_per_week(prepared):
    _, table, mapping = prepared
    assert table.leads.tolist() == [14] * 10 and table.leads.dtype == np.int64
    assert mapping.kpi.file == "leads.csv" and mapping.kpi.mode is KpiMode.COUNT
    assert mapping.kpi.date_column == "created_date" and mapping.kpi.rows_used == 140


def test_controls_weekly_mean_of_indicators(prepared):
    _, table, mapping = prepared
    assert table.consumer_confidence.tolist() == [3.0 + 7 * w for w in range(10)]  # mean of days 7w..7w+6
    assert [c.name for c in mapping.controls] == ["consumer_confidence"]


def test_competitor_spend_is_a_weekly_sum_control(tmp_path):
    root = small_world(tmp_path)
    write_folder(root, {"competitor_spend.csv": pd.DataFrame({
        "week_start": ["2024-01-01", "2024-01-03", "2024-01-08"], "competitor": ["A", "B", "A"],
        "estimated_spend": [10.0, 5.0, 7.0]})})
    table, mapping = prepare_frames(read_frames(root))
    assert table.competitor_spend.tolist()[:3] == [15.0, 7.0, 0.0]
    assert any(c.name == "competitor_spend" and c.agg.value == "sum" for c in mapping.controls)


def test_non_media_files_are_ignored_with_reasons(prepared):
    _, table, mapping = prepared
    skipped = {s.file: s.reason for s in mapping.skipped}
    assert set(skipped) == {"website_analytics.csv", "readme_notes.csv"}
    assert "no spend column" in skipped["readme_notes.csv"]
    assert any(w.startswith("website_analytics.csv skipped") for w in mapping.warnings)
    assert [c for c in table.columns if c.startswith("spend_")] == ["spend_tv", "spend_meta", "spend_tiktok"]


def test_day_first_dates_are_read_day_first(tmp_path):
    d = _days()
    df = pd.DataFrame({"Date": d.strftime("%d/%m/%Y"), "Cost (£)": [f"£{1000 + i:,}" for i in range(DAYS)]})
    root = write_folder(tmp_path, {"radio_spend.csv": df, "leads.csv": leads()})
    table, mapping = prepare_frames(read_frames(root))
    radio = mapping.media[0]
    assert (radio.date_column, radio.spend_column, radio.channel) == ("Date", "Cost (£)", "radio")
    assert radio.date_format.startswith("day-first")
    assert table.week_start.iloc[0] == "2024-01-01" and len(table) == 10
    assert table.spend_radio.iloc[0] == sum(1000 + i for i in range(7))


def test_unreadable_dates_in_a_media_file_are_an_error(tmp_path):
    root = write_folder(tmp_path, {"tv.csv": pd.DataFrame({"when": ["soon", "later"], "spend": [1.0, 2.0]}),
                                   "leads.csv": leads()})
    with pytest.raises(MmmDataError, match="tv.csv .*no column that reads as dates"):
        prepare_frames(read_frames(root))


def test_missing_kpi_file_is_a_clear_error(tmp_path):
    root = write_folder(tmp_path, {"social_ads.csv": social()})
    with pytest.raises(MmmDataError, match="no leads file found.*--kpi FILE"):
        prepare_frames(read_frames(root))


def test_no_media_is_a_clear_error(tmp_path):
    root = write_folder(tmp_path, {"leads.csv": leads()})
    with pytest.raises(MmmDataError, match="no media files found"):
        prepare_frames(read_frames(root))


def test_kpi_option_sums_a_column(tmp_path):
    root = small_world(tmp_path)
    sales = pd.DataFrame({"sale_date": ["2024-01-02", "2024-01-05", "2024-01-09"], "price_paid": [10, 20, 5]})
    write_folder(root, {"vehicle_sales.csv": sales})
    table, mapping = prepare_frames(read_frames(root), kpi=KpiChoice.parse("vehicle_sales.csv:price_paid"))
    assert mapping.kpi.mode is KpiMode.SUM and mapping.kpi.name == "price_paid"
    assert table.price_paid.tolist()[:3] == [30, 5, 0]
    assert "leads.csv" in {s.file for s in mapping.skipped}


def test_kpi_option_errors_name_the_file_or_column(tmp_path):
    frames = read_frames(small_world(tmp_path))
    with pytest.raises(MmmDataError, match="not among the raw exports"):
        prepare_frames(frames, kpi=KpiChoice.parse("sales.csv:revenue"))
    with pytest.raises(MmmDataError, match="'revenue' is not a value column of leads.csv"):
        prepare_frames(frames, kpi=KpiChoice.parse("leads.csv:revenue"))


# --- mapping: round trip and corrections ----------------------------------------------------------------------


def test_mapping_round_trips_through_json(prepared):
    _, _, mapping = prepared
    assert PrepareMapping.from_dict(json.loads(json.dumps(mapping.to_dict()))) == mapping


def test_corrected_mapping_is_applied_on_re_run(tmp_path):
    root = small_world(tmp_path)
    first = run_prepare(root)
    data = json.loads(first.mapping_path.read_text())
    for m in data["media"]:
        if m["file"] == "social_ads.csv":
            m["channel_values"]["TikTok"] = "meta"  # the user says: both platforms are one channel
        if m["file"] == "sky.csv":
            m["channel"] = "bvod"
    first.mapping_path.write_text(json.dumps(data))
    again = run_prepare(root, mapping_file=first.mapping_path)
    table = pd.read_csv(again.table_path)
    assert "spend_tiktok" not in table and table.spend_meta.tolist() == [980.0] * 10
    assert table.spend_bvod.tolist() == [500.0, 0.0] * 5 and table.spend_tv.tolist() == [1000.0] * 10
    assert load_mapping(again.mapping_path).media == again.mapping.media


def test_mapping_with_a_missing_column_says_so(tmp_path):
    root = small_world(tmp_path)
    _, mapping = prepare_frames(read_frames(root))
    media = tuple(replace(m, spend_column="net") if m.file == "itv.csv" else m for m in mapping.media)
    with pytest.raises(MmmDataError, match="itv.csv has no column 'net'"):
        prepare_frames(read_frames(root), mapping=replace(mapping, media=media))


def test_new_file_after_the_mapping_is_listed_not_used(tmp_path):
    root = small_world(tmp_path)
    first = run_prepare(root)
    write_folder(root, {"radio.csv": pd.DataFrame({"date": ["2024-01-01"], "spend": [9.0]})})
    again = run_prepare(root, mapping_file=first.mapping_path)
    assert "radio.csv" in {s.file for s in again.mapping.skipped}
    assert "spend_radio" not in pd.read_csv(again.table_path)


def test_bad_mapping_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "mapping.json"
    bad.write_text("{not json")
    with pytest.raises(MmmDataError, match="not valid JSON"):
        load_mapping(bad)
    bad.write_text(json.dumps({"media": [{"file": "x.csv", "colour": "red"}], "kpi": {}}))
    with pytest.raises(MmmDataError, match="unknown field"):
        load_mapping(bad)


# --- writing: never over a user's file ------------------------------------------------------------------------


def test_writes_table_and_mapping_with_checksum(tmp_path):
    root = small_world(tmp_path)
    result = run_prepare(root)
    assert result.table_path == root / "mmm" / "model_ready.csv" and result.mapping_path.name == "mapping.json"
    assert written_by_prepare(result.table_path)
    assert run_prepare(root).backup_path is None  # its own output is replaced freely


def test_refuses_to_overwrite_a_users_table(tmp_path):
    root = small_world(tmp_path)
    user = root / "mmm" / "model_ready.csv"
    user.parent.mkdir()
    user.write_text("week_start,spend_tv,leads\n2024-01-01,1,2\n")
    with pytest.raises(MmmDataError, match="not written by prepare.*--out FILE.*--force"):
        run_prepare(root)
    assert user.read_text().startswith("week_start,spend_tv,leads\n2024-01-01,1,2")
    elsewhere = run_prepare(root, out=tmp_path / "mine.csv")
    assert elsewhere.mapping_path == tmp_path / "mine.mapping.json" and elsewhere.table_path.exists()
    forced = run_prepare(root, force=True)
    assert forced.backup_path == user.with_name("model_ready.csv.bak")
    assert forced.backup_path.read_text().startswith("week_start,spend_tv,leads\n2024-01-01,1,2")
    assert written_by_prepare(user)


def test_a_table_edited_after_prepare_is_a_users_file(tmp_path):
    root = small_world(tmp_path)
    result = run_prepare(root)
    result.table_path.write_text(result.table_path.read_text() + "\n")
    assert not written_by_prepare(result.table_path)
    with pytest.raises(MmmDataError, match="not written by prepare"):
        run_prepare(root)
    assert mapping_path_for(result.table_path).exists()


# --- CLI ------------------------------------------------------------------------------------------------------


def test_cli_prepares_and_prints_json(tmp_path, capsys):
    root = small_world(tmp_path)
    assert main(["prepare", "--data", str(root), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["weeks"]["count"] == 10 and out["kpi"]["file"] == "leads.csv"


def test_cli_errors_are_one_line_and_exit_2(tmp_path, capsys):
    root = write_folder(tmp_path, {"social_ads.csv": social()})
    assert main(["prepare", "--data", str(root)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no leads file found") and "\n" not in err


# --- the generated world is the oracle ------------------------------------------------------------------------


@pytest.mark.slow
def test_reproduces_the_generators_weekly_spend_and_leads(world_dir, tmp_path):
    shutil.copytree(world_dir / "raw", tmp_path / "raw")
    result = run_prepare(tmp_path)
    ours, truth = pd.read_csv(result.table_path), pd.read_csv(world_dir / "mmm" / "model_ready.csv")
    spend = [c for c in truth.columns if c.startswith("spend_")]
    assert ours.week_start.tolist() == truth.week_start.tolist()
    assert [c for c in ours.columns if c.startswith("spend_")] == spend
    assert float((ours[spend] - truth[spend]).abs().max().max()) <= 0.01
    assert ours.leads.tolist() == truth.leads.tolist()
    assert {"consumer_confidence", "bank_rate", "competitor_spend"} <= set(ours.columns)
    np.testing.assert_allclose(ours.competitor_spend, truth.competitor_spend)
    tv = next(m for m in result.mapping.media if m.file == "tv_performance.csv")
    assert tv.channel == "tv" and "file name" in tv.why_channel
