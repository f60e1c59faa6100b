"""load_weekly: a valid table splits cleanly; bad tables fail with a message that says what to fix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.mmm import MmmDataError, load_weekly
from core.mmm.data import MAX_CHANNELS, MAX_CONTROLS, MAX_WEEKS


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


def _dates(start: str, periods: int, freq: str) -> list[str]:
    return list(pd.date_range(start, periods=periods, freq=freq).strftime("%Y-%m-%d"))


@pytest.mark.parametrize(("dates", "message"), [
    (_dates("2024-01-01", 60, "D"), r"1 day apart \(daily data\): aggregate to one row per week first"),
    (_dates("2020-01-01", 60, "MS"), r"median of 3\d days apart \(monthly data\)"),
    (_dates("2024-01-01", 61, "7D")[:10] + _dates("2024-01-01", 61, "7D")[11:],
     r"gap of 14 days after 2024-03-04: 1 week missing"),
    (_dates("2024-01-01", 60, "7D")[:10] + ["2024-03-14"] + _dates("2024-03-18", 49, "7D"),
     r"2024-03-14 is 10 days after 2024-03-04"),
])
def test_only_weekly_dates_are_accepted(dates, message):
    with pytest.raises(MmmDataError, match=message):
        load_weekly(_table().assign(week_start=dates))


def test_day_first_dates_in_the_loader_read_right():
    data = load_weekly(_table().assign(week_start=pd.date_range("2024-01-01", periods=60, freq="7D")
                                       .strftime("%d/%m/%Y")))
    assert data.dates[2] == pd.Timestamp(2024, 1, 15) and data.dates[1] == pd.Timestamp(2024, 1, 8)


def test_duplicate_header_in_a_csv_is_refused_by_name(tmp_path):
    path = tmp_path / "weekly.csv"
    text = _table().to_csv(index=False)
    path.write_text(text.replace("spend_meta", "spend_tv", 1))  # pandas alone would read 'spend_tv.1', channel 'tv.1'
    with pytest.raises(MmmDataError, match="2 columns named 'spend_tv'"):
        load_weekly(path)
    with pytest.raises(MmmDataError, match="columns named 'spend_tv'"):
        load_weekly(pd.read_csv(path).rename(columns={"spend_tv.1": "spend_tv"}))


def test_a_folder_is_not_a_csv(tmp_path):
    with pytest.raises(MmmDataError, match="is not a file"):
        load_weekly(tmp_path)


@pytest.mark.parametrize(("column", "value", "message"), [
    ("spend_tv", np.inf, "column 'spend_tv' has inf in row 57 \\(week 2024-01-22\\)"),
    ("spend_tv", 2e12, "column 'spend_tv' has 2e\\+12 in row 57 \\(week 2024-01-22\\)"),
    ("spend_meta", np.nan, "column 'spend_meta' has 1 empty value"),
    ("leads", 1e300, "column 'leads' has 1e\\+300 in row 57 \\(week 2024-01-22\\)"),
    ("leads", -np.inf, "column 'leads' has -inf in row 57 \\(week 2024-01-22\\)"),
    ("bank_rate", np.inf, "column 'bank_rate' has inf in row 57 \\(week 2024-01-22\\)"),
    ("bank_rate", np.nan, "column 'bank_rate' has 1 empty value\\(s\\), first in row 57 \\(week 2024-01-22\\)"),
])
def test_absurd_and_missing_numbers_name_column_and_row(column, value, message):
    df = _table().astype({column: float})
    df.loc[3, column] = value
    with pytest.raises(MmmDataError, match=message):
        load_weekly(df.iloc[::-1])  # reversed: week 2024-01-22 is the file's row 57 (it would be row 4 once sorted)


def test_large_but_plausible_spend_is_accepted():
    df = _table()
    df.loc[3, "spend_tv"] = 5e11  # under the £1e12-a-week limit
    assert load_weekly(df).spend.tv.max() == 5e11


def test_limits_on_weeks_channels_and_controls(tmp_path):
    weeks = MAX_WEEKS + 1
    with pytest.raises(MmmDataError, match=f"more than {MAX_WEEKS} weeks.*keep the most recent {MAX_WEEKS}"):
        load_weekly(_table(weeks))
    long_file = tmp_path / "long.csv"
    _table(weeks + 5000).to_csv(long_file, index=False)
    with pytest.raises(MmmDataError, match=f"more than {MAX_WEEKS} weeks"):
        load_weekly(long_file)
    assert load_weekly(_table(MAX_WEEKS)).weeks == MAX_WEEKS
    rng = np.random.default_rng(2)
    wide = _table().assign(**{f"spend_c{i}": rng.uniform(0, 9, 60) for i in range(MAX_CHANNELS - 1)})
    with pytest.raises(MmmDataError, match=f"{MAX_CHANNELS + 1} spend columns.*at most {MAX_CHANNELS}"):
        load_weekly(wide)
    assert len(load_weekly(wide.drop(columns="spend_c0")).channels) == MAX_CHANNELS
    many = _table().assign(**{f"x{i}": rng.normal(size=60) for i in range(MAX_CONTROLS)})
    with pytest.raises(MmmDataError, match=f"{MAX_CONTROLS + 1} control columns.*at most {MAX_CONTROLS}"):
        load_weekly(many)
    assert load_weekly(many.drop(columns="x0")).controls.shape[1] == MAX_CONTROLS
