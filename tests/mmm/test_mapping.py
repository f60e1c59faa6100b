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
from core.mmm.pymc_example import simulate_pymc_example
from core.synth.world import build_tables

DEFAULT_WORLD_SEED = 42  # MIP_SEED's default: the world `make run` generates


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


# ---- guess by content: spend is what behaves like spend, not only what is named so ---------------------------

def test_guess_reads_the_pymc_example_by_content():
    table = simulate_pymc_example().table  # date_week,y,x1,x2,event_1,event_2,dayofyear,t: no name says spend
    assert guess(table) == ColumnMap("date_week", "y", ("x1", "x2"), ("event_1", "event_2", "t"))
    as_uploaded = pd.read_csv(io.StringIO(table.to_csv(index=False)))  # dates as text, as the page reads them
    assert guess(as_uploaded) == guess(table)


def test_guess_keeps_the_default_worlds_mapping():
    _, model_ready, _ = build_tables(DEFAULT_WORLD_SEED)  # the default world's model_ready.csv, without the files
    g = guess(pd.read_csv(io.StringIO(model_ready.to_csv(index=False))))
    assert g.date == "week_start" and g.kpi == "leads"
    assert g.spend == tuple(f"spend_{ch}" for ch in ("tv", "ooh", "youtube", "meta", "google", "dv360", "tiktok",
                                                      "linkedin", "print", "radio", "events"))
    # a competitor's spend drives leads but is not ours to allocate: a control, not a channel
    assert g.controls == ("seasonality", "consumer_confidence", "bank_rate", "competitor_spend", "test_drives",
                          "units_sold", "revenue")


def _unnamed(weeks: int = 104) -> pd.DataFrame:
    """Columns whose names say nothing: only their values tell spend from drivers."""
    rng = np.random.default_rng(3)
    dates = pd.date_range("2023-01-02", periods=weeks, freq="7D")
    flighted = np.where(rng.random(weeks) < 0.4, 0.0, rng.uniform(2e4, 8e4, weeks))
    return pd.DataFrame({
        "when": dates.strftime("%Y-%m-%d"), "y": rng.poisson(400, weeks).astype(float),
        "a": flighted,  # dark 40% of weeks
        "b": rng.gamma(1.2, 5e3, weeks),  # always on, std/mean ≈ 0.9
        "c": rng.uniform(2e3, 8e3, weeks),  # always on, std/mean ≈ 0.35, but far above the KPI's level (money)
        "d": rng.normal(12, 4, weeks).clip(0.5),  # temperature-like: small, steady
        "e": rng.normal(0, 1, weeks),  # negative values: never spend
        "f": (rng.random(weeks) < 0.05).astype(float),  # 0/1 flag
        "g": np.arange(weeks, dtype=float) * 0.5 + 3,  # a trend
        "h": dates.isocalendar().week.to_numpy().astype(float),  # the week number again
        "i": dates.month.to_numpy().astype(float),  # the month again
        "k": np.full(weeks, 7.0),  # constant
    })


def test_guess_tells_spend_from_drivers_by_their_values():
    g = guess(_unnamed())
    assert g.date == "when" and g.kpi == "y"
    assert g.spend == ("a", "b", "c")
    assert g.controls == ("d", "e", "f", "g")  # calendar copies and constants are left out


def test_names_still_help_either_way():
    df = _unnamed().rename(columns={"d": "search_cost", "c": "competitor_cost", "b": "avg_price"})
    g = guess(df)
    assert "search_cost" in g.spend  # named spend, however steady
    assert "competitor_cost" not in g.spend and "competitor_cost" in g.controls
    assert "avg_price" not in g.spend and "avg_price" in g.controls  # a price varies like spend but is a driver


def test_a_kpi_without_a_kpi_name_is_the_steady_column_not_the_bursty_one():
    df = _unnamed()[["when", "a", "b", "y"]].rename(columns={"y": "signups_total"})
    assert guess(df).kpi == "signups_total" and guess(df).spend == ("a", "b")


def test_a_date_column_is_found_by_its_values():
    df = _unnamed().rename(columns={"when": "start"})[["y", "start", "a"]]
    assert guess(df).date == "start"


def test_a_fractional_number_column_is_not_read_as_dates():
    df = _user_table()
    with pytest.raises(MmmDataError, match=r"date column 'Temperature' holds numbers \(e.g. .*\), not dates"):
        apply(df, ColumnMap("Temperature", "Sales", ("TV Spend (£)",)))
