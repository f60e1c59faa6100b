"""Offline answers: quoted passages with citations, model numbers, mixed answers, bad input, failing tools."""

from __future__ import annotations

import pytest

from core.agents.ask import MAX_QUESTION_CHARS, ask
from core.agents.offline import split_mixed
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.agents.types import Backend, Intent
from core.config import Settings
from tests.fakes import FakeIndex, fake_mmm


def _ask(q, toolbox):
    return ask(q, settings=toolbox.settings, toolbox=toolbox, store=SessionStore())


def test_document_answer_quotes_the_answering_sentence_with_its_source(toolbox):
    ans = _ask("How much notice to cancel ITV bookings?", toolbox)
    assert ans.agent_used == Intent.RAG and ans.backend == Backend.OFFLINE
    assert "> **Either party may cancel bookings with 28 days written notice.**" in ans.reply
    assert ans.sources[0].file == "itv_airtime_agreement.md"
    assert ans.sources[0].section == "§ 5 Notice period and cancellation"
    assert "28 days" in ans.sources[0].snippet


def test_csv_rows_are_cited_by_row_range(toolbox):
    ans = _ask("ITV weekly spend rows for 2025-07-07", toolbox)
    cited = {s.file: s for s in ans.sources}
    assert cited["tv_performance.csv"].rows == "1-2"


def test_roi_answer_uses_the_model_numbers(toolbox):
    ans = _ask("What is the ROI of TV?", toolbox)
    assert ans.agent_used == Intent.MMM
    assert "**TV** ROI is **0.58** (90% interval 0.47–0.70)" in ans.reply
    assert "23,360 incremental leads" in ans.reply and "marginal ROI 0.29" in ans.reply
    assert "Reading:" in ans.reply


def test_comparison_is_a_table(toolbox):
    ans = _ask("Compare ROI of Google and Meta", toolbox)
    assert "| Google | £1,800,000 |" in ans.reply and "| Meta | £2,200,000 |" in ans.reply
    assert "| TV |" not in ans.reply
    assert ans.reply.index("| Google") < ans.reply.index("| Meta")  # sorted by ROI


def test_whatif_matches_the_model_prediction(toolbox):
    ans = _ask("What happens to leads if we cut TV spend by 20%?", toolbox)
    expected = toolbox.mmm.whatif(toolbox._fit(), {"tv": 4_800_000.0}, value_per_unit=toolbox.settings.value_per_lead)
    assert "TV £6,000,000 → £4,800,000" in ans.reply
    assert f"**{expected.kpi:,.0f}**" in ans.reply and f"{expected.delta_pct:+.1f}%" in ans.reply


def test_optimiser_answer_shows_both_allocations(toolbox):
    ans = _ask("How should we reallocate the budget to maximise leads?", toolbox)
    assert "| TV | £6,000,000 | £4,200,000 | -30.0% |" in ans.reply
    assert "| Google | £1,800,000 | £3,600,000 | +100.0% |" in ans.reply


def test_fit_question_reports_diagnostics(toolbox):
    ans = _ask("How well does the model fit? What is the R squared?", toolbox)
    assert "R² **0.93**" in ans.reply and "6.1% MAPE on held-out weeks" in ans.reply and "NRMSE 0.05" in ans.reply


def test_mixed_question_answers_from_both(toolbox):
    ans = _ask("What is the ITV contract value and what ROI did TV deliver?", toolbox)
    assert ans.agent_used == Intent.MIXED
    assert "### From the data and documents" in ans.reply and "### From the marketing mix model" in ans.reply
    assert "£3,300,000" in ans.reply and "**0.58**" in ans.reply
    assert {s.file for s in ans.sources} >= {"itv_airtime_agreement.md", "model_ready.csv"}


def test_a_two_part_question_gives_each_analyst_its_own_part(toolbox):
    docs, model = split_mixed("How much did we spend on Meta in 2025, and what is Google's marginal ROI?", toolbox)
    assert (docs, model) == ("How much did we spend on Meta in 2025", "what is Google's marginal ROI?")
    q = "What's our Meta spend last year, and would moving £200k of it into Google help?"
    assert split_mixed(q, toolbox) == ("What's our Meta spend last year", q)  # "it" is Meta: the model reads all
    assert split_mixed("What is the ITV contract value?", toolbox) == ("What is the ITV contract value?",) * 2
    back = "What budget does the allocation give Meta, and what share of the total is that?"
    assert split_mixed(back, toolbox)[0] == back  # "that" is the Meta budget: the documents read all


def test_creative_questions_return_images(toolbox):
    ans = _ask("Show me the AVATR 12 creative against a city skyline", toolbox)
    assert ans.images == ["assets/meta/avatr12_story_04.png"]  # relative to the data folder, so inside it
    assert "avatr12_story_04.png" in ans.reply and "city skyline" in ans.sources[0].snippet


