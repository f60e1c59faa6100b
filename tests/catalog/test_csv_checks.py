"""Generic CSV checks: each finds its problem from the data alone, at the right level, naming column and line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.catalog.checks import (
    Status,
    csv_issues,
    date_columns,
    duplicate_issues,
    missing_weeks,
    negative_issues,
    numeric_text_issues,
    one_line,
    week_gap_issues,
    worst,
)


def _texts(issues, status):
    return [i.text for i in issues if i.status is status]


def test_worst_orders_pass_warn_fail():
    assert worst([]) is Status.PASS
    assert worst([Status.WARN, Status.PASS]) is Status.WARN
    assert worst([Status.WARN, Status.FAIL, Status.PASS]) is Status.FAIL


def test_date_columns_come_from_names_and_values_not_file_names():
    df = pd.DataFrame({"Posted": ["2024-01-08", "2024-01-15"], "created_date": ["x", "2024-01-01"],
                       "week": [1, 2], "campaign": ["Spring", "Autumn"]})
    assert set(date_columns(df)) == {"Posted", "created_date"}  # by values, by name; numbers and words are not


def test_unparsable_dates_fail_with_the_value_and_line():
    df = pd.DataFrame({"date": ["2024-01-08", "2024-01-15", "soon", None]})
    [problem] = _texts(csv_issues(df), Status.FAIL)
    assert problem == "1 unparsable dates in date (e.g. 'soon' on line 4)"


def test_day_first_dates_are_read_day_first_and_an_assumption_is_a_warning():
    proven = pd.DataFrame({"date": ["08/01/2024", "15/01/2024", "22/01/2024", "29/01/2024"]})
    assert date_columns(proven)["date"].dates.tolist() == list(pd.date_range("2024-01-08", periods=4, freq="7D"))
    assert csv_issues(proven) == []
    assumed = pd.DataFrame({"date": ["01/02/2024", "02/02/2024"]})
    assert any("read day-first" in t for t in _texts(csv_issues(assumed), Status.WARN))


def test_text_among_numbers_and_numbers_written_as_text_warn():
    df = pd.DataFrame({"spend": ["10", "12", "n/k", "11"], "cost": ["£1,200", "£950", "£1,010", "£990"],
                       "campaign_id": ["1", "2", "A3", "4"], "name": ["a", "b", "c", "d"]})
    issues = numeric_text_issues(df, {})
    assert [i.status for i in issues] == [Status.WARN, Status.WARN]
    assert issues[0].text.startswith("1 values in spend are not numbers (e.g. 'n/k' on line 4)")
    assert "cost holds numbers written with currency marks" in issues[1].text  # ids and words are left alone


@pytest.mark.parametrize(("column", "flagged"), [
    ("spend", True), ("Media Cost (£)", True), ("clicks", True), ("budget_gbp", True),
    ("cost_change", False), ("consumer_confidence", False), ("discount", False), ("price_index", False)])
def test_negative_values_fail_only_where_the_name_says_money_spent_or_a_count(column, flagged):
    df = pd.DataFrame({column: [5.0, -1.0, 3.0]})
    issues = negative_issues(df)
    assert bool(issues) == flagged
    if flagged:
        assert issues[0] == issues[0].__class__(Status.FAIL, f"1 negative values in {column} (e.g. line 3)")


def test_duplicate_rows_warn_with_the_lines_they_repeat():
    df = pd.DataFrame({"date": ["d1", "d2", "d1", "d2", "d1"], "spend": [1, 2, 1, 2, 1.0]})
    [issue] = duplicate_issues(df)
    assert issue.status is Status.WARN and issue.text == "3 duplicate rows (e.g. line 4 repeats line 2)"
    assert duplicate_issues(df.drop_duplicates()) == []


def test_missing_weeks_against_brute_force():
    rng = np.random.default_rng(7)
    weeks = pd.date_range("2024-01-01", periods=30, freq="7D")
    kept = weeks[np.sort(rng.choice(30, size=20, replace=False))]
    kept = kept.union(weeks[[0, 1, 2, -1]])  # mostly consecutive, so the series reads as weekly
    expected = [w for w in pd.date_range(kept[0], kept[-1], freq="7D") if w not in set(kept)]
    rows = pd.Series(np.repeat(kept, 2))  # several rows a week (two stations) still make one week
    assert list(missing_weeks(rows)) == expected


def test_daily_series_and_sparse_events_have_no_week_gaps():
    daily = pd.Series(pd.date_range("2024-01-01", periods=40, freq="D").delete([5, 6, 7]))
    events = pd.Series(pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-07", "2024-06-14", "2024-09-06"]))
    assert missing_weeks(daily) is None and missing_weeks(events) is None


def test_week_gaps_warn_naming_the_weeks():
    df = pd.DataFrame({"week_start": ["2024-01-01", "2024-01-08", "2024-01-22", "2024-01-29", "2024-02-19"]})
    [issue] = week_gap_issues(date_columns(df))
    assert issue.status is Status.WARN
    assert issue.text == "3 weeks missing in week_start (no rows): 2024-01-15, 2024-02-05, 2024-02-12"


def test_a_check_that_raises_becomes_a_failure_with_one_line(monkeypatch):
    import core.catalog.checks as checks

    def broken(df, dates):
        raise ValueError("first line\nsecond line")

    monkeypatch.setitem(checks.CSV_CHECKS, "duplicates", broken)
    issues = csv_issues(pd.DataFrame({"a": [1, 2]}))
    assert _texts(issues, Status.FAIL) == ["duplicates check failed: ValueError: first line"]


def test_one_line_names_a_missing_file_relative_to_the_folder(tmp_path):
    try:
        (tmp_path / "raw" / "leads.csv").read_text()
    except FileNotFoundError as exc:
        assert one_line(exc, tmp_path) == "raw/leads.csv is missing"
    assert one_line(KeyError("spend")) == "missing column or entry 'spend'"
    assert len(one_line(RuntimeError("x" * 1000))) <= 200


def test_clean_weekly_table_has_no_issues():
    df = pd.DataFrame({"week_start": pd.date_range("2024-01-01", periods=10, freq="7D").strftime("%Y-%m-%d"),
                       "spend_tv": np.arange(10) * 100.0, "leads": np.arange(10)})
    assert csv_issues(df) == []
