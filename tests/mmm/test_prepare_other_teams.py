"""prepare on exports named the way other teams name them: 'spent' columns, 'Reporting starts/ends', a CRM
enquiries file as the KPI, a CSV whose name reads like a contract, money as formatted text."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.catalog.categories import Category, category_of
from core.catalog.loading import parse_csv
from core.mmm.data import MmmDataError
from core.mmm.prepare import prepare_frames
from core.mmm.prepare_detect import find_date_column, find_spend_column

DAYS = pd.date_range("2024-01-01", periods=28, freq="D")  # four Monday-weeks


def enquiries(per_day: int = 3) -> pd.DataFrame:
    """A CRM export: one row per enquiry, a day-first timestamp, no word 'lead' in its name or first column."""
    days = np.repeat(DAYS, per_day)
    return pd.DataFrame({"Enquiry ID": [f"E{i:05d}" for i in range(len(days))],
                         "Created On": days.strftime("%d/%m/%Y 09:30"), "Status": "New"})


def meta(amount: float = 100.0) -> pd.DataFrame:
    return pd.DataFrame({"Reporting starts": DAYS.strftime("%d/%m/%Y"), "Reporting ends": DAYS.strftime("%d/%m/%Y"),
                         "Amount spent (GBP)": amount, "CPC (cost per link click) (GBP)": 0.5})


def through_reader(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame as the app reads it back from CSV bytes."""
    loaded = parse_csv(df.to_csv(index=False).encode("utf-8"), name)
    assert loaded.error is None
    return loaded.df


@pytest.mark.parametrize("name", ["Amount spent (GBP)", "Total Spent", "spent"])
def test_spent_is_spend(name):
    df = pd.DataFrame({name: [1.0, 2.0], "Average CPC": [0.1, 0.2]})
    choice, _ = find_spend_column(df)
    assert choice is not None and choice.column == name


def test_reporting_starts_is_the_row_date_not_reporting_ends():
    df = pd.DataFrame({"Reporting ends": ["02/01/2024", "16/01/2024"], "Reporting starts": ["01/01/2024", "15/01/2024"]})
    choice = find_date_column(df)
    assert choice is not None and choice.column == "Reporting starts"


def test_a_crm_enquiries_file_the_catalog_cannot_place_is_the_kpi():
    assert category_of("CRM_Enquiries.csv") is Category.OTHER  # neither media nor pipeline by its name
    frames = {"Meta_Ads_Manager_2024.csv": meta(), "CRM_Enquiries.csv": enquiries()}
    table, mapping = prepare_frames(frames)
    assert mapping.kpi.file == "CRM_Enquiries.csv" and mapping.kpi.date_column == "Created On"
    assert table["leads"].tolist() == [21, 21, 21, 21]
    assert table["spend_meta"].tolist() == [700.0] * 4
    assert not mapping.skipped


def test_without_any_file_naming_leads_there_is_still_no_kpi():
    frames = {"Meta_Ads_Manager_2024.csv": meta(), "GA4_Sessions_Daily.csv": pd.DataFrame(
        {"Date": DAYS.strftime("%Y-%m-%d"), "Sessions": 10})}
    with pytest.raises(MmmDataError, match="no leads file"):
        prepare_frames(frames)


def test_a_csv_named_like_a_contract_is_judged_by_its_columns():
    weeks = DAYS[::7].strftime("%d.%m.%Y")
    radio = pd.DataFrame({"Week": weeks, "Station": "Heart", "Cost": [10.0, 20.0, 30.0, 40.0]})
    table, mapping = prepare_frames({"Radio_Airtime_Bookings.csv": radio, "CRM_Enquiries.csv": enquiries()})
    assert table["spend_radio"].tolist() == [10.0, 20.0, 30.0, 40.0]
    assert [m.file for m in mapping.media] == ["Radio_Airtime_Bookings.csv"]


def test_money_written_as_formatted_text_adds_up_to_the_penny():
    google = pd.DataFrame({"Day": DAYS.strftime("%d-%b-%Y"), "Network": ["Google Search", "YouTube Videos"] * 14,
                           "Cost": ["1,624.84", "944.68"] * 14})
    frames = {"Google Ads campaign report.csv": through_reader("g.csv", google), "CRM_Enquiries.csv": enquiries()}
    table, mapping = prepare_frames(frames)
    assert table["spend_google"].tolist() == [round(4 * 1624.84, 2) if i % 2 == 0 else round(3 * 1624.84, 2)
                                              for i in range(4)]
    assert table["spend_google"].sum() + table["spend_youtube"].sum() == pytest.approx(14 * (1624.84 + 944.68))
    assert mapping.media[0].channel_column == "Network"
