"""Computed table answers: small in-memory exports checked against pandas, declines, and the default world."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from core.agents import fmt
from core.agents.fmt import numbers_in, quotable
from core.agents.tables import Agg, Catalog, Op, TableStore, answer, request
from core.agents.tables_calendar import resolve
from core.agents.tables_periods import find_periods
from core.agents.tables_types import Grain
from core.agents.tools import Toolbox
from core.config import Settings

DEV = Path(__file__).parents[2] / "core" / "eval" / "table_dev.yml"


def _ads(prefix: str, rng: np.random.Generator) -> pd.DataFrame:
    """Two campaigns a day from 1 Aug to 31 Dec 2025, dates as text like an export."""
    days = pd.date_range("2025-08-01", "2025-12-31", freq="D")
    rows = []
    for d in days:
        for cid, name, model in ((f"{prefix}-25-S07-LAUNCH", "DEEPAL S07 launch", "DEEPAL S07"),
                                 (f"{prefix}-25-AVATR12-LAUNCH", "AVATR 12 launch", "AVATR 12")):
            impressions = int(rng.integers(10_000, 50_000))
            spend = round(float(rng.uniform(100, 900)), 2)
            rows.append({"date": d.strftime("%Y-%m-%d"), "campaign_id": cid, "campaign_name": name, "model": model,
                         "impressions": impressions, "clicks": int(impressions * 0.01), "spend": spend,
                         "cpm": round(1000 * spend / impressions, 2)})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    n = 400
    leads = pd.DataFrame({
        "lead_id": [f"L{i:05d}" for i in range(n)],
        "created_date": pd.date_range("2024-01-01", "2025-12-28", periods=n).strftime("%Y-%m-%d"),
        "source": rng.choice(["meta", "google", "direct", "referral"], n),
        "region": rng.choice(["London", "Wales", "Scotland"], n, p=[0.5, 0.2, 0.3]),
        "lead_type": rng.choice(["finance_quote", "register_interest"], n),
    })
    drives = pd.DataFrame({
        "test_drive_id": [f"TD{i:04d}" for i in range(60)],
        "dealer_id": rng.choice(["DLR001", "DLR002"], 60),
        "drive_date": pd.date_range("2025-09-01", "2025-12-20", periods=60).strftime("%Y-%m-%d"),
        "status": rng.choice(["completed", "cancelled", "no_show"], 60),
    })
    return {"meta_ads.csv": _ads("META", rng), "google_ads.csv": _ads("GADS", rng), "leads.csv": leads,
            "test_drives.csv": drives}


@pytest.fixture(scope="module")
def catalog(tables) -> Catalog:
    return Catalog.build(tables)


def ask(question: str, tables: dict[str, pd.DataFrame], catalog: Catalog):
    ans = answer(question, tables, catalog)
    assert ans is not None, question
    return ans


def dated(df: pd.DataFrame, col: str = "date") -> pd.Series:
    return pd.to_datetime(df[col])


def month(df: pd.DataFrame, year: int, mo: int, col: str = "date") -> pd.DataFrame:
    d = dated(df, col)
    return df[(d.dt.year == year) & (d.dt.month == mo)]


# ---- computations against pandas -------------------------------------------------------------------------------
def test_total_for_a_month_matches_pandas_and_cites_the_rows(tables, catalog):
    ans = ask("How much did we spend on Meta in September 2025?", tables, catalog)
    sep = month(tables["meta_ads.csv"], 2025, 9)
    assert ans.request.op is Op.TOTAL and ans.request.files == ("meta_ads.csv",)
    assert ans.values[0][1] == pytest.approx(sep.spend.sum())
    md = ans.markdown()
    assert fmt.money(sep.spend.sum()) in md
    assert f"Computed from meta_ads.csv: sum of spend where date in September 2025 ({len(sep)} rows)" in md


def test_compare_two_months_prints_both_and_the_change(tables, catalog):
    ans = ask("Meta spend in September 2025 compared with August", tables, catalog)
    aug, sep = month(tables["meta_ads.csv"], 2025, 8).spend.sum(), month(tables["meta_ads.csv"], 2025, 9).spend.sum()
    assert ans.request.op is Op.COMPARE
    assert [p.label for p in ans.request.periods] == ["September 2025", "August 2025"]  # August takes 2025
    md = ans.markdown()
    change = 100 * (sep - aug) / aug
    assert fmt.money(sep) in md and fmt.money(aug) in md
    assert fmt.pct(abs(change)) in ans.reading and ("Up" if change > 0 else "Down") in ans.reading


def test_year_is_shared_between_months_and_row_counts_compare(tables, catalog):
    ans = ask("leads in Oct vs Nov 2025", tables, catalog)
    leads = tables["leads.csv"]
    expected = [len(month(leads, 2025, m, "created_date")) for m in (10, 11)]
    assert ans.request.measures[0].agg is Agg.ROWS
    assert [v for _, v in ans.values] == expected


def test_top_n_groups_in_order(tables, catalog):
    ans = ask("top 2 regions by leads", tables, catalog)
    counts = tables["leads.csv"].region.value_counts()
    assert ans.request.op is Op.TOP_N and ans.request.n == 2 and ans.request.group_by == "region"
    assert ans.values == [(k, float(v)) for k, v in counts.head(2).items()]


def test_distinct_count_of_a_categorical_column(tables, catalog):
    ans = ask("how many campaigns have we run on Meta?", tables, catalog)
    assert ans.request.op is Op.DISTINCT_COUNT and ans.request.measure == "campaign_id"
    assert ans.values[0][1] == tables["meta_ads.csv"].campaign_id.nunique()


def test_max_over_months(tables, catalog):
    ans = ask("which month of 2025 had the most leads?", tables, catalog)
    d = dated(tables["leads.csv"], "created_date")
    per_month = d[d.dt.year == 2025].dt.month.value_counts()
    best = pd.Timestamp(2025, int(per_month.idxmax()), 1).strftime("%B %Y")
    assert ans.request.op is Op.MAX and f"**{best}**" in ans.sentence
    assert fmt.count(per_month.max()) in ans.sentence


def test_min_across_channel_files_uses_the_mean_of_a_rate(tables, catalog):
    ans = ask("cheapest CPM of all the digital channels?", tables, catalog)
    means = {"Meta": tables["meta_ads.csv"].cpm.mean(), "Google": tables["google_ads.csv"].cpm.mean()}
    lowest = min(means, key=means.__getitem__)
    assert ans.request.op is Op.MIN and set(ans.request.files) == {"meta_ads.csv", "google_ads.csv"}
    assert f"**{lowest}**" in ans.sentence and f"£{fmt.ratio(means[lowest])}" in ans.sentence


def test_filters_by_categorical_values_found_in_the_data(tables, catalog):
    drives = tables["test_drives.csv"]
    ans = ask("how many test drives got cancelled?", tables, catalog)
    assert ans.request.filters == {"status": ("cancelled",)}
    assert ans.values[0][1] == (drives.status == "cancelled").sum()
    meta = ask("Meta spend on the AVATR 12 launch campaign", tables, catalog)
    ads = tables["meta_ads.csv"]
    assert meta.request.filters == {"campaign_name": ("AVATR 12 launch",)}
    assert meta.values[0][1] == pytest.approx(ads[ads.campaign_name == "AVATR 12 launch"].spend.sum())
    quotes = ask("How many finance quote leads from London?", tables, catalog)
    leads = tables["leads.csv"]
    assert quotes.values[0][1] == ((leads.lead_type == "finance_quote") & (leads.region == "London")).sum()


def test_last_year_is_the_latest_full_year_and_says_so(tables, catalog):
    ans = ask("How many leads came from Meta last year?", tables, catalog)
    leads = tables["leads.csv"]
    d = dated(leads, "created_date")
    assert ans.request.periods[0].label == "2025"
    assert "latest full year" in ans.markdown()
    assert ans.values[0][1] == ((leads.source == "meta") & (d.dt.year == 2025)).sum()


def test_any_folder_of_exports_names_its_own_columns_and_values():
    """Nothing about the generated world: day-first dates, 'Amount Spent (GBP)', enquiries, showrooms, outcomes."""
    rng = np.random.default_rng(3)
    days = pd.date_range("2025-01-01", "2025-12-31")
    ads = pd.DataFrame({"Day": np.repeat(days.strftime("%d/%m/%Y"), 2), "Campaign": ["Spring Sale", "Brand"] * len(days),
                        "Amount Spent (GBP)": rng.uniform(10, 100, 2 * len(days)).round(2)})
    crm = pd.DataFrame({"Enquiry ID": [f"E{i}" for i in range(500)],
                        "Date Created": pd.date_range("2025-01-01", "2025-12-31", periods=500).strftime("%Y-%m-%d"),
                        "Channel": rng.choice(["Facebook", "Walk-in", "Phone"], 500),
                        "Showroom": rng.choice(["Leeds", "York", "Hull"], 500)})
    frames = {"facebook_campaigns.csv": ads, "crm_enquiries.csv": crm}
    spring = answer("Facebook spend for the Spring Sale campaign", frames)
    assert spring is not None and spring.request.files == ("facebook_campaigns.csv",)
    assert spring.values[0][1] == pytest.approx(ads[ads.Campaign == "Spring Sale"]["Amount Spent (GBP)"].sum())
    created = pd.to_datetime(crm["Date Created"])
    sept = answer("How many enquiries from Facebook in September 2025?", frames)
    assert sept is not None
    assert sept.values[0][1] == ((crm.Channel == "Facebook") & (created.dt.month == 9)).sum()
    busiest = answer("Which showroom had the most enquiries?", frames)
    assert busiest is not None and f"**{crm.Showroom.value_counts().idxmax()}**" in busiest.sentence
    march = answer("Facebook spend in March 2025", frames)  # 01/03/2025 is 1 March: the export is day-first
    day = pd.to_datetime(ads.Day, format="%d/%m/%Y")
    assert march is not None and march.values[0][1] == pytest.approx(ads[day.dt.month == 3]["Amount Spent (GBP)"].sum())


# ---- declines ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "What is the cancellation notice period for ITV bookings?", "What is the ROI of Meta?",
    "What happens to leads if we cut Meta spend by 20%?", "Show me AVATR 12 creatives on a coastal road",
    "What is the value of the Sky agreement?", "Hello there", "When was our first Meta campaign?",
])
def test_not_a_table_question_is_none(tables, catalog, question):
    assert answer(question, tables, catalog) is None


@pytest.mark.parametrize("question", [
    "How much did we spend in 2025?",  # Meta or Google: it does not say
    "Meta spend in London",  # meta_ads.csv has no region; leads.csv does
    "How many leads in September?",  # September 2024 or 2025?
    "How many leads not from Meta?",  # a negation we cannot filter by
    "How many leads yesterday?", "Meta spend in FY25",  # time words we do not date
    "Who had the most cancelled test drives?",  # a superlative over groups it does not name
    "How many leads did we lose?",  # an outcome no column holds
])
def test_ambiguous_or_unfilterable_is_none(tables, catalog, question):
    assert answer(question, tables, catalog) is None


def test_a_month_without_a_year_takes_the_only_one_in_the_data(tables, catalog):
    req = request("Meta spend in September", tables, catalog)  # the ads run Aug-Dec 2025 only
    assert req is not None and req.periods[0].label == "September 2025"
    assert "only one in the data" in req.periods[0].assumed


def test_two_columns_that_fit_a_word_equally_are_ambiguous():
    frames = {"vehicle_sales.csv": pd.DataFrame({
        "sale_id": ["S1", "S2", "S3"], "sale_date": ["2025-09-01", "2025-09-02", "2025-09-03"],
        "list_price": [30_000, 31_000, 32_000], "price_paid": [29_000, 31_000, 31_500]})}
    assert answer("What was the average price?", frames) is None
    ans = answer("What was the average price paid?", frames)
    assert ans is not None and ans.values[0][1] == pytest.approx(30_500)


# ---- the numbers a reply may quote ----------------------------------------------------------------------------------
@pytest.mark.parametrize("question", [
    "How much did we spend on Meta in September 2025?", "Meta spend in September 2025 compared with August",
    "top 2 regions by leads", "cheapest CPM of all the digital channels?", "which month of 2025 had the most leads?",
    "how many test drives got cancelled?", "Compare Meta and Google clicks in Q4 2025",
    "How did Meta perform in November 2025 vs October 2025?", "average daily Meta spend in October 2025",
])
def test_every_printed_number_is_in_the_result(tables, catalog, question):
    ans = ask(question, tables, catalog)
    assert numbers_in(ans.markdown()) - quotable([ans], extra_text=question) == set(), ans.markdown()


def test_periods_resolve_ranges_and_relative_words():
    end = pd.Timestamp("2025-12-28")
    none: set[int] = set()
    (rng,) = resolve(find_periods("leads from January to March 2025"), end, lambda g, i: none) or ()
    assert (rng.start, rng.end, rng.label) == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01"),
                                               "January 2025 to March 2025")
    (q4,) = resolve(find_periods("spend last quarter"), end, lambda g, i: none) or ()
    assert q4.label == "Q4 2025" and q4.assumed
    assert resolve(find_periods("spend in May"), end, lambda g, i: {2024, 2025}) is None  # which May?
    assert find_periods("What may we spend?").mentions == ()  # 'may' the verb
    (day,) = resolve(find_periods("leads on 15 September 2025"), end, lambda g, i: none) or ()
    assert (day.start, day.end) == (pd.Timestamp("2025-09-15"), pd.Timestamp("2025-09-16"))
    (last3,) = resolve(find_periods("leads in the last 3 months"), end, lambda g, i: none) or ()
    assert (last3.start, last3.end) == (pd.Timestamp("2025-10-01"), pd.Timestamp("2026-01-01")) and last3.assumed
    assert resolve(find_periods("leads on 31 February 2025"), end, lambda g, i: none) is None
    # a year that only dates the months inside it is no second period
    (summer,) = resolve(find_periods("over the summer of 2025, June to August"), end, lambda g, i: none) or ()
    assert summer.label == "June 2025 to August 2025"
    (sept,) = resolve(find_periods("Meta in September last year"), end, lambda g, i: {2024, 2025}) or ()
    assert sept.label == "September 2025"
    assert len(resolve(find_periods("September 2025 vs 2024"), end, lambda g, i: none) or ()) == 2


# ---- the Toolbox tool ------------------------------------------------------------------------------------------------
def test_toolbox_logs_the_call_and_loads_each_csv_once(tmp_path, tables, monkeypatch):
    settings = Settings(data_dir=tmp_path)
    settings.raw_dir.mkdir(parents=True)
    for name, df in tables.items():
        df.to_csv(settings.raw_dir / name, index=False)
    loads: list[Path] = []
    import core.agents.tables as tables_mod

    real = tables_mod.load_csv
    monkeypatch.setattr(tables_mod, "load_csv", lambda p: loads.append(p) or real(p))
    tools = Toolbox(settings)
    first = tools.table_query("How much did we spend on Meta in September 2025?")
    second = tools.table_query("What is the ROI of Meta?")
    assert first is not None and second is None
    assert [c.name for c in tools.calls] == ["table_query", "table_query"]
    assert tools.calls[0].args == {"question": "How much did we spend on Meta in September 2025?"}
    assert tools.calls[0].result is first
    assert sorted(p.name for p in loads) == sorted(tables)  # loaded once, for both questions


def test_toolbox_without_data_answers_none(tmp_path):
    tools = Toolbox(Settings(data_dir=tmp_path))
    assert tools.table_query("How much did we spend on Meta in 2025?") is None
    assert tools.calls[-1].name == "table_query"


# ---- the generated world ---------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_world_facts_from_the_dev_set(world_dir):
    store = TableStore(world_dir / "raw", (world_dir / "assets" / "asset_manifest.csv",))
    items = yaml.safe_load(DEV.read_text(encoding="utf-8"))["questions"]
    assert len([i for i in items if i["required_facts"]]) >= 60
    for item in items:
        ans = store.answer(item["question"])
        if not item["required_facts"]:
            assert ans is None, item["id"]
            continue
        assert ans is not None, item["id"]
        md = ans.markdown().replace("**", "")
        missing = [f for f in item["required_facts"] if f not in md]
        assert not missing, (item["id"], missing, md)


@pytest.mark.parametrize("text,label", [("Insta outlay Q4 25?", "Q4 2025"), ("TikTok conversions Q4 '25", "Q4 2025"),
                                        ("DV360 cost for the back half of 2025", "H2 2025"), ("H1 24 spend", "H1 2024")])
def test_terse_quarters_and_halves_are_dated(text, label):
    (period,) = resolve(find_periods(text), pd.Timestamp("2025-12-28"), lambda g, i: set()) or ()
    assert period.label == label


@pytest.mark.parametrize("text,label", [("avg rating nov 25", "November 2025"), ("spend dec-25", "December 2025"),
                                        ("sept '25 leads", "September 2025"), ("oct 24 vs", "October 2024")])
def test_a_chat_box_month_with_two_digit_year_is_that_month(text, label):
    (period,) = resolve(find_periods(text), pd.Timestamp("2025-12-28"), lambda g, i: set()) or ()
    assert period.label == label


def test_a_week_commencing_a_day_is_the_seven_days_from_it():
    (week,) = resolve(find_periods("leads week commencing 1 Sep 2025"), pd.Timestamp("2025-12-28"),
                      lambda g, i: set()) or ()
    assert (week.start, week.end, week.label) == (pd.Timestamp("2025-09-01"), pd.Timestamp("2025-09-08"),
                                                  "week commencing 1 September 2025")


def test_a_month_with_a_day_or_a_full_year_keeps_its_day():
    assert [(m.grain, m.day) for m in find_periods("leads on November 25").mentions] == [(Grain.DAY, 25)]
    assert [(m.grain, m.year, m.day) for m in find_periods("Nov 25, 2025").mentions] == [(Grain.DAY, 2025, 25)]


def test_a_value_written_in_the_plural_counts_its_rows(tables, catalog):
    drives = tables["test_drives.csv"]
    ans = ask("no shows in december 2025", tables, catalog)
    december = drives[(dated(drives, "drive_date").dt.month == 12) & (drives.status == "no_show")]
    assert ans.request.op is Op.COUNT_ROWS and ans.request.filters == {"status": ("no_show",)}
    assert ans.values[0][1] == len(december)


def test_the_mean_of_a_ratio_column_also_gives_the_ratio_pooled_over_its_rows(tables, catalog):
    ads = tables["meta_ads.csv"]
    ans = ask("What was the average CPM on Meta?", tables, catalog)
    pooled = 1000 * ads.spend.sum() / ads.impressions.sum()
    assert ans.values[0][1] == pytest.approx(ads.cpm.mean())
    assert f"Pooled over those rows (spend ÷ impressions): **£{pooled:.2f}**" in ans.reading, ans.reading


def test_segments_are_the_exports_names_for_parts_of_a_channel(catalog):
    assert catalog.segments_named("TV in Scotland vs London") == ["London", "Scotland"]
    assert catalog.segments_named("Meta for the avatr 12 launch") == ["AVATR 12 launch"]  # a name with a number
    assert catalog.segments_named("TV in scotland") == []  # a lower-case word may be an ordinary one
    assert catalog.segments_named("What is the ROI of Meta?") == []  # channels are not segments


def test_a_ratio_whose_first_part_no_file_reads_is_not_computed(tables, catalog):
    assert answer("average watch time per click on Meta in 2025", tables, catalog) is None
    ans = ask("total clicks per month on Meta in 2025", tables, catalog)
    assert ans.request.group_by == "month"


def test_a_time_of_day_is_not_a_period_the_exports_hold(tables, catalog):
    assert answer("What hour of the day do most leads come in?", tables, catalog) is None
    assert answer("leads by hour in 2025", tables, catalog) is None


def test_a_named_breakdown_beats_a_trend_word_and_a_percentage_is_no_year():
    assert find_periods("How did TikTok spend trend quarter by quarter in 2025?").grain is Grain.QUARTER
    assert find_periods("How did TikTok spend trend in 2025?").grain is Grain.MONTH
    assert [m.year for m in find_periods("Q2 25% of spend").mentions] == [None]


def test_analysts_words_for_places_channels_and_columns(tables, catalog):
    leads = tables["leads.csv"]
    year = dated(leads, "created_date").dt.year
    scots = ask("Scottish enquiries: 2024 against last year?", tables, catalog)  # Scottish = region Scotland
    assert [v for _, v in scots.values] == [((leads.region == "Scotland") & (year == y)).sum() for y in (2024, 2025)]
    # "drive" the verb is not test_drives.csv: Google leads are counted in leads.csv
    google = ask("How many enquiries did paid search drive in 2025?", tables, catalog)
    assert google.request.files == ("leads.csv",)
    assert google.values[0][1] == ((leads.source == "google") & (year == 2025)).sum()


def test_a_channel_value_reads_the_channels_slang_and_small_averages_keep_pence():
    spend = pd.DataFrame({"week_start": ["2025-01-06", "2025-01-06", "2025-02-03"],
                          "competitor": ["Tesla", "Tesla", "Kia"], "channel": ["tv", "ooh", "tv"],
                          "estimated_spend": [1000.0, 500.0, 700.0]})
    sales = pd.DataFrame({"sale_date": ["2025-09-01", "2025-09-02"], "model": ["S07", "S07"],
                          "discount": [400.5, 435.26], "price_paid": [30000, 31000]})
    frames = {"competitor_spend.csv": spend, "vehicle_sales.csv": sales}
    telly = answer("What's Tesla reckoned to have spent on telly in 2025?", frames)
    assert telly is not None and telly.values[0][1] == 1000.0 and telly.request.filters == {
        "competitor": ("Tesla",), "channel": ("tv",)}
    off = answer("What's the average money off per car sold?", frames)
    assert off is not None and "**£417.88**" in off.sentence


def test_our_spend_is_never_a_rivals_estimate():
    rivals = pd.DataFrame({"week_start": ["2025-08-04", "2025-08-04", "2025-09-01"],
                           "competitor": ["Kia", "Kia", "Tesla"], "channel": ["tv", "ooh", "tv"],
                           "estimated_spend": [9000.0, 4000.0, 7000.0]})
    tv = pd.DataFrame({"week_start": ["2025-08-04", "2025-09-01"], "broadcaster": ["ITV", "Sky"],
                       "spend": [1200.0, 800.0]})
    ooh = pd.DataFrame({"week_start": ["2025-08-04"], "vendor": ["JCDecaux"], "spend": [300.0]})
    frames = {"competitor_spend.csv": rivals, "tv_performance.csv": tv, "ooh_performance.csv": ooh}
    ours = answer("How much more did we spend on TV than on out-of-home in H2 2025?", frames)
    assert ours is not None and set(ours.request.files) == {"tv_performance.csv", "ooh_performance.csv"}
    assert [v for _, v in ours.values][:2] == [2000.0, 300.0]  # then their total
    # a rival named, or the file's own name, still reads the estimates
    kia = answer("What did Kia spend on TV in H2 2025?", frames)
    assert kia is not None and kia.request.files == ("competitor_spend.csv",) and kia.values[0][1] == 9000.0
    named = answer("What was our competitors' estimated spend on TV in H2 2025?", frames)
    assert named is not None and named.request.files == ("competitor_spend.csv",) and named.values[0][1] == 16000.0


def test_a_total_of_ratings_keeps_its_decimal():
    tv = pd.DataFrame({"week_start": ["2025-01-06", "2025-01-13", "2025-01-20"], "broadcaster": ["ITV"] * 3,
                       "tvr": [700.4, 650.5, 0.25], "spend": [1.0, 2.0, 3.0]})
    ans = answer("How many TVRs did ITV deliver in 2025?", {"tv_performance.csv": tv})
    assert ans is not None and "**1,351.2**" in ans.sentence, ans.sentence
    small = answer("How many TVRs did ITV deliver in January 2025?", {"tv_performance.csv": tv.iloc[2:]})
    assert small is not None and "**0.25**" in small.sentence, small.sentence


def test_everyday_words_for_an_exports_values(tables, catalog):
    drives = tables["test_drives.csv"]
    ans = ask("How many people failed to turn up for their test drive?", tables, catalog)
    assert ans.request.filters == {"status": ("no_show",)} and ans.values[0][1] == (drives.status == "no_show").sum()


def test_a_change_from_one_period_to_another_compares_them_and_over_a_year_is_a_period(tables, catalog):
    meta = tables["meta_ads.csv"]
    d = dated(meta)
    ans = ask("How did Meta spend change from September to October 2025?", tables, catalog)
    assert [v for _, v in ans.values] == pytest.approx([meta[(d.dt.month == m)].spend.sum() for m in (9, 10)])
    ranged = ask("Meta spend from September to October 2025", tables, catalog)  # no change asked: one range
    assert ranged.values[0][1] == pytest.approx(meta[d.dt.month.isin([9, 10])].spend.sum())
    trend = ask("Is Meta spend going up or down over 2025?", tables, catalog)  # "over 2025" is no threshold
    assert [v for _, v in trend.values] == pytest.approx(meta.groupby(d.dt.month).spend.sum().tolist())


def test_month_by_month_over_a_range_groups_the_range_and_yoy_compares_two_named_periods(tables, catalog):
    ans = ask("How did completed test drives go month by month from September to December 2025?", tables, catalog)
    drives = tables["test_drives.csv"]
    done = drives[drives.status == "completed"]
    assert ans.request.op is Op.BY_PERIOD and ans.request.group_by == "month"
    expected = dated(done, "drive_date").dt.month.value_counts().sort_index()
    assert [v for _, v in ans.values] == expected.tolist()
    ans = ask("Meta spend in Q4 2025 vs Q3 2025, how does it stack up YoY?", tables, catalog)
    assert ans.request.op is Op.COMPARE and [p.label for p in ans.request.periods] == ["Q4 2025", "Q3 2025"]


def test_a_header_acronym_answers_its_spelled_out_words():
    weeks = pd.date_range("2025-01-06", periods=10, freq="7D").strftime("%Y-%m-%d")
    econ = pd.DataFrame({"week_start": weeks, "petrol_price_ppl": np.linspace(130, 139, 10),
                         "consumer_confidence": np.linspace(-10, -1, 10)})
    tables = {"economic_indicators.csv": econ}
    ans = ask("What was the average petrol price in pence per litre across 2025?", tables, Catalog.build(tables))
    assert ans.request.measures[0].column == "petrol_price_ppl"
    assert ans.values[0][1] == pytest.approx(econ.petrol_price_ppl.mean())


def test_a_plan_is_not_answered_with_what_ran(tables, catalog):
    assert answer("What is the planned Meta budget for September 2025?", tables, catalog) is None


def test_when_a_measure_peaked_is_the_month_with_the_most(tables, catalog):
    meta = tables["meta_ads.csv"]
    months = meta.assign(month=pd.to_datetime(meta.date).dt.to_period("M")).groupby("month").clicks.sum()
    ans = ask("When did Meta clicks peak in 2025?", tables, catalog)
    assert ans.request.op is Op.MAX and f"**{months.idxmax():%B %Y}** ({months.max():,})" in ans.sentence, ans.sentence


def test_a_distinct_count_ignoring_blanks_is_the_distinct_count():
    leads = pd.DataFrame({"lead_id": ["L1", "L2", "L3", "L4"], "created_date": ["2025-01-02"] * 3 + ["2024-05-01"],
                          "campaign_id": ["META-1", None, "GADS-2", "TV-9"]})
    ans = answer("How many unique campaign IDs are on leads created in 2025, ignoring leads with no campaign?",
                 {"leads.csv": leads})
    assert ans is not None and ans.values[0][1] == 2, ans and ans.sentence


@pytest.mark.parametrize("flag", [("Y", "N"), ("True", "False")])
def test_a_yes_no_column_named_as_a_kind_of_row_keeps_the_yes_rows(flag):
    yes, no = flag
    sla = pd.DataFrame({"week_start": ["2025-01-06"] * 4, "dealer_name": ["A", "B", "C", "C"],
                        "launch_dealer": [yes, no, yes, yes], "leads_assigned": [5, 7, 11, 13]})
    ans = answer("How many launch dealers do we have?", {"sla_tracking.csv": sla})
    assert ans is not None and ans.values[0][1] == 2, ans and ans.sentence  # A and C
    split = answer("leads assigned by launch dealer in 2025", {"sla_tracking.csv": sla})
    assert split is not None and sorted(v for _, v in split.values)[:2] == [7, 29], split and split.sentence


def test_a_daypart_no_file_holds_is_not_answered_over_the_whole_day():
    tv = pd.DataFrame({"week_start": ["2025-01-06", "2025-02-03"], "broadcaster": ["ITV", "Sky"],
                       "spend": [1200.0, 800.0]})
    frames = {"tv_performance.csv": tv}
    assert answer("How much did we spend on TV in peak in 2025?", frames) is None
    assert answer("TV spend off-peak in 2025?", frames) is None
    peak = answer("What was the peak month for TV spend in 2025?", frames)  # 'peak' the adjective is the most
    assert peak is not None and "**January 2025**" in peak.sentence, peak and peak.sentence
    slots = frames | {"tv_spots.csv": pd.DataFrame({"week_start": ["2025-01-06", "2025-01-06"],
                                                     "daypart": ["Peak", "Off-peak"], "spots": [3, 9]})}
    held = answer("How many spots ran in peak in 2025?", slots)  # a daypart the data holds is a filter
    assert held is not None and held.request.filters == {"daypart": ("Peak",)} and "spots **3**" in held.sentence


def test_rows_with_no_id_are_named_by_their_date_and_a_biggest_month_ranks_months():
    prints = pd.DataFrame({"insertion_date": ["2025-01-11", "2025-01-25", "2025-02-08", "2024-12-07"],
                           "publication": ["Autocar", "What Car?", "Autocar", "Autocar"],
                           "spend": [900.0, 1500.0, 400.0, 700.0]})
    ans = answer("How many print insertions did we run in 2025?", {"print_performance.csv": prints})
    assert ans is not None and "Insertions in 2025: **3**" in ans.sentence, ans and ans.sentence
    top = answer("Which was our biggest month for print spend in 2025?", {"print_performance.csv": prints})
    assert top is not None and "**January 2025** (£2,400)" in top.sentence, top and top.sentence


def test_sept_is_a_month_not_a_word_the_data_lacks(tmp_path):
    from core.agents.grounding import unknown_terms
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "leads.csv").write_text("created_date,region\n2025-09-06,London\n")
    assert unknown_terms("How many leads came from London in Sept 2025?", tmp_path) == []


def test_a_rate_is_never_answered_with_a_total():
    yt = pd.DataFrame({"date": ["2025-10-01", "2025-11-01"], "impressions": [1000, 2000], "video_views": [300, 500],
                       "ctr": [0.01, 0.02]})
    frames = {"youtube_ads.csv": yt}
    assert answer("What video completion rate did our YouTube ads get in Q4 2025?", frames) is None
    assert answer("How many video views did YouTube get in Q4 2025?", frames).values[0][1] == 800
    ctr = answer("What was the YouTube click-through rate in Q4 2025?", frames)
    assert ctr is not None and ctr.request.measures[0].column == "ctr", ctr and ctr.sentence


def test_period_on_period_beside_one_period_compares_it_with_the_one_before(tables, catalog):
    leads = tables["leads.csv"]
    year = pd.to_datetime(leads.created_date).dt.year
    ans = ask("leads in 2025 yoy?", tables, catalog)
    assert [v for _, v in ans.values] == [(year == 2024).sum(), (year == 2025).sum()], ans.sentence
    assert "2024" in ans.sentence and "2025" in ans.sentence
    meta = tables["meta_ads.csv"]
    month = pd.to_datetime(meta.date).dt.to_period("M").astype(str)
    mom = ask("meta spend sep 25 mom", tables, catalog)
    assert [round(v, 2) for _, v in mom.values] == [round(meta.spend[month == m].sum(), 2) for m in ("2025-08", "2025-09")]