@pytest.mark.parametrize("question", ["", "   ", None, "x" * (MAX_QUESTION_CHARS + 1)])
def test_bad_questions_get_a_message_not_an_exception(toolbox, question):
    ans = ask(question, settings=toolbox.settings, toolbox=toolbox, store=SessionStore())
    assert ans.reply and not ans.sources and ans.session_id


def test_missing_model_data_is_explained(tmp_path):
    tools = Toolbox(Settings(data_dir=tmp_path), index=FakeIndex(), mmm=fake_mmm())
    ans = ask("What is the ROI of TV?", settings=tools.settings, toolbox=tools, store=SessionStore())
    assert "could not get the model results" in ans.reply and "Build the weekly table from my files" in ans.reply
    two_part = "What is the ITV contract value, and what is the ROI of TV?"  # split without the model's channels
    ans = ask(two_part, settings=tools.settings, toolbox=tools, store=SessionStore(), intent=Intent.MIXED)
    assert "£3,300,000" in ans.reply and "could not get the model results" in ans.reply


def test_a_model_route_without_a_model_word_is_answered_by_the_documents(toolbox):
    from core.agents import offline
    from core.agents.router import Route
    draft = offline.answer("How much is the ITV contract?", Route(Intent.MMM, 0.9), toolbox)
    assert "£3,300,000" in draft.text and "ROI" not in draft.text, draft.text  # not a default ROI table


def test_without_a_model_only_a_question_no_model_measure_names_goes_to_the_documents(tmp_path):
    from core.agents import offline
    from core.agents.router import Route
    tools = Toolbox(Settings(data_dir=tmp_path), index=FakeIndex(), mmm=fake_mmm())
    draft = offline.answer("What happens if we cancel ITV bookings late?", Route(Intent.MMM, 0.9), tools)
    assert draft.text.startswith("_There is no model for this folder yet") and "28 days" in draft.text, draft.text
    draft = offline.answer("What is the ROI of TV?", Route(Intent.MMM, 0.9), tools)
    assert draft.text.startswith("I could not get the model results"), draft.text
    draft = offline.answer("What happens if we cancel ITV bookings late?", Route(Intent.MMM, 1.0, source="override"),
                           tools)
    assert draft.text.startswith("I could not get the model results"), draft.text  # the MMM page's own box
    # an unsure route with no model measure is the documents' alone; one naming a measure still hears why not
    draft = offline.answer("What happens if we cancel ITV bookings late?", Route(Intent.MIXED, 0.5), tools)
    assert "28 days" in draft.text and "model" not in draft.text.lower(), draft.text
    draft = offline.answer("What is the ITV contract value, and what is the ROI of TV?", Route(Intent.MIXED, 0.5),
                           tools)
    assert "£3,300,000" in draft.text and "could not get the model results" in draft.text, draft.text


@pytest.mark.parametrize(("question", "opening"), [
    ("Put TV at £5m - what do we get?", "Scenario:"),  # a change of spend that parses is the model's
    ("What share of our leads came from paid media?", "Media drove"),  # what the model credits
])
def test_a_model_route_with_a_change_of_spend_or_a_credit_stays_with_the_model(toolbox, question, opening):
    from core.agents import offline
    from core.agents.router import Route
    draft = offline.answer(question, Route(Intent.MMM, 0.9), toolbox)
    assert draft.text.startswith(opening), draft.text


def test_a_two_part_question_quotes_an_answer_to_each_part(toolbox):
    ans = _ask("How much notice to cancel ITV bookings, and what is the total contract value?", toolbox)
    assert "> **Either party may cancel bookings with 28 days written notice.**" in ans.reply
    assert "**And from itv_airtime_agreement.md**" in ans.reply
    assert "> **The total contract value is £3,300,000 (excluding VAT).**" in ans.reply
    assert [s.file for s in ans.sources[:2]] == ["itv_airtime_agreement.md"] * 2


def test_how_many_creatives_counts_the_manifest_instead_of_showing_a_few(toolbox):
    manifest = toolbox.settings.manifest_path
    manifest.parent.mkdir(parents=True)
    manifest.write_text("file,channel,model,format,description\n"
                        "tiktok/a.png,tiktok,AVATR 12,video,city\ntiktok/b.png,tiktok,AVATR 11,video,coast\n"
                        "meta/c.png,meta,AVATR 12,story,night\n")
    ans = _ask("How many creatives do we have for TikTok?", toolbox)
    assert "**2**" in ans.reply and "Here are the creatives" not in ans.reply
    assert _ask("Show me creatives for TikTok", toolbox).reply.startswith("Here are the creatives")
    snapchat = _ask("How many creatives do we have for Snapchat?", toolbox)  # no Snapchat in the data: not "3"
    assert snapchat.declined and "snapchat" in snapchat.reply.lower() and "**3**" not in snapchat.reply
