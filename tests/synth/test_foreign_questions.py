"""core/eval/foreign.yml: every expected source is a file of the foreign world, and every required fact is what
the foreign files say, recomputed here from the exports as the catalog's reader reads them (never typed in)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePath

import pandas as pd
import pytest

from core.catalog.dates import parse_dates
from core.catalog.loading import parse_csv
from core.eval.questions import Question, load_questions
from core.synth.documents import documents
from core.synth.foreign import build_foreign

QUESTIONS = Path(__file__).resolve().parents[2] / "core" / "eval" / "foreign.yml"
MIN_QUESTIONS = 40

Tables = dict[str, pd.DataFrame]


def money(x: float) -> str:
    return f"£{x:,.0f}"


def count(x: float) -> str:
    return f"{x:,.0f}"


def mean(x: float) -> str:
    return f"{x:.2f}"


def year(df: pd.DataFrame, column: str) -> pd.Series:
    """The calendar year of each row, read the way the app reads the file's dates."""
    return parse_dates(df[column]).dates.dt.year


def where(df: pd.DataFrame, **equals: object) -> pd.DataFrame:
    """Rows whose columns (spaces as underscores in the keyword) hold the given values."""
    keep = pd.Series(True, index=df.index)
    for key, value in equals.items():
        keep &= df[key.replace("_", " ")] == value
    return df[keep]


def in_year(df: pd.DataFrame, column: str, y: int) -> pd.DataFrame:
    return df[year(df, column) == y]


META25, META24, GOOGLE = "Meta_Ads_Manager_2025.csv", "Meta_Ads_Manager_2024.csv", "Google Ads campaign report.csv"
TV, OOH, RADIO, PRESS, EVENTS = ("TV_Broadcast_Schedule.csv", "OOH_Panel_Bookings.csv", "Radio_Airtime_Bookings.csv",
                                 "Press_Insertions.csv", "Events_Programme.csv")
CRM, DRIVES, ORDERS = "CRM_Enquiries.csv", "Test_Drive_Bookings.csv", "Retail_Orders.csv"
MACRO = "Macro_Indicators_Weekly.csv"


def _google(t: Tables, network: str, y: int | None = None) -> pd.DataFrame:
    rows = where(t[GOOGLE], Network=network)
    return rows if y is None else in_year(rows, "Day", y)


def _event(t: Tables, name: str) -> pd.Series:
    return t[EVENTS].set_index("Event").loc[name]


