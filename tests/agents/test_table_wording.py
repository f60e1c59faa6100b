"""Table questions in an analyst's full sentences: a step back from a named period, which way a series went,
averages kept as averages, rankings of periods, filters held to one value, and wording that must not be computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.agents import fmt
from core.agents.tables import Catalog, Op, answer
from tests.agents.test_tables import ask


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(11)
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    n = 1500
    leads = pd.DataFrame({
        "lead_id": [f"L{i:05d}" for i in range(n)],
        "created_date": pd.to_datetime(rng.choice(days, n)).strftime("%Y-%m-%d"),
        "region": rng.choice(["London", "Wales"], n),
        "lead_type": rng.choice(["finance_quote", "brochure_request"], n),
        "status": rng.choice(["contacted", "sold"], n, p=[0.9, 0.1]),
    })
    meta = pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "spend": rng.uniform(100, 900, len(days)).round(2),
                         "clicks": rng.integers(50, 500, len(days))})
    sales = pd.DataFrame({
        "sale_id": [f"S{i:04d}" for i in range(300)],
        "sale_date": pd.date_range("2025-07-01", "2025-12-28", periods=300).strftime("%Y-%m-%d"),
        "model": rng.choice(["AVATR 11", "DEEPAL S07"], 300),
        "list_price": 40_000.0, "discount": rng.choice([0.0, 500.0, 1000.0], 300),
    })
    sales["price_paid"] = sales.list_price - sales.discount
    weeks = pd.date_range("2025-01-06", "2025-12-29", freq="7D")
    tv = pd.DataFrame({"week_start": np.repeat(weeks.strftime("%Y-%m-%d"), 2),
                       "broadcaster": np.tile(["ITV", "Sky"], len(weeks)),
                       "spend": rng.uniform(10_000, 90_000, 2 * len(weeks)).round(2)})
    events = pd.DataFrame({"event_id": ["E1", "E2", "E3"], "event_name": ["Expo Leeds", "Drive day Bath", "Show York"],
                           "start_date": ["2025-03-01", "2025-06-01", "2025-09-01"], "attendees": [900, 2500, 1700]})
    web = pd.DataFrame({"date": np.tile(days.strftime("%Y-%m-%d"), 2), "market": np.repeat(["GB", "DE"], len(days)),
                        "sessions": rng.integers(1000, 9000, 2 * len(days))})
    return {"leads.csv": leads, "meta_ads.csv": meta, "vehicle_sales.csv": sales, "tv_performance.csv": tv,
            "events.csv": events, "website_analytics.csv": web}


@pytest.fixture(scope="module")
def catalog(tables) -> Catalog:
    return Catalog.build(tables)


def in_month(df: pd.DataFrame, col: str, year: int, month: int) -> pd.DataFrame:
    d = pd.to_datetime(df[col])
    return df[(d.dt.year == year) & (d.dt.month == month)]


def test_the_month_before_a_named_month_is_the_one_before_it_and_the_change_is_given_in_pounds(tables, catalog):
    ans = ask("Was our Meta spend in December 2025 up or down on the month before, and by how much?", tables, catalog)
    meta = tables["meta_ads.csv"]
    dec, nov = (in_month(meta, "date", 2025, m).spend.sum() for m in (12, 11))
    assert ans.request.op is Op.COMPARE
    assert [p.label for p in ans.request.periods] == ["December 2025", "November 2025"]
    assert f"({fmt.money(abs(dec - nov))}) from November 2025 to December 2025" in ans.reading


@pytest.mark.parametrize(("question", "labels"), [
    ("How did Q4 2025 leads compare with the previous quarter?", ["Q4 2025", "Q3 2025"]),
    ("leads in Q1 2025 against the quarter before", ["Q1 2025", "Q4 2024"]),
    ("leads in Q3 2025 vs the year before", ["Q3 2025", "Q3 2024"]),
    ("leads in January 2025 vs the prior month", ["January 2025", "December 2024"]),
])
def test_a_step_back_is_taken_from_the_period_named_before_it(tables, catalog, question, labels):
    assert [p.label for p in ask(question, tables, catalog).request.periods] == labels


def test_rising_or_falling_is_answered_month_by_month_with_the_way_it_went(tables, catalog):
    ans = ask("Are our monthly lead volumes rising or falling through 2025?", tables, catalog)
    leads = tables["leads.csv"]
    jan, dec = (len(in_month(leads, "created_date", 2025, m)) for m in (1, 12))
    assert ans.request.op is Op.BY_PERIOD and ans.request.group_by == "month"
    way = "up" if dec > jan else "down"
    assert ans.reading.startswith(f"From January 2025 ({fmt.count(jan)}) to December 2025 ({fmt.count(dec)}): {way}")


def test_an_average_stays_an_average_when_grouped_or_compared(tables, catalog):
    sales = tables["vehicle_sales.csv"]
    by_model = ask("average discount by model", tables, catalog)
    assert dict(by_model.values) == pytest.approx(sales.groupby("model").discount.mean().to_dict())
    q = ask("What was the average price paid in Q3 2025 compared with Q4 2025?", tables, catalog)
    quarter = pd.to_datetime(sales.sale_date).dt.quarter
    assert [v for _, v in q.values] == pytest.approx([sales[quarter == 3].price_paid.mean(),
                                                      sales[quarter == 4].price_paid.mean()])


def test_a_country_name_finds_its_code_and_a_column_held_to_one_value_is_no_breakdown(tables, catalog):
    ans = ask("Which month of 2025 saw the most website sessions in the UK market, and how many?", tables, catalog)
    web = tables["website_analytics.csv"]
    gb = web[(web.market == "GB") & web.date.str.startswith("2025")]
    by_month = gb.groupby(gb.date.str[:7]).sessions.sum()
    assert ans.request.filters == {"market": ("GB",)} and ans.request.group_by == "month"
    assert ans.request.op is Op.MAX and max(v for _, v in ans.values) == by_month.max()


def test_the_three_biggest_weeks_rank_weeks_summed_over_their_rows(tables, catalog):
    ans = ask("What were our three biggest TV spend weeks in 2025, and how much went out in each?", tables, catalog)
    weekly = tables["tv_performance.csv"].groupby("week_start").spend.sum().sort_values(ascending=False)
    assert ans.request.op is Op.TOP_N and ans.request.n == 3 and ans.request.group_by == "week"
    assert [v for _, v in ans.values] == pytest.approx(weekly.head(3).tolist())


def test_a_crowd_is_its_attendees_and_people_who_went_on_to_buy_are_sold_leads(tables, catalog):
    crowd = ask("Which of our events drew the biggest crowd, and how many people attended?", tables, catalog)
    assert crowd.request.measures[0].column == "attendees" and max(v for _, v in crowd.values) == 2500
    bought = ask("Of the people who came in through finance quotes in 2025, how many went on to buy a car?",
                 tables, catalog)
    leads = tables["leads.csv"]
    expected = ((leads.lead_type == "finance_quote") & (leads.status == "sold")
                & leads.created_date.str.startswith("2025")).sum()
    assert bought.request.filters == {"lead_type": ("finance_quote",), "status": ("sold",)}
    assert bought.values[0][1] == expected


@pytest.mark.parametrize(("question", "column", "expected"), [
    ("How many car models did we sell?", "model", 2),  # the last noun of the phrase is what is counted
    ("How many lead types are there?", "lead_type", 2),
    ("How many TV stations did we buy in 2025?", "broadcaster", 2),  # a station is a TV file's broadcaster
])
def test_how_many_counts_the_head_noun_of_its_phrase(tables, catalog, question, column, expected):
    ans = ask(question, tables, catalog)
    assert ans.request.op is Op.DISTINCT_COUNT and ans.request.measure == column and ans.values[0][1] == expected


@pytest.mark.parametrize("question", [
    "How many cars did we sell with no discount at all in Q4 2025?",  # a filter by absence we do not compute
    "How was our 2025 TV spend split between peak and off-peak dayparts?",  # 'peak' here asks for no maximum
])
def test_wording_we_cannot_compute_is_not_answered_with_another_number(tables, catalog, question):
    assert answer(question, tables, catalog) is None



def test_an_ordinal_alone_names_no_measure():
    crm = pd.DataFrame({"Enquiry ID": ["E1", "E2"], "Created On": ["2025-03-01", "2025-04-01"],
                        "Model of Interest": ["DEEPAL S07", "DEEPAL S07"], "First Response (hrs)": [3.5, 7.0]})
    tables = {"CRM_Enquiries.csv": crm}
    question = "How many milestones have we got for the S07 this year, and when's the first one?"
    assert answer(question, tables, Catalog.build(tables)) is None  # not a sum of First Response (hrs)
    hours = ask("average first response hours for the S07", tables, Catalog.build(tables))
    assert hours.values[0][1] == pytest.approx(5.25)


def test_an_average_per_row_is_a_mean_over_rows_and_per_group_a_mean_of_group_totals(tables, catalog):
    events, leads = tables["events.csv"], tables["leads.csv"]
    per_event = ask("What was our average footfall per event in 2025?", tables, catalog)
    assert per_event.request.op is Op.AVERAGE and per_event.request.group_by is None
    assert per_event.values[0][1] == pytest.approx(events.attendees.mean())
    per_region = ask("average leads per region in 2025", tables, catalog)
    in_2025 = leads[leads.created_date.str.startswith("2025")]
    assert per_region.request.op is Op.AVERAGE and per_region.request.group_by == "region"
    assert per_region.values[0][1] == pytest.approx(len(in_2025) / in_2025.region.nunique())
    assert "over 2 regions" in per_region.markdown()


def test_a_price_paid_in_other_words_is_the_price_paid_column(tables, catalog):
    sales = tables["vehicle_sales.csv"]
    for question in ("Lowest transaction price we've seen on an AVATR 11?",
                     "What's the lowest price customers actually paid for an AVATR 11?"):
        ans = ask(question, tables, catalog)
        assert ans.request.measures[0].column == "price_paid", question
        assert ans.values[0][1] == sales[sales.model == "AVATR 11"].price_paid.min()


def test_a_share_with_two_filters_is_also_given_among_the_rows_of_each_one_alone(tables, catalog):
    leads = tables["leads.csv"]
    ans = ask("How many sold leads did London get in 2025?", tables, catalog)
    in_2025 = leads[leads.created_date.str.startswith("2025")]
    london, sold = in_2025[in_2025.region == "London"], in_2025[in_2025.status == "sold"]
    both = london[london.status == "sold"]
    text = ans.markdown()
    assert fmt.pct(100 * len(both) / len(london)) in text and fmt.pct(100 * len(both) / len(sold)) in text
    assert fmt.pct(100 * len(both) / len(in_2025)) in text


def test_a_country_name_finds_a_european_market_code(tables, catalog):
    web = tables["website_analytics.csv"]
    ans = ask("Site sessions from Germany in 2025?", tables, catalog)
    assert ans.request.filters == {"market": ("DE",)}
    assert ans.values[0][1] == web[(web.market == "DE") & web.date.str.startswith("2025")].sessions.sum()
