"""Answers fit the question: payback vs break-even, the next pound, carry-over, saturation, and honest declines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.agents import rag_analyst
from core.agents.ask import ask
from core.agents.entities import extract
from core.agents.fmt import numbers_in, quotable
from core.agents.grounding import (
    compounds_a_passage_lacks,
    is_subject_noun,
    lacks_answer_type,
    mended,
    stem,
    thing_a_passage_lacks,
    thing_asked,
    unknown_terms,
    wanted_answer,
)
from core.agents.mmm_analyst import within_a_channel
from core.agents.session import SessionStore
from core.agents.types import Draft, Intent
from core.config import Settings
from core.rag.types import Hit
from tests.fakes import ROI, SPEND, FixedSearch


def _ask(q, toolbox, intent=None):
    toolbox.calls.clear()
    return ask(q, settings=toolbox.settings, toolbox=toolbox, store=SessionStore(), intent=intent)


def _numbers_come_from_tools(ans, toolbox, question):
    allowed = quotable([c.result for c in toolbox.calls] + [c.args for c in toolbox.calls],
                       extra_text=f"{question} 90%")
    assert numbers_in(ans.reply) - allowed == set(), ans.reply


def test_is_it_paying_for_itself_reads_roi_against_break_even(toolbox):
    q = "Is TikTok paying for itself?"
    ans = _ask("Is Google paying for itself?", toolbox, Intent.MMM)
    assert "**Google** returns **0.88** per £ spent (90% interval 0.70–1.06)" in ans.reply
    assert "spans break-even" in ans.reply  # the interval crosses 1: the data cannot say
    ans = _ask("Is TV paying for itself?", toolbox, Intent.MMM)
    assert "below break-even" in ans.reply and "even at the top of its interval" in ans.reply
    _numbers_come_from_tools(_ask(q, toolbox, Intent.MMM), toolbox, q)


def test_where_the_next_pound_goes_uses_marginal_roi_not_average_roi(toolbox, monkeypatch):
    real = toolbox.mmm.roi_table

    def tv_saturates_least(fit, value_per_unit):
        table = real(fit, value_per_unit)  # Google has the best average ROI; make TV's next pound the best
        table["marginal_roi"] = [0.52, 0.19, 0.31]  # tv, meta, google
        return table

    monkeypatch.setattr(toolbox.mmm, "roi_table", tv_saturates_least)
    ans = _ask("Which channel should get more budget next year?", toolbox, Intent.MMM)
    assert "The next £ is worth most in **TV** (marginal ROI **0.52**)" in ans.reply
    assert "all marginal ROIs are below break-even" in ans.reply
    assert [c.name for c in toolbox.calls] == ["mmm_roi", "mmm_optimize"]
    _numbers_come_from_tools(ans, toolbox, "Which channel should get more budget next year?")


def test_how_long_a_burst_keeps_working_reads_the_fitted_adstock(toolbox):
    q = "How long does a TV burst keep working after it airs?"
    ans = _ask(q, toolbox, Intent.MMM)
    assert "**TV**: half-life 2 week(s), so a week's effect halves after 2 week(s), and 5 week(s) carry 90%" in ans.reply
    assert "Meta" not in ans.reply  # only the channel asked about
    _numbers_come_from_tools(ans, toolbox, q)


def test_which_channels_hit_their_ceiling(toolbox):
    ans = _ask("Which channels have hit their ceiling?", toolbox, Intent.MMM)
    assert ans.reply.startswith("**TV** is closest to its ceiling (saturation 0.71)")


def test_a_channel_the_model_lacks_is_declined_not_answered_with_others(toolbox):
    for q in ("What's the ROI of cinema advertising?", "What if we moved £1m into cinema?"):
        ans = _ask(q, toolbox, Intent.MMM)
        assert ans.declined and "no channel “cinema”" in ans.reply, ans.reply
        assert "TV, Meta, Google" in ans.reply


def test_a_scenario_that_cannot_be_read_exactly_is_said_back(toolbox):
    ans = _ask("What if we cut TV?", toolbox, Intent.MMM)
    assert ans.declined and "by how much" in ans.reply


def test_move_from_tv_to_google_predicts_the_moved_allocation(toolbox):
    ans = _ask("If I move £500k from TV to Google, what happens to leads?", toolbox, Intent.MMM)
    assert "TV £6,000,000 → £5,500,000; Google £1,800,000 → £2,300,000" in ans.reply
    (call,) = [c for c in toolbox.calls if c.name == "mmm_whatif"]
    assert call.args["allocation"] == {"tv": 5_500_000.0, "google": 2_300_000.0}


def test_questions_about_things_no_file_mentions_are_declined(toolbox):
    ans = _ask("What's the towing capacity of the DEEPAL S07?", toolbox, Intent.RAG)
    assert ans.declined and "“towing”" in ans.reply
    ans = _ask("How much notice to cancel ITV bookings?", toolbox, Intent.RAG)
    assert not ans.declined and "28 days" in ans.reply


def test_a_passage_without_the_kind_of_answer_asked_is_not_quoted_as_the_answer():
    assert lacks_answer_type("How much notice to cancel?", ["bookings may be cancelled in writing"]) == "a duration"
    assert lacks_answer_type("How much notice to cancel?", ["with 28 days written notice"]) is None
    assert lacks_answer_type("How much did Meta cost?", ["Meta ran four campaigns"]) == "an amount"
    assert lacks_answer_type("How much downtime is allowed?", ["downtime above 3% is re-run"]) is None  # a share
    assert lacks_answer_type("How much of 2025 is booked?", ["booked for 2025"]) == "an amount"
    assert lacks_answer_type("How many hours does the SLA allow?", ["a reply within 24 hours"]) is None
    assert lacks_answer_type("When does the ITV deal start?", ["starts on 1 January 2025"]) is None
    # a contract's price is its "consideration"; a budget is "allocated"
    assert lacks_answer_type("What is the consideration of the ITV agreement?", ["ITV is the Vendor"]) == "an amount"
    assert lacks_answer_type("How much is allocated to TikTok?", ["TikTok | £1,000,000"]) is None


def test_the_kind_of_answer_a_question_wants_is_the_first_that_applies():
    wanted = wanted_answer("How much notice is needed?")
    assert wanted is not None and wanted[1] == "a duration"  # notice wants days, not £
    assert wanted_answer("Who are the parties?") is None


def test_unknown_terms_need_a_name_a_year_or_two_unfamiliar_words(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "leads.csv").write_text("created_date,region\n2025-01-06,London\n")
    assert unknown_terms("How many leads did London receive in 2025?", tmp_path) == []  # one ordinary word
    assert unknown_terms("How many leads did Hyundai get?", tmp_path) == ["hyundai"]
    assert unknown_terms("How many leads in 2027?", tmp_path) == ["2027"]
    assert stem("dealers") == stem("dealer") and stem("brochures") == stem("brochure") and stem("sold") == stem("sell")


def test_a_noun_after_a_model_code_is_the_thing_asked_for_but_after_a_place_the_kind_of_it():
    assert is_subject_noun("trim", "S07") and is_subject_noun("impressions", "DV360")
    assert not is_subject_noun("showroom", "York")


def test_a_name_first_or_in_lower_case_is_still_a_name(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "tv_performance.csv").write_text("week_start,broadcaster,spend\n2025-01-06,ITV,100\n")
    assert unknown_terms("Hyundai's estimated TV spend in 2025?", tmp_path) == ["hyundai's"]
    assert unknown_terms("pinterest spend h2 25?", tmp_path) == ["pinterest"]
    assert unknown_terms("Spend on ITV in 2025?", tmp_path) == []  # a capital on the first word alone is no name
    assert unknown_terms("thx, whats ITV spend in 2025?", tmp_path) == []  # short shorthand is wording
    assert unknown_terms("How much did we spend on our roadshows in 2025?", tmp_path) == []  # a common noun
    assert unknown_terms("Did Sky outspend ITV in 2025?", tmp_path) == []  # English with a prefix
    assert unknown_terms("What does the ITV deal say about most-favoured-nation pricing?", tmp_path) == [
        "most-favoured-nation"]  # a term of art the data never uses
    assert unknown_terms("How many word-of-mouth leads came from London in 2025?", tmp_path) == []  # English


@pytest.mark.parametrize("question", ["how are we doing?", "tell me something useful"])
def test_vague_questions_get_a_question_back(toolbox, question):
    ans = _ask(question, toolbox)
    assert ans.agent_used == Intent.CLARIFY and ans.declined and "Do you want figures" in ans.reply


def test_a_computed_answer_that_ignores_a_name_the_data_lacks_is_declined(toolbox):
    raw = toolbox.settings.raw_dir
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "vehicle_sales.csv").write_text("sale_date,model,market,price_paid\n2025-09-01,DEEPAL S07,GB,27990\n"
                                          "2025-09-02,DEEPAL S07,GB,27990\n2025-09-03,AVATR 12,GB,54990\n")
    ans = _ask("total price paid for DEEPAL S07", toolbox, Intent.RAG)
    assert not ans.declined and "**£55,980**" in ans.reply and "vehicle_sales.csv" in ans.reply
    ans = _ask("total price paid for DEEPAL S07 in France", toolbox, Intent.RAG)
    assert ans.declined and "“france”" in ans.reply


def test_a_forecast_is_declined_by_the_documents_side(toolbox):
    ans = _ask("What will petrol prices be next summer?", toolbox, Intent.RAG)
    assert ans.declined and "no forecast" in ans.reply


def test_an_unfamiliar_noun_is_a_subject_the_data_lacks_but_an_unfamiliar_verb_is_wording(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "leads.csv").write_text("created_date,region,source\n2025-01-06,London,web\n")
    assert "household" in unknown_terms("What is the average household income of our leads?", tmp_path)
    assert unknown_terms("How many hand-raisers came from London?", tmp_path) == []  # the tables' word for leads
    assert unknown_terms("How many leads did in-cinema ads bring?", tmp_path) == ["in-cinema"]  # about cinemas
    assert unknown_terms("Who put pen to paper for London?", tmp_path) == []  # an idiom, no subject
    assert "cinema" in unknown_terms("How much went on cinema in London?", tmp_path)  # English has it only as a noun
    assert "boot" in unknown_terms("How big is the boot on the car from London?", tmp_path)  # a noun after "the"
    assert "temperatures" in unknown_terms("What were UK temperatures in London?", tmp_path)  # a code is no name
    # one stray noun in a question otherwise about the data is wording, and so is a verb with its particle
    assert unknown_terms("How many leads from London asked to take a car out for a spin in 2025?", tmp_path) == []
    assert unknown_terms("When does the London deal wrap up?", tmp_path) == []
    assert unknown_terms("I'm after the London leads for the board", tmp_path) == []
    # ... but not the thing counted or broken down by
    assert "complaints" in unknown_terms("How many customer complaints came in through London?", tmp_path)
    assert "gender" in unknown_terms("London leads split by gender for 2025 across every source", tmp_path)


def test_a_slip_is_mended_against_the_folder_and_said_in_the_reply(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "vehicle_sales.csv").write_text("sale_date,model,discount\n2025-09-03,DEEPAL S07,500\n")
    assert mended("avrage discout on an S07", tmp_path) == "average discount on an S07"
    assert mended("What is the discount on an S07?", tmp_path) == "What is the discount on an S07?"
    ans = ask("avrage discout on an S07", settings=Settings(data_dir=tmp_path), store=SessionStore())
    assert ans.reply.startswith("_Reading this as: “average discount on an S07”_"), ans.reply
    assert unknown_terms("Which source brought in the most leads?", tmp_path) == []  # a verb English knows
    assert unknown_terms("Did London get a lot of leads?", tmp_path) == []  # "a lot" is an amount
    assert unknown_terms("Which region is the London showroom in?", tmp_path) == []  # the kind of a named thing
    assert unknown_terms("How many people from London got behind the wheel?", tmp_path) == []  # an idiom
    assert unknown_terms("How many leads from London came in on phones?", tmp_path) == []  # the mobile rows' word


def test_a_passage_from_a_file_that_never_names_the_asked_name_is_not_quoted(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "agency_terms.md").write_text("# Agency terms\n\n## 1 Parties\n\n1.1 Meridian is appointed as DEEPAL's "
                                         "media buying agency.\n")
    (raw / "competitor_spend.csv").write_text("week_start,competitor,channel,estimated_spend\n"
                                              "2025-07-14,BYD,tv,104800\n")
    clause = Hit("terms", 0.5, "1.1 Meridian is appointed as DEEPAL's media buying agency.",
                 {"kind": "section", "section": "1 Parties", "source_file": "agency_terms.md"})
    search = FixedSearch(tmp_path, [clause])
    asked = "Which agency does BYD use for buying?"
    draft = rag_analyst.answer_documents(asked, extract(asked), search)  # type: ignore[arg-type]
    assert draft.declined and "mentions “BYD”" in draft.text
    asked = "Which agency does DEEPAL use for buying?"
    draft = rag_analyst.answer_documents(asked, extract(asked), search)  # type: ignore[arg-type]
    assert not draft.declined and "> **1.1 Meridian is appointed" in draft.text


def test_a_quantity_to_come_is_no_model_read_out_but_a_what_if_is(toolbox):
    ans = _ask("How much will we spend on Meta next quarter?", toolbox, Intent.MMM)
    assert ans.declined and "no forecast" in ans.reply
    ans = _ask("What will leads do if we cut TV by 20%?", toolbox, Intent.MMM)
    assert not ans.declined and "no forecast" not in ans.reply


def test_what_the_model_credits_each_channel_with_and_the_baseline(toolbox):
    q = "How much of our leads is baseline rather than media?"
    ans = _ask(q, toolbox, Intent.MMM)
    media = sum(SPEND[c] * ROI[c] / 150 for c in SPEND)  # the fake's leads are 50,000 + spend × ROI / £150
    assert f"Media drove **{media:,.0f}** of the {50_000 + media:,.0f} leads" in ans.reply, ans.reply
    assert "the other 50,000" in ans.reply and "**TV** brought the most incremental leads" in ans.reply
    _numbers_come_from_tools(ans, toolbox, q)
    q = "How many leads did Google bring in according to the model?"
    ans = _ask(q, toolbox)
    assert ans.agent_used == Intent.MMM, ans.reply  # "according to the model" is the model's side
    assert f"The model credits **Google** with **{SPEND['google'] * ROI['google'] / 150:,.0f}** incremental" in ans.reply
    _numbers_come_from_tools(ans, toolbox, q)


def test_headroom_is_the_least_saturated_channel_and_one_channel_reads_its_own_level(toolbox):
    ans = _ask("Which channel has the most headroom?", toolbox, Intent.MMM)
    assert ans.reply.startswith("**Google** has the most headroom (saturation 0.35)"), ans.reply
    ans = _ask("Is there any juice left in TV?", toolbox, Intent.MMM)
    assert ans.reply.startswith("**TV** runs at 0.71 of its ceiling"), ans.reply


def test_the_next_pound_in_a_named_channel_is_that_channels_marginal_roi(toolbox):
    q = "What's the next pound worth in Meta?"
    ans = _ask(q, toolbox, Intent.MMM)
    assert f"The next £ in **Meta** returns **{ROI['meta'] / 2:.2f}** (marginal ROI)" in ans.reply, ans.reply
    _numbers_come_from_tools(ans, toolbox, q)


@pytest.mark.parametrize(("question", "allocation"), [
    ("Put TV at £5m - what do we get?", {"tv": 5_000_000.0}),
    ("Suppose Google gets an extra £300k", {"google": 2_100_000.0}),
    ("What do we lose if we pull out of Meta altogether?", {"meta": 0.0}),
])
def test_a_change_in_other_words_is_modelled_as_a_what_if(toolbox, question, allocation):
    ans = _ask(question, toolbox, Intent.MMM)
    (call,) = [c for c in toolbox.calls if c.name == "mmm_whatif"]
    assert call.args["allocation"] == allocation and ans.reply.startswith("Scenario:"), ans.reply


def test_the_optimiser_splits_the_total_the_question_names(toolbox):
    q = "How would you carve up a £5m budget?"
    ans = _ask(q, toolbox, Intent.MMM)
    (call,) = [c for c in toolbox.calls if c.name == "mmm_optimize"]
    assert call.args["total_budget"] == 5_000_000.0
    assert ans.reply.startswith("At a total of £5,000,000, the best split"), ans.reply
    _numbers_come_from_tools(ans, toolbox, q)
    ans = _ask("Rebalance the plan for maximum leads", toolbox, Intent.MMM)
    assert ans.reply.startswith("Moving budget between channels (same total £10,000,000"), ans.reply


def _documents(tmp_path, files: dict[str, str], hit: Hit) -> Callable[[str], Draft]:
    """A folder of these files whose search always returns `hit`, and a function answering from it."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in files.items():
        (raw / name).write_text(text)
    search = FixedSearch(tmp_path, [hit])
    return lambda asked: rag_analyst.answer_documents(asked, extract(asked), search)  # type: ignore[arg-type]


