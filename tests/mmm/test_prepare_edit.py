"""Editing prepare's mapping as the Data page does: the view, edits checked and applied, the rebuild."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from core.mmm.data import MmmDataError
from core.mmm.prepare import run_prepare
from core.mmm.prepare_edit import (
    CHOSEN,
    EXCLUDED,
    KpiEdit,
    MappingView,
    MediaEdit,
    edited_mapping,
    mapping_table,
    mapping_view,
    rebuild,
    table_path,
)
from tests.mmm.test_prepare import read_frames, small_world


def as_edits(view: MappingView, **changes: dict) -> list[MediaEdit]:
    """The view's rows as edits, with per-file field changes: as_edits(view, **{"sky.csv": {"channel": "x"}})."""
    out = []
    for r in view.rows:
        fields = {"file": r.file, "included": r.included, "channel": r.channel, "date_column": r.date_column,
                  "spend_column": r.spend_column, "channel_values": dict(r.channel_values)}
        out.append(MediaEdit(**(fields | changes.get(r.file, {}))))
    return out


def kpi_of_view(view: MappingView) -> KpiEdit:
    return KpiEdit(str(view.kpi_file), view.kpi_column)


@pytest.fixture
def folder(tmp_path) -> Path:
    return small_world(tmp_path / "data")


def test_the_view_of_a_fresh_folder_is_what_prepare_would_do(folder):
    view = mapping_view(folder)
    assert not view.saved and not view.table_exists and not view.replace_needed and view.problem is None
    rows = {r.file: r for r in view.rows}
    assert [f for f, r in rows.items() if r.included] == ["itv.csv", "sky.csv", "social_ads.csv"]
    assert {"readme_notes.csv", "website_analytics.csv"} <= {f for f, r in rows.items() if not r.included}
    assert "leads.csv" not in rows and "economic_indicators.csv" not in rows  # the KPI and a control
    assert rows["sky.csv"].spend_column == "cost" and rows["sky.csv"].columns == ("week_start", "cost")
    assert view.kpi_file == "leads.csv" and view.kpi_column is None
    assert list(mapping_table(view).file) == list(rows)


def test_unchanged_edits_rebuild_what_prepare_builds(folder, tmp_path):
    oracle = tmp_path / "oracle"
    shutil.copytree(folder, oracle)
    expected = pd.read_csv(run_prepare(oracle).table_path)
    view = mapping_view(folder)
    done = rebuild(folder, view.mapping, as_edits(view), kpi_of_view(view))
    pd.testing.assert_frame_equal(pd.read_csv(done.table_path), expected)
    again = mapping_view(folder)
    assert again.saved and all(r.rows_used > 0 for r in again.rows if r.included)


def test_renaming_a_channel_moves_exactly_its_spend(folder):
    view = mapping_view(folder)
    done = rebuild(folder, view.mapping, as_edits(view, **{"sky.csv": {"channel": "Sky TV"}}), kpi_of_view(view))
    table = pd.read_csv(done.table_path)
    raw = read_frames(folder)
    assert table.spend_sky_tv.sum() == pytest.approx(raw["sky.csv"].cost.sum())
    assert table.spend_tv.sum() == pytest.approx(raw["itv.csv"].spend.sum())
    sky = next(m for m in done.mapping.media if m.file == "sky.csv")
    assert sky.channel == "sky_tv" and sky.why_channel == CHOSEN and sky.why_spend != CHOSEN


def test_renaming_a_value_of_a_channel_column(folder):
    view = mapping_view(folder)
    social = next(r for r in view.rows if r.file == "social_ads.csv")
    edits = as_edits(view, **{"social_ads.csv": {"channel_values": {**social.channel_values, "TikTok": "short video"}}})
    table = pd.read_csv(rebuild(folder, view.mapping, edits, kpi_of_view(view)).table_path)
    assert "spend_short_video" in table and "spend_tiktok" not in table
    assert table.spend_short_video.sum() == pytest.approx(40.0 * 70)


def test_excluding_a_file_drops_its_spend_and_says_why(folder):
    view = mapping_view(folder)
    done = rebuild(folder, view.mapping, as_edits(view, **{"sky.csv": {"included": False}}), kpi_of_view(view))
    assert "spend_tv" in pd.read_csv(done.table_path)  # itv still feeds tv
    assert pd.read_csv(done.table_path).spend_tv.sum() == pytest.approx(read_frames(folder)["itv.csv"].spend.sum())
    saved = json.loads(done.mapping_path.read_text())
    assert {"file": "sky.csv", "reason": EXCLUDED} in saved["skipped"]
    assert "sky.csv" not in [m["file"] for m in saved["media"]]


