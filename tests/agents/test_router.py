"""The router's table: document questions, model questions, and mixed ones."""

from __future__ import annotations

import pytest

from core.agents.router import route
from core.agents.types import Intent


@pytest.mark.parametrize("question,intent", [
    ("What is the notice period in the ITV contract?", Intent.RAG),
    ("Show me creatives for the AVATR 12", Intent.RAG),
    ("How many clicks did the Meta campaign get in March?", Intent.RAG),
    ("What is the ROI of TV?", Intent.MMM),
    ("Optimise the budget across channels", Intent.MMM),
    ("What happens if we cut TV spend by 20%?", Intent.MMM),
    ("Which channel has the highest marginal ROI?", Intent.MMM),
    ("What is the ITV contract value and what ROI did TV deliver?", Intent.MIXED),
    ("How much did we spend on Meta in 2025 and what is Meta's ROI?", Intent.MIXED),
])
def test_routing_table(question, intent):
    r = route(question)
    assert r.intent == intent
    assert 0 < r.confidence <= 1


def test_unknown_question_defaults_to_documents_with_low_confidence():
    r = route("hello there")
    assert r.intent == Intent.RAG and r.confidence < 0.5


def test_llm_override_wins_and_agent_names():
    assert route("What is the ROI of TV?", override=Intent.RAG).intent == Intent.RAG
    assert route("What is the ROI of TV?").intent.analysts == "mmm-analyst"
    assert route("contract value and ROI of TV").intent.analysts == "rag-analyst+mmm-analyst"


def test_decisive_words_raise_confidence():
    assert route("What is the ROI of TV?").confidence > route("what about leads?").confidence
