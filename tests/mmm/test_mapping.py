"""A user's weekly CSV mapped onto the model layout, with clear refusals."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from core.catalog.dates import DAY_FIRST_LABEL, ISO_LABEL, MONTH_FIRST_LABEL
from core.mmm import load_weekly
from core.mmm.data import MmmDataError
from core.mmm.mapping import ColumnMap, apply, apply_with_report, channel_key, guess, save


def _user_table(weeks: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"Week": pd.date_range("2024-01-01", periods=weeks, freq="7D").strftime("%d/%m/%Y"),
                         "TV Spend (£)": rng.uniform(0, 5e4, weeks), "Search cost": rng.uniform(1e3, 9e3, weeks),
                         "Temperature": rng.normal(12, 5, weeks), "Sales": rng.poisson(300, weeks)})


def test_channel_keys():
    assert channel_key("TV Spend (£)") == "tv" and channel_key("spend_meta") == "meta"
    assert channel_key("Search cost") == "search"


def test_guess_then_apply_gives_a_loadable_table(tmp_path):
    df = _user_table()
    g = guess(df)
    assert g == ColumnMap("Week", "Sales", ("TV Spend (£)", "Search cost"), ("Temperature",))
    mapped = apply(df, g)
    assert list(mapped.columns) == ["week_start", "spend_tv", "spend_search", "temperature", "kpi"]
    data = load_weekly(mapped, target="kpi")
    assert list(data.channels) == ["tv", "search"]
    path = save(mapped, tmp_path)
    assert path == save(mapped, tmp_path) and path.read_text().startswith("week_start,")


@pytest.mark.parametrize("cmap,message", [
    (ColumnMap("Week", "Sales", ()), "at least one spend column"),
    (ColumnMap("Week", "Sales", ("Nope",)), "not in the file: Nope"),
    (ColumnMap("Week", "TV Spend (£)", ("TV Spend (£)",)), "cannot also be spend"),
])
def test_bad_mappings_are_refused(cmap, message):
    with pytest.raises(MmmDataError, match=message):
        apply(_user_table(), cmap)


def test_too_few_weeks_and_negative_spend_are_refused():
    with pytest.raises(MmmDataError, match="weeks"):
        apply(_user_table(10), guess(_user_table(10)))
    df = _user_table()
    df.loc[3, "TV Spend (£)"] = -1
    with pytest.raises(MmmDataError, match="negative"):
        apply(df, guess(df))


def _upload(dates: list[str]) -> pd.DataFrame:
    """A user upload as the page reads it: CSV bytes through pandas (so the date column arrives as text)."""
    rng = np.random.default_rng(1)
    n = len(dates)
    df = pd.DataFrame({"Week": dates, "TV Spend (£)": rng.uniform(0, 5e4, n), "Search cost": rng.uniform(1e3, 9e3, n),
                       "Sales": rng.poisson(300, n)})
    return pd.read_csv(io.StringIO(df.to_csv(index=False)))


def test_iso_upload_keeps_every_week_where_it_was():
    # The probe: the old day-first "mixed" parse turned 2024-01-08 into 1 August and moved 36 of 104 weeks.
    weeks = pd.date_range("2024-01-01", periods=104, freq="7D").strftime("%Y-%m-%d")
    result = apply_with_report(_upload(list(weeks)), guess(_upload(list(weeks))))
    assert result.date_format == ISO_LABEL
    assert list(result.table.week_start) == list(weeks)
    assert result.table.week_start[1] == "2024-01-08"
    assert list(apply(_upload(list(weeks)), guess(_upload(list(weeks)))).week_start) == list(weeks)  # page's call


def test_day_first_upload_reads_right():
    weeks = pd.date_range("2024-01-01", periods=60, freq="7D")
    raw = _upload(list(weeks.strftime("%d/%m/%Y")))
    assert raw.Week[2] == "15/01/2024"
    result = apply_with_report(raw, guess(raw))
    assert result.date_format == DAY_FIRST_LABEL
    assert list(result.table.week_start) == list(weeks.strftime("%Y-%m-%d"))


def test_month_first_upload_reads_right():
    weeks = pd.date_range("2024-01-01", periods=60, freq="7D")
    raw = _upload(list(weeks.strftime("%m/%d/%Y")))
    result = apply_with_report(raw, guess(raw))
    assert result.date_format == MONTH_FIRST_LABEL and result.table.week_start[1] == "2024-01-08"


def test_ambiguous_upload_says_the_order_was_assumed():
    raw = _upload(["01/01/2024", "08/01/2024"])  # no day above 12: either order is possible
    with pytest.raises(MmmDataError, match=r"only 2 weeks.*day-first \(assumed: no day above 12\)"):
        apply(raw, guess(raw))


def test_duplicate_headers_are_refused_not_modelled_as_a_second_channel():
    text = _user_table().to_csv(index=False).replace("TV Spend (£),Search cost", "spend_tv,spend_tv", 1)
    raw = pd.read_csv(io.StringIO(text))  # the page reads uploads with pandas
    assert "spend_tv.1" in raw.columns  # what pandas makes of them
    with pytest.raises(MmmDataError, match="two columns named 'spend_tv'"):
        apply(raw, guess(raw))
    with pytest.raises(MmmDataError, match="two columns named 'spend_tv'"):  # even choosing only the first
        apply(raw, ColumnMap("Week", "Sales", ("spend_tv",)))
    twice = pd.concat([_user_table(), _user_table()[["Sales"]]], axis=1)  # a frame with a real repeated name
    with pytest.raises(MmmDataError, match="two columns named 'Sales'"):
        apply(twice, ColumnMap("Week", "Sales", ("TV Spend (£)",)))


def test_a_dotted_name_without_a_twin_is_not_a_duplicate():
    df = _user_table().rename(columns={"Search cost": "cost v2.1"})
    assert list(apply(df, guess(df)).columns) == ["week_start", "spend_tv", "spend_v2_1", "temperature", "kpi"]