def test_a_contract_is_not_quoted_for_a_thing_only_other_files_name(tmp_path):
    answer = _documents(tmp_path, {
        "channel4_partnership.md": "# Channel 4\n\n## 4 Value\n\n4.1 Sponsorship idents cost £300,000.\n",
        "asset_manifest.csv": "file,channel,creative_type,notes\nradio/a.png,radio,podcast cover,one way\n"},
        Hit("c4", 0.5, "4.1 Sponsorship idents cost £300,000.",
            {"kind": "section", "section": "4 Value", "source_file": "channel4_partnership.md"}))
    draft = answer("What was our podcast sponsorship spend?")  # the creatives know podcasts; the contract does not
    assert draft.declined and "“podcast”" in draft.text, draft.text
    draft = answer("What did the sponsorship idents cost?")
    assert not draft.declined and "£300,000" in draft.text
    assert not answer("What's the cheapest way into the sponsorship idents?").declined  # "way" is no subject


def test_a_ratio_the_quoted_file_does_not_hold_is_declined(tmp_path):
    answer = _documents(tmp_path, {
        "radio_performance.csv": "week_start,station,spots,spend\n2025-01-06,Kiss,20,5000\n",
        "meta_ads.csv": "date,spend,clicks,cpc\n2025-01-06,100,200,0.5\n"},
        Hit("r", 0.5, "radio_performance.csv rows 1-1\nweek_start: 2025-01-06 | station: Kiss | spots: 20 | spend: 5000",
            {"kind": "rows", "source_file": "radio_performance.csv"}))
    draft = answer("radio cpc 2025")
    assert draft.declined and "“cpc”" in draft.text, draft.text
    draft = answer("radio spots 2025")
    assert not draft.declined, draft.text


