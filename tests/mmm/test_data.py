"""load_weekly: a valid table splits cleanly; bad tables fail with a message that says what to fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.mmm import MmmDataError, load_weekly


def _table(weeks: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "week_start": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%Y-%m-%d"),
        "spend_tv": rng.uniform(0, 1000, weeks), "spend_meta": rng.uniform(0, 500, weeks),
        "bank_rate": rng.uniform(4, 5, weeks), "note": ["x"] * weeks, "flat": 1.0,
        "leads": rng.integers(50, 100, weeks), "revenue": rng.uniform(0, 1e5, weeks),
    })


def test_valid_table_splits_into_parts():
    data = load_weekly(_table().iloc[::-1])  # order is restored by date
    assert data.channels == ("tv", "meta")
    assert list(data.spend.columns) == ["tv", "meta"]
    assert list(data.controls.columns) == ["bank_rate"]  # text, constant and KPI columns are not controls
    assert data.dates.is_monotonic_increasing and data.weeks == 60


def test_reads_csv_path(tmp_path):
    path = tmp_path / "weekly.csv"
    _table().to_csv(path, index=False)
    assert load_weekly(path, target="revenue").target_name == "revenue"


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.drop(columns="week_start"), "no date column"),
    (lambda d: d.drop(columns=["spend_tv", "spend_meta"]), "no spend columns"),
    (lambda d: d.drop(columns="leads"), "target column 'leads' not found"),
    (lambda d: d.assign(spend_tv=-d.spend_tv), "negative spend"),
    (lambda d: d.assign(spend_meta=250.0), "constant"),
    (lambda d: d.head(30), "only 30 weeks"),
    (lambda d: d.assign(spend_tv=["lots"] + list(d.spend_tv[1:])), "not numeric"),
    (lambda d: d.assign(leads=["n/a"] + list(d.leads[1:])), "not numeric"),
    (lambda d: d.assign(week_start="someday"), "unparseable"),
    (lambda d: d.assign(leads=5), "constant"),
])
def test_bad_tables_give_clear_errors(change, message):
    with pytest.raises(MmmDataError, match=message):
        load_weekly(change(_table()))


def test_missing_file_and_garbage_file(tmp_path):
    with pytest.raises(MmmDataError, match="does not exist"):
        load_weekly(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(MmmDataError, match="not a readable CSV"):
        load_weekly(empty)
