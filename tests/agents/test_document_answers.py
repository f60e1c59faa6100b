"""Document answers: the clause of the document the question names, and exports split into files by year."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.agents import fmt, mmm_analyst, offline, rag_analyst
from core.agents.entities import extract
from core.agents.grounding import (
    asks_about_the_future,
    missing_names,
    named_documents,
    names_in,
    nouns_a_file_lacks,
    numbered_names,
    wanted_answer,
)
from core.agents.highlight import best_sentence, idiom_meanings, query_terms, units
from core.agents.rag_analyst import keywords, part_answers, wants_creatives
from core.agents.router import Route
from core.agents.tables import answer
from core.agents.tools import Toolbox
from core.agents.types import Draft, Intent
from core.config import Settings
from core.rag.types import Hit
from tests.fakes import FakeIndex, FixedSearch


def _section(i: str, title: str, section: str, body: str) -> Hit:
    return Hit(i, 0.5, f"{title}\n## {section}\n{body}",
               {"kind": "section", "title": title, "section": section, "source_file": f"{i}.pdf"})


def test_the_passage_of_the_document_the_question_names_wins():
    sky = _section("sky", "Addendum A1: Sky BVOD", "2.1 Interpretation",
                   '"Term" means the period from 5 May 2025 to 31 December 2025;')
    c4 = _section("c4", "Channel 4 Partnership Agreement", "3.1 Particulars",
                  "3.1 The agreement runs from 1 September 2025 to 28 February 2026.")
    best = best_sentence("When does the Channel 4 partnership end?", [sky, c4])
    assert best is not None and "28 February 2026" in best.text


def test_who_signed_for_a_party_is_the_signature_line_naming_it():
    itv = _section("itv", "ITV Airtime Sales Agreement", "Execution",
                   "Signed for and on behalf of DEEPAL UK Ltd by Laura Bennett, Marketing Director, on 12 June 2025.\n"
                   "Signed for and on behalf of ITV Media Sales (ITV plc) by Helen Marsh, Director of Agency Sales, "
                   "on 12 June 2025.")
    best = best_sentence("Who signed the ITV airtime deal on ITV's side?", [itv])
    assert best is not None and "Helen Marsh" in best.text, best
    sky = _section("sky", "Sky Media Airtime Contract", "7.1 Invoicing and settlement",
                   "7.1 Invoices are settled as follows: Quarterly in advance, 30 days from invoice.\n"
                   "7.2 The reference SKY-MS-2025-117 must appear on every invoice.")
    best = best_sentence("What are the invoicing terms on the Sky deal?", [sky])  # the title's name covers 7.1
    assert best is not None and "Quarterly in advance" in best.text, best


def test_a_question_names_a_document_by_a_word_only_its_title_uses(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "2025_UK_Media_Flowchart.md").write_text("# 2025 UK Media Flowchart\n\nJuly total: £1,955,299.\n")
    pd.DataFrame({"week": ["2025-07-07"], "channel": ["OOH"], "media cost": [1000]}).to_csv(raw / "ooh.csv",
                                                                                          index=False)
    assert named_documents("What is the total planned spend in July 2025 in the media flowchart?",
                           tmp_path) == ["2025_UK_Media_Flowchart.md"]
    assert named_documents("What was the OOH media cost in July 2025?", tmp_path) == []


def _report(year: int, rng: np.random.Generator) -> pd.DataFrame:
    dates = pd.date_range(f"{year}-01-06", periods=20, freq="7D")
    return pd.DataFrame({"Date": dates.strftime("%Y-%m-%d"), "Insertion Order": "brand",
                         "Impressions": rng.integers(1_000, 9_000, 20),
                         "Media Cost": rng.integers(100, 900, 20).astype(float)})


def test_an_export_split_by_year_answers_from_the_file_of_the_asked_year():
    rng = np.random.default_rng(3)
    tables = {"DV360_Report_2024.csv": _report(2024, rng), "DV360_Report_2025.csv": _report(2025, rng)}
    for year in (2024, 2025):
        got = answer(f"What did DV360 media cost in {year}?", tables)
        assert got is not None
        assert [c.file for c in got.computations] == [f"DV360_Report_{year}.csv"]
        assert fmt.money(tables[f"DV360_Report_{year}.csv"]["Media Cost"].sum()) in got.sentence
    assert answer("What did DV360 media cost?", tables) is None  # no year: still a tie between the two files


def test_a_word_pair_of_a_title_names_a_document_but_a_csv_header_pair_does_not(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "price_list.md").write_text("# UK Price List\n\n| Model | From |\n|---|---|\n| AVATR 12 | £54,990 |\n")
    pd.DataFrame({"model": ["AVATR 12"], "list_price": [59_170]}).to_csv(raw / "vehicle_sales.csv", index=False)
    assert named_documents("What is the starting price of the AVATR 12 on the UK price list?",
                           tmp_path) == ["price_list.md"]
    assert named_documents("What was the average list price of AVATR 12 sales?", tmp_path) == []


def test_a_question_for_a_name_or_what_something_includes_is_not_computed():
    rng = np.random.default_rng(5)
    tables = {"DV360_Report_2025.csv": _report(2025, rng)}
    assert answer("What is the name of the insertion order with the most impressions?", tables) is None
    assert answer("What does the media cost include?", tables) is None


def test_a_question_routed_to_the_model_that_names_a_document_is_answered_from_documents(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "media_plan_2025.md").write_text("# Media Plan 2025\n\n| Channel | Dec |\n|---|---|\n| Meta | £369,352 |\n")
    monkeypatch.setattr(rag_analyst, "answer", lambda q, tools: Draft("documents"))
    monkeypatch.setattr(mmm_analyst, "answer", lambda q, tools: Draft("model"))
    tools = Toolbox(Settings.from_env({}, data_dir=tmp_path, index_dir=tmp_path / "index"))
    question = "How much Meta budget is planned for December in the media plan?"
    assert offline.answer(question, Route(Intent.MMM, 0.9), tools).text == "documents"
    assert offline.answer("How much Meta budget should we plan?", Route(Intent.MMM, 0.9), tools).text == "model"
    # the MMM page's box asks the model on purpose
    assert offline.answer(question, Route(Intent.MMM, 1.0, source="override"), tools).text == "model"


def test_a_planned_date_is_no_forecast_but_a_quantity_to_come_is():
    assert not asks_about_the_future("When will the AVATR 11 go on sale?")
    assert not asks_about_the_future("From when will the S05 be on show at dealers?")
    assert asks_about_the_future("When will petrol prices fall?")
    assert asks_about_the_future("What will petrol prices be next summer?")
    # "next year's media plan" names a document a contract sets a deadline for
    assert not asks_about_the_future("By when does the agency have to get next year's media plan to us?")
    assert asks_about_the_future("How much do we spend on TV next year?")


def test_a_deadline_for_artwork_asks_a_contract_not_the_creatives():
    question = "How far ahead of each posting cycle does JCDecaux need our artwork?"
    assert wanted_answer(question) is not None and wanted_answer(question)[1] == "a duration"
    assert not wants_creatives(question, extract(question))
    assert wants_creatives("Show me the artwork for the S07 launch", extract("Show me the artwork for the S07 launch"))
    early = "Can we swap creative mid-campaign, and how early does copy need to be with Clear Channel?"
    wanted = wanted_answer(early)
    assert wanted is not None and wanted[1] == "a duration" and not wants_creatives(early, extract(early))
    assert wanted[0].search("Content is supplied at least five Business Days before going live")  # a word number


def test_a_table_header_is_never_the_quoted_answer():
    hit = _section("c4", "Channel 4 Partnership Agreement", "Annex 1 › Deliverables",
                   "Deliverable | Measure | Target\nAdult TVRs | BARB consolidated | 1,100 across the term\n"
                   "'Grand Designs' sponsorship idents | on air | every episode")
    assert "Deliverable | Measure | Target" not in units(hit)
    assert "Adult TVRs | BARB consolidated | 1,100 across the term" in units(hit)


def test_the_keyword_query_carries_how_contracts_word_the_question():
    assert {"invoice", "settled"} <= set(keywords("What are the payment terms in the JCDecaux contract?").split())


def test_a_cue_word_inside_a_value_is_part_of_a_name():
    dates = pd.date_range("2025-09-01", periods=6, freq="7D").strftime("%Y-%m-%d")
    orders = pd.DataFrame({"Order Date": dates, "Trim": ["Pro Max AWD", "Pure"] * 3,
                           "Discount": [500.0, 100.0, 1500.0, 200.0, 1000.0, 300.0]})
    got = answer("What was the total discount on the Pro Max AWD?", {"Retail_Orders.csv": orders})
    assert got is not None and fmt.money(3000) in got.sentence  # a sum over the trim, not its highest discount


def test_a_passage_is_quoted_by_its_unit_that_holds_the_asked_kind_of_answer(tmp_path):
    sheet = Hit("rrp", 0.5, "Recommended Retail Price Schedule\nRecommended retail prices for every trim\n"
                "Effective from: 1 September 2025", {"kind": "section", "title": "Recommended Retail Price Schedule",
                                                      "section": "preamble", "source_file": "rrp.pdf"})
    question = "From what date do the recommended retail prices apply?"
    draft = rag_analyst.answer_documents(question, extract(question), FixedSearch(tmp_path, [sheet]))  # type: ignore[arg-type]
    assert "> **Effective from: 1 September 2025**" in draft.text and not draft.declined


def test_a_plan_asked_as_yes_or_no_is_no_forecast():
    assert not asks_about_the_future("Will people be able to test drive the S05 once it's in showrooms in December?")
    assert asks_about_the_future("Will TV spend go up next year?")


def test_a_time_set_by_an_event_answers_when():
    wanted = wanted_answer("When do we have to settle ITV's invoices?")
    assert wanted is not None and wanted[1] == "a date"
    assert wanted[0].search("Invoices are settled monthly in arrears, 30 days from invoice.")
    assert not wanted[0].search("Deliver 2,900 adult TVRs on linear.")


def test_a_plans_month_columns_answer_the_month_named_in_full():
    row = _section("plan", "2025 UK Media Flowchart", "Monthly phasing by channel",
                   "Channel: TikTok | Nov: £167,886 | Dec: £167,883 | Total: £1,000,000")
    flight = _section("flight", "2025 UK Media Flowchart", "Campaign flighting",
                      "Always-on brand | 6 January 2025 | 30 November 2025 | TikTok, Meta | £1,410,000")
    best = best_sentence("What have we got for TikTok in December?", [flight, row])  # the row heads it "Dec"
    assert best is not None and "£167,883" in best.text
    assert {"phasing", "dec"} <= set(keywords("What have we got phased for TikTok in December?").split())


def test_a_creative_format_the_folder_holds_asks_for_creatives_unless_it_asks_how_many():
    formats = ("carousel card", "story")
    q = "AVATR 12 Meta story against a city skyline at night"
    assert wants_creatives(q, extract(q), formats) and not wants_creatives(q, extract(q))
    q = "How many Meta stories ran in 2025?"
    assert not wants_creatives(q, extract(q), formats)
    q = "What does the history of the brand say?"  # a word containing a format is not the format
    assert not wants_creatives(q, extract(q), formats)


def test_a_quarter_is_the_schedule_line_of_its_months():
    schedule = _section("itv", "ITV Sales Agreement", "4.1 Consideration",
                        "Item: Linear airtime | Period: Apr-Jun 2025 | Value: £1,000,000\n"
                        "Item: Linear airtime | Period: Jul-Sep 2025 | Value: £1,485,000")
    best = best_sentence("How much of the ITV money lands in Q3?", [schedule])
    assert best is not None and "£1,485,000" in best.text
    assert {"jul", "sep"} <= set(keywords("How much of the ITV money lands in Q3?").split())


def test_a_figure_of_speech_searches_as_the_documents_word_it():
    assert idiom_meanings("On what date did we and ITV put our names to the deal?") == ["signed", "signature"]
    assert {"signed", "signature"} <= query_terms("Who put pen to paper for ITV?")
    assert idiom_meanings("What did we put into ITV?") == []
    assert "premium" in query_terms("What's the uplift for a centre-break slot?")  # a tariff's "premium"


def test_two_car_models_get_a_row_each_and_two_questions_an_answer_each():
    prices = Hit("p", 0.5, "Price list\nModel: DEEPAL S05 | Trim: Pro | OTR price: £27,490\n"
                 "Model: DEEPAL S07 | Trim: Pro | OTR price: £31,490\nModel: DEEPAL S07 | Trim: Max | OTR price: £35,990",
                 {"source_file": "prices.md", "kind": "section"})
    quoted = "Model: DEEPAL S05 | Trim: Pro | OTR price: £27,490"
    question = "What do the Pro trims of the S07 and the S05 retail at?"
    extra = part_answers(question, [prices], [0], quoted, ("DEEPAL S07", "DEEPAL S05"))
    assert [u.text for u in extra] == ["Model: DEEPAL S07 | Trim: Pro | OTR price: £31,490"]
    assert part_answers("What does the S05 Pro retail at?", [prices], [0], quoted, ("DEEPAL S05",)) == []


def test_a_name_with_a_number_must_be_held_with_its_number(tmp_path):
    contracts = tmp_path / "raw" / "contracts"
    contracts.mkdir(parents=True)
    (contracts / "c4.md").write_text("# Channel 4 partnership\n\n6.1 Spots on Channel 4 cost £300,000 under clause 7.4.\n")
    passage = "6.1 Spots on Channel 4 cost £300,000 under clause 7.4."
    assert "Channel 5" in names_in("What did the Channel 5 spots cost us?", tmp_path)
    assert missing_names(["Channel 5"], [], "c4.md", passage, tmp_path) == ["Channel 5"]
    assert missing_names(["Channel 4"], [], "c4.md", passage, tmp_path) == []
    assert numbered_names("clause 7.4 in Q3 2025, 15 September, JCDecaux 48-sheets") == frozenset()  # none


def test_what_a_question_counts_must_be_in_the_quoted_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "competitor_spend.csv").write_text("week_start,competitor,channel,estimated_spend\n"
                                              "2025-01-06,Polestar,tv,5000\n")
    (raw / "leads.csv").write_text("lead_id,created_date,source\nL1,2025-01-07,meta\n")
    passage = "week_start: 2025-01-06 | competitor: Polestar | channel: tv | estimated_spend: 5000"
    question = "How many leads is Polestar getting off the back of its TV spend?"
    assert nouns_a_file_lacks(question, "competitor_spend.csv", passage, tmp_path) == ["leads"]
    assert nouns_a_file_lacks("How much is Polestar spending on TV?", "competitor_spend.csv", passage, tmp_path) == []


def test_a_place_a_file_holds_by_no_name_or_code_is_declined_not_ignored(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "website_analytics.csv").write_text("date,market,sessions\n2025-01-06,DE,100\n2025-01-06,GB,300\n")
    (raw / "vehicle_sales.csv").write_text("sale_id,sale_date,model\nS1,2025-01-07,AVATR 11\n")
    tools = Toolbox(Settings(data_dir=tmp_path), index=FakeIndex())
    sold = rag_analyst.answer("How many AVATR 11s were sold in Germany in 2025?", tools)
    assert sold.declined and "“Germany”" in sold.text, sold.text
    visits = rag_analyst.answer("How many sessions came from Germany in 2025?", tools)
    assert not visits.declined and "100" in visits.text, visits.text