def test_trusting_the_roi_numbers_is_a_question_about_the_fit(toolbox):
    q = "How much should I trust these ROI numbers?"
    ans = _ask(q, toolbox, Intent.MMM)
    assert ans.reply.startswith("The model explains the weekly leads with R² **0.93**"), ans.reply
    assert "90% interval from bootstrap refits" in ans.reply
    _numbers_come_from_tools(ans, toolbox, q)


def test_a_year_before_the_fitted_weeks_or_a_campaign_is_out_of_the_models_reach(toolbox):
    ans = _ask("What was TV's ROI in 2019?", toolbox, Intent.MMM)
    assert ans.declined and "does not hold its read-outs for 2019" in ans.reply, ans.reply
    ans = _ask("Which Google campaign had the best marginal ROI?", toolbox, Intent.MMM)
    assert ans.declined and "weekly spend per channel" in ans.reply, ans.reply
    ans = _ask("How should we split the 2030 budget?", toolbox, Intent.MMM)  # a plan for a later year stands
    assert not ans.declined and "optimi" in ans.reply, ans.reply


def test_two_names_for_parts_of_one_channel_are_below_the_model():
    assert within_a_channel("How is the Meta budget split between Facebook and Instagram?") == ["Facebook", "Instagram"]
    assert within_a_channel("TV vs television ROI") == []  # two words for all of TV
    assert within_a_channel("Sky's ROI separately from linear TV") == ["Sky", "TV"]  # asked for apart
    assert within_a_channel("Meta and Google ROI") == []