def test_including_a_file_prepare_passed_over(folder):
    pd.DataFrame({"day": pd.date_range("2024-01-01", periods=70, freq="D").strftime("%Y-%m-%d"),
                  "cost": 10.0}).to_csv(folder / "raw" / "partner_x.csv", index=False)
    view = mapping_view(folder)
    row = next(r for r in view.rows if r.file == "partner_x.csv")
    assert not row.included and "no channel" in row.note and (row.date_column, row.spend_column) == ("day", "cost")
    edits = as_edits(view, **{"partner_x.csv": {"included": True, "channel": "Partner"}})
    table = pd.read_csv(rebuild(folder, view.mapping, edits, kpi_of_view(view)).table_path)
    assert table.spend_partner.sum() == pytest.approx(700.0)


def test_the_kpi_can_be_a_summed_column_of_another_file(folder):
    pd.DataFrame({"sale_date": pd.date_range("2024-01-01", periods=70, freq="D").strftime("%Y-%m-%d"),
                  "price_paid": 1000.0}).to_csv(folder / "raw" / "vehicle_sales.csv", index=False)
    view = mapping_view(folder)
    done = rebuild(folder, view.mapping, as_edits(view), KpiEdit("vehicle_sales.csv", "price_paid"))
    table = pd.read_csv(done.table_path)
    assert done.mapping.kpi.name == "price_paid" and table.price_paid.sum() == pytest.approx(70_000.0)
    assert "leads.csv" in {s.file for s in done.mapping.skipped}


def test_every_bad_edit_is_named_in_one_message_and_nothing_is_written(folder):
    view = mapping_view(folder)
    edits = as_edits(view, **{"itv.csv": {"date_column": "spots"}, "sky.csv": {"spend_column": "nope"},
                              "social_ads.csv": {"spend_column": "platform", "channel": "!!!"}})
    with pytest.raises(MmmDataError) as err:
        rebuild(folder, view.mapping, edits, KpiEdit("leads.csv", "missing"))
    message = str(err.value)
    for part in ("itv.csv: 'spots' does not read as dates", "sky.csv: there is no spend column 'nope'",
                 "social_ads.csv: 'platform' cannot be spend: its values are not amounts",
                 "social_ads.csv: channel '!!!' needs letters or digits", "the KPI file leads.csv has no column 'missing'"):
        assert part in message
    assert not table_path(folder).exists()


def test_no_media_or_no_channel_is_refused(folder):
    view = mapping_view(folder)
    frames = read_frames(folder)
    nothing = [MediaEdit(e.file, False, e.channel, e.date_column, e.spend_column) for e in as_edits(view)]
    with pytest.raises(MmmDataError, match="include at least one media file"):
        edited_mapping(frames, view.mapping, nothing, kpi_of_view(view))
    with pytest.raises(MmmDataError, match="itv.csv: give it a channel name"):
        edited_mapping(frames, view.mapping, as_edits(view, **{"itv.csv": {"channel": " "}}), kpi_of_view(view))


def test_a_table_prepare_did_not_write_is_replaced_only_when_confirmed(folder):
    table = table_path(folder)
    table.parent.mkdir()
    table.write_text("week_start,leads\n2024-01-01,1\n")
    view = mapping_view(folder)
    assert view.table_exists and view.replace_needed and not view.saved
    with pytest.raises(MmmDataError, match="confirm replacing it"):
        rebuild(folder, view.mapping, as_edits(view), kpi_of_view(view))
    assert table.read_text() == "week_start,leads\n2024-01-01,1\n"
    done = rebuild(folder, view.mapping, as_edits(view), kpi_of_view(view), replace_table=True)
    assert done.backup_path is not None and done.backup_path.read_text() == "week_start,leads\n2024-01-01,1\n"
    assert not mapping_view(folder).replace_needed


def test_a_folder_prepare_cannot_read_shows_every_export_as_a_candidate(tmp_path):
    (tmp_path / "raw").mkdir()
    pd.DataFrame({"when": ["2024-01-01", "2024-01-08"], "amount": [1.0, 2.0]}).to_csv(tmp_path / "raw" / "x.csv",
                                                                                     index=False)
    view = mapping_view(tmp_path)
    assert view.mapping is None and "no media files found" in str(view.problem)
    assert [(r.file, r.included) for r in view.rows] == [("x.csv", False)]