# question id → the facts, from the foreign tables (file name → frame)
FACTS: dict[str, Callable[[Tables], list[str]]] = {
    "fd01": lambda t: [money(t[META25]["Amount spent (GBP)"].sum())],
    "fd02": lambda t: [money(t[META24]["Amount spent (GBP)"].sum())],
    "fd03": lambda t: [money(where(t[META25], Campaign_ID="META-25-AVATR12-LAUNCH")["Amount spent (GBP)"].sum())],
    "fd04": lambda t: [count(where(t[META25], Campaign_ID="META-25-S07-LAUNCH")["Link clicks"].sum())],
    "fd05": lambda t: [money(_google(t, "Google Search", 2025)["Cost"].sum())],
    "fd06": lambda t: [money(_google(t, "YouTube Videos", 2025)["Cost"].sum())],
    "fd07": lambda t: [count(_google(t, "YouTube Videos", 2025)["Video views"].sum())],
    "fd08": lambda t: [count(where(t[GOOGLE], Campaign_ID="GADS-25-S07-LAUNCH")["Clicks"].sum())],
    "fd09": lambda t: [money(t["DV360_Standard_Report_2025.csv"]["Media Cost (Advertiser Currency)"].sum())],
    "fd10": lambda t: [count(t["DV360_Standard_Report_2025.csv"]["Impressions"].sum())],
    "fd11": lambda t: [money(in_year(t["TikTok Ads by day.csv"], "By Day", 2025)["Cost"].sum())],
    "fd12": lambda t: [count(in_year(t["TikTok Ads by day.csv"], "By Day", 2025)["Video Views"].sum())],
    "fd13": lambda t: [money(in_year(t["LinkedIn_Campaign_Performance.csv"], "Start Date (in UTC)", 2025)
                             ["Total Spent"].sum())],
    "fd14": lambda t: [mean(t["LinkedIn_Campaign_Performance.csv"]["Average CPM"].mean())],
    "fd15": lambda t: [money(t[GOOGLE][t[GOOGLE]["Campaign ID"].str.startswith("GADS-25-S05")]["Cost"].sum())],
    "ft01": lambda t: [money(in_year(t[TV], "W/C", 2025)["Net Cost (£)"].sum())],
    "ft02": lambda t: [money(where(t[TV], Sales_House="ITV")["Net Cost (£)"].sum())],
    "ft03": lambda t: [money(where(t[TV], Platform="BVOD")["Net Cost (£)"].sum())],
    "ft04": lambda t: [f"{t[TV][t[TV]['Contract No.'] == 'ITV-2025-0418']['TVRs'].sum():,.1f}"],  # ratings keep a decimal
    "ft05": lambda t: [money(where(t[TV], Sales_House="Channel 4")["Net Cost (£)"].sum())],
    "ft06": lambda t: [money(in_year(t[OOH], "Week Beginning", 2025)["Media Cost"].sum())],
    "ft07": lambda t: [money(where(t[OOH], Media_Owner="JCDecaux")["Media Cost"].sum())],
    "ft08": lambda t: [money(where(t[OOH], Format="DOOH roadside")["Media Cost"].sum())],
    "ft09": lambda t: [money(in_year(t[RADIO], "Week", 2025)["Cost"].sum())],
    "ft10": lambda t: [money(where(t[RADIO], Radio_Group="Bauer")["Cost"].sum())],
    "ft11": lambda t: [count(where(t[RADIO], Station="Heart")["Spots"].sum())],
    "ft12": lambda t: [money(in_year(t[PRESS], "Insertion Date", 2025)["Cost"].sum())],
    "ft13": lambda t: [money(where(t[PRESS], Title="Autocar")["Cost"].sum())],
    "ft14": lambda t: [money(in_year(t[EVENTS], "Event Start", 2025)["Total Cost"].sum()),
                       count(in_year(t[EVENTS], "Event Start", 2025)["Leads Captured"].sum())],
    "ft15": lambda t: [str(_event(t, "Launch showcase Birmingham")["Venue"])],
    "ft16": lambda t: [money(_event(t, "Motor show stand Glasgow")["Total Cost"]),
                       count(_event(t, "Motor show stand Glasgow")["Attendees"])],
    "fs01": lambda t: [count(len(in_year(t[CRM], "Created On", 2025)))],
    "fs02": lambda t: [count(len(where(t[CRM], Model_of_Interest="DEEPAL S07")))],
    "fs03": lambda t: [count(len(where(t[CRM], Lead_Source="Event")))],
    "fs04": lambda t: [count(len(where(t[CRM], Enquiry_Type="Register Interest")))],
    "fs05": lambda t: [count(len(where(t[DRIVES], Outcome="Completed")))],
    "fs06": lambda t: [count(len(where(t[DRIVES], Outcome="No show")))],
    "fs07": lambda t: [count(len(where(t[ORDERS], Model="AVATR 12"))),
                       money(where(t[ORDERS], Model="AVATR 12")["Transaction Price"].sum())],
    "fs08": lambda t: [count(len(where(t[ORDERS], Finance_Type="PCP")))],
    "fs09": lambda t: [count(len(where(t[ORDERS], Model="DEEPAL S07")))],
    "fs10": lambda t: [count(where(t["Configurator_Builds_Daily.csv"], Model="AVATR 11")["Builds Started"].sum())],
    "fs11": lambda t: [count(t["GA4_Sessions_Daily.csv"].pipe(
        lambda d: d[d["Session default channel group"] == "Paid Social"])["Sessions"].sum())],
    "fs12": lambda t: [count(where(t["GA4_Sessions_Daily.csv"], Country="Germany")["Sessions"].sum())],
    "fs13": lambda t: [count(where(t["Dealer_SLA_Weekly.csv"], Region="London")["Leads Assigned"].sum())],
    "fx01": lambda t: [money(where(t["Competitor_Ad_Spend_Estimates.csv"], Brand="BYD")["Est. Spend (£)"].sum())],
    "fx02": lambda t: [mean(in_year(t[MACRO], "Week", 2025)["BoE Bank Rate (%)"].mean())],
    "fx03": lambda t: [mean(in_year(t[MACRO], "Week", 2024)["GfK Consumer Confidence"].mean())],
    "fx04": lambda t: [mean(in_year(t[MACRO], "Week", 2025)["BEV Share (%)"].mean())],
}


@pytest.fixture(scope="module")
def world():
    return build_foreign(42)


@pytest.fixture(scope="module")
def tables(world) -> Tables:
    """Every export as the app reads it: its bytes through the catalog's one CSV reader."""
    out = {}
    for e in world.exports:
        loaded = parse_csv(e.to_bytes(), PurePath(e.rel).name)
        assert loaded.error is None, loaded.error
        out[PurePath(e.rel).name] = loaded.df
    return out


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(QUESTIONS)


def test_at_least_forty_labelled_questions_with_unique_ids(questions):
    assert len(questions) >= MIN_QUESTIONS
    assert len({q.id for q in questions}) == len(questions)
    assert all(q.expected_sources for q in questions)
    assert sum(q.category == "assets" for q in questions) >= 10


def test_every_expected_source_is_a_file_of_the_foreign_world(questions, world):
    names = {PurePath(e.rel).name for e in world.exports} | {PurePath(h.rel).name for h in world.creatives}
    names |= {PurePath(rel).name for rel, _ in documents("foreign")}
    for q in questions:
        assert set(q.expected_sources) <= names, (q.id, q.expected_sources)


def test_unlisted_creatives_are_asked_about(questions, world):
    unlisted = {PurePath(h.rel).name for h in world.creatives if not h.listed}
    asked = {s for q in questions for s in q.expected_sources}
    assert len(unlisted & asked) >= 5


def test_every_required_fact_is_what_the_files_say(questions, tables):
    with_facts = [q for q in questions if q.required_facts]
    assert {q.id for q in with_facts} == set(FACTS)
    for q in with_facts:
        assert list(q.required_facts) == FACTS[q.id](tables), q.id


def test_a_changed_file_would_fail_the_check(questions, tables):
    # negative control: the facts come from the files, so one more pound in one row no longer matches the label
    meta = tables[META25].copy()
    meta.loc[meta.index[0], "Amount spent (GBP)"] += 1
    label = next(q for q in questions if q.id == "fd01").required_facts
    assert FACTS["fd01"](tables) == list(label) != FACTS["fd01"]({**tables, META25: meta})