BELOW_CHANNEL_FILES = {
    "leads.csv": "lead_id,created_date,region,model\nL1,2025-01-06,Scotland,AVATR 12\nL2,2025-01-07,London,DEEPAL S07\n",
    "channel4.md": "# Channel 4\n\n4.1 Sponsorship of Grand Designs.\n",
}


@pytest.mark.parametrize(("question", "level"), [
    ("Is TV's marginal ROI higher in Scotland or in London?", "(“London / Scotland”)"),  # regions of the exports
    ("is TV working harder for the avatr 12?", "AVATR 12"),  # a car model
    ("What ROI did the s07_story_02 Meta story creative deliver?", "(“creative”)"),
    ("How many leads did the Grand Designs sponsorship drive on its own?", "(“Grand Designs”)"),  # the documents'
    ("What is the ROI of TV?", None),
    ("How many leads did TV drive?", None),
])
def test_what_the_data_names_below_a_channel_is_out_of_the_models_reach(toolbox, question, level):
    toolbox.settings.raw_dir.mkdir(parents=True, exist_ok=True)
    for name, text in BELOW_CHANNEL_FILES.items():
        (toolbox.settings.raw_dir / name).write_text(text)
    ans = _ask(question, toolbox, Intent.MMM)
    assert ans.declined is (level is not None) and (level is None or level in ans.reply), ans.reply


