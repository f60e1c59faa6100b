"""parse_dates: ISO stays ISO, day/month order only where the values prove it, and it says when it assumed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.catalog.dates import (
    ASSUMED_DAY_FIRST_LABEL,
    DAY_FIRST_LABEL,
    ISO_LABEL,
    MONTH_FIRST_LABEL,
    NATIVE_LABEL,
    TEXT_LABEL,
    parse_dates,
)

WEEKS = pd.date_range("2024-01-01", periods=104, freq="7D")


def _iso(parsed) -> list[str]:
    return list(parsed.dates.dt.strftime("%Y-%m-%d"))


def test_iso_weeks_are_never_reordered():
    # The probe: dayfirst=True with format="mixed" moved 36 of these 104 weeks (2024-01-08 became 1 August).
    parsed = parse_dates(pd.Series(WEEKS.strftime("%Y-%m-%d")))
    assert parsed.format == ISO_LABEL and parsed.bad == [] and not parsed.assumed
    assert _iso(parsed) == list(WEEKS.strftime("%Y-%m-%d"))
    assert parsed.dates.iloc[1] == pd.Timestamp(2024, 1, 8)


@pytest.mark.parametrize(("layout", "label"), [
    ("%d/%m/%Y", DAY_FIRST_LABEL), ("%m/%d/%Y", MONTH_FIRST_LABEL), ("%d.%m.%y", DAY_FIRST_LABEL),
    ("%m-%d-%Y", MONTH_FIRST_LABEL), ("%Y/%m/%d", ISO_LABEL), ("%Y-%m-%d 00:00:00", ISO_LABEL),
    ("%d %b %Y", TEXT_LABEL),
])
def test_round_trip_for_every_layout(layout, label):
    # Oracle: write known weeks in a layout, read them back; the order is proven by days above 12
    parsed = parse_dates(pd.Series(WEEKS.strftime(layout)))
    assert parsed.format == label and parsed.bad == []
    assert _iso(parsed) == list(WEEKS.strftime("%Y-%m-%d"))


def test_day_first_is_read_from_a_day_above_12():
    parsed = parse_dates(pd.Series(["08/01/2024", "15/01/2024", "22/01/2024"]))
    assert parsed.format == DAY_FIRST_LABEL
    assert _iso(parsed) == ["2024-01-08", "2024-01-15", "2024-01-22"]


def test_month_first_is_read_from_a_second_field_above_12():
    parsed = parse_dates(pd.Series(["01/08/2024", "01/15/2024"]))
    assert parsed.format == MONTH_FIRST_LABEL and _iso(parsed) == ["2024-01-08", "2024-01-15"]


def test_ambiguous_dates_default_to_day_first_and_say_so():
    parsed = parse_dates(pd.Series(["01/02/2024", "08/02/2024"]))
    assert parsed.assumed and parsed.format == ASSUMED_DAY_FIRST_LABEL and "assumed" in parsed.format
    assert _iso(parsed) == ["2024-02-01", "2024-02-08"]


def test_values_that_fit_no_reading_are_listed_not_guessed():
    parsed = parse_dates(pd.Series(["2024-01-08", "15/01/2024", "someday", None, "2024-02-30"]))
    assert parsed.format == ISO_LABEL  # the majority layout
    # a DD/MM value is not guessed at, an impossible day is not rolled over, an empty cell is listed too
    assert [b for b in parsed.bad if isinstance(b, str)] == ["15/01/2024", "someday", "2024-02-30"]
    assert len(parsed.bad) == 4
    assert parsed.dates.isna().tolist() == [False, True, True, True, True]


def test_rows_against_the_proven_order_are_bad():
    # 15/01 proves day-first twice; 01/13 cannot be day-first (month 13) and is reported, not silently swapped
    parsed = parse_dates(pd.Series(["15/01/2024", "22/01/2024", "01/13/2024"]))
    assert parsed.format == DAY_FIRST_LABEL and parsed.bad == ["01/13/2024"]


def test_numeric_dates_in_a_text_column_are_not_read_month_first():
    parsed = parse_dates(pd.Series(["8 Jan 2024", "15 Jan 2024", "08/01/2024"]))
    assert parsed.format == TEXT_LABEL and parsed.bad == ["08/01/2024"]


def test_datetime_columns_pass_through_with_index():
    s = pd.Series(WEEKS[:3], index=[10, 11, 12])
    parsed = parse_dates(s)
    assert parsed.format == NATIVE_LABEL and list(parsed.dates.index) == [10, 11, 12]
    assert np.array_equal(parsed.dates.to_numpy(), s.to_numpy())


def test_result_is_aligned_with_the_input_index():
    parsed = parse_dates(pd.Series(["15/01/2024", "08/01/2024"], index=[7, 3]))
    assert list(parsed.dates.index) == [7, 3] and parsed.dates[3] == pd.Timestamp(2024, 1, 8)