@pytest.mark.parametrize(("question", "opening"), [
    ("What's the R-squared on the mix model?", "The model explains the weekly leads with R²"),
    ("How many weeks does a TV burst keep driving leads?", "Carry-over from the fitted adstock:\n- **TV**"),
    ("How many leads would we have had with no advertising at all?", "Media drove"),
    ("If the budget were cut to £5m, how should it be spent?", "At a total of £5,000,000, the best split"),
])
def test_model_read_outs_in_analysts_words(toolbox, question, opening):
    ans = _ask(question, toolbox, Intent.MMM)
    assert ans.reply.startswith(opening), ans.reply


def test_a_name_of_known_words_the_folder_never_writes_together_is_unknown(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "leads.csv").write_text("created_date,region,market,trim\n2025-01-06,North West,DE,Pro Max\n"
                                                "2025-01-07,East Midlands,GB,Pro\n")
    assert unknown_terms("How many leads came in from the North East in Q4 2025?", tmp_path) == ["North East"]
    assert unknown_terms("How many leads came in from the North West in 2025?", tmp_path) == []
    assert unknown_terms("Leads for the Pro Max trim?", tmp_path) == []
    assert unknown_terms("Leads For The North East", tmp_path) != ["North East"]  # a title-cased question
    assert unknown_terms("How many leads from Germany in 2025?", tmp_path) == []  # the market DE
    assert unknown_terms("How many leads from Spain in 2025?", tmp_path) == ["spain"]


def test_a_long_word_english_lacks_before_rate_is_a_measure_the_data_may_not_hold(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "dv360.csv").write_text("date,impressions,spend\n2025-01-06,100,10\n")
    assert unknown_terms("dv360 viewability rate q4 25?", tmp_path) == ["viewability"]
    assert unknown_terms("dv360 impressions q4 25?", tmp_path) == []


def test_a_two_word_compound_must_be_in_the_quoted_passage():
    vat = "4.3 VAT is payable on every invoice at the standard rate then in force."
    assert compounds_a_passage_lacks("What early-payment discount do we get from Sky?", vat) == ["early-payment"]
    assert compounds_a_passage_lacks("What early-payment discount do we get?", "a 2% early payment discount") == []
    assert compounds_a_passage_lacks("What's the year-end rebate?", vat) == []  # a compound of time says when
    assert lacks_answer_type("What rebate does ITV give?", ["ITV's rebate terms are in Schedule 2"]) == "an amount"


def test_a_clause_that_never_names_the_term_asked_for_does_not_state_it(tmp_path):
    clause = "15.1 Liability for death or personal injury caused by negligence is not limited."
    answer = _documents(tmp_path, {"jcdecaux_ooh_agreement.md": f"# JCDecaux\n\n## 15 Liability\n\n{clause}\n"},
                        Hit("j", 0.5, clause, {"kind": "section", "section": "15 Liability",
                                               "source_file": "jcdecaux_ooh_agreement.md"}))
    capped = answer("What's the liability cap in the JCDecaux agreement?")
    assert capped.declined and "does not mention the liability cap" in capped.text, capped.text
    assert not answer("What is the liability for personal injury?").declined
    assert thing_asked("What are the payment terms on the Sky deal?") == []  # one word: too often paraphrased
    assert thing_asked("What do JCDecaux charge if artwork is late?") == []
    assert thing_a_passage_lacks(["cancellation"], "spots cancelled with less notice are charged") == []
