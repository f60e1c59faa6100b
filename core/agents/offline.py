"""The offline analyst: routes to the RAG and/or MMM analyst and combines their drafts, no LLM involved."""

from __future__ import annotations

import re

from core.agents import mmm_analyst, rag_analyst
from core.agents.entities import channel_mentions
from core.agents.grounding import SECOND_QUESTION, named_documents
from core.agents.router import Route
from core.agents.tools import Toolbox, ToolError
from core.agents.types import Draft, Intent


def _safe(part: str, fn, question: str, tools: Toolbox) -> Draft:
    """Run one analyst; a tool failure becomes a readable sentence instead of an exception."""
    try:
        return fn(question, tools)
    except ToolError as exc:
        return Draft(f"I could not get the {part} for this: {exc}")


REFERS_BACK = re.compile(r"\b(?:it|its|them|that|this|those|these)\b", re.I)  # "moving £200k of it"


def split_mixed(question: str, tools: Toolbox) -> tuple[str, str]:
    """The part of a two-part question for the documents and the part for the model; the whole question for
    both when it does not split into one of each. A model part that names no channel of its own ("... and is it
    paying for itself?", "... moving £200k of it into Google") keeps the whole question, so the channel it
    refers to is not lost; so does a documents part that refers back ("... and what share of the total is that?").
    """
    m = SECOND_QUESTION.search(question)
    if not m:
        return question, question
    first, second = question[:m.start()].strip(" ,"), question[m.end():].strip()
    asks = [mmm_analyst.asks_the_model(first), mmm_analyst.asks_the_model(second)]
    if asks.count(True) != 1:
        return question, question
    docs, model = (second, first) if asks[0] else (first, second)
    try:
        channels: list[str] | None = tools.mmm_channels()
    except ToolError:  # no model yet: the model part is answered (and declined) on its own words
        channels = None
    if REFERS_BACK.search(model) or not channel_mentions(model, channels) and channel_mentions(question, channels):
        model = question
    if REFERS_BACK.search(docs):  # "... and what share of the total is that?"
        docs = question
    return docs, model


def _model_or_documents(question: str, route: Route, tools: Toolbox) -> Draft:
    """The model's answer. When the folder has no model yet, a question that names no model measure ("what happens
    if we pay Clear Channel late?") gets the documents' answer if they hold one, said so; anything else is told why
    the model could not answer. The MMM page's own box (an override) always gets the model's word."""
    try:
        return mmm_analyst.answer(question, tools)
    except ToolError as exc:
        failed = Draft(f"I could not get the model results for this: {exc}")
        if route.source == "override" or mmm_analyst.asks_a_model_measure(question):
            return failed  # the documents hold no ROI: their nearest figure would answer another question
    docs = _safe("documents", rag_analyst.answer, question, tools)
    if docs.declined:
        return failed
    return Draft(f"_There is no model for this folder yet, so this is what your data and documents say._\n\n"
                 f"{docs.text}", docs.sources, docs.images)


CLARIFY = ("I am not sure what you would like to know. Do you want figures from your data and documents "
           "(e.g. “How much did we spend on Meta in September 2025?”, “What is the ITV cancellation notice?”) "
           "or what the marketing mix model says (e.g. “Is TikTok paying for itself?”, “Where should the next "
           "£1M go?”, “What if we move £500k from TV to Google?”)?")


def answer(question: str, route: Route, tools: Toolbox) -> Draft:
    """One analyst for a clear intent; both, under headings, for a mixed or unsure one; a question back
    when the question is too vague to route."""
    if route.intent is Intent.CLARIFY:
        return Draft(CLARIFY, declined=True)  # a question back, not an answer
    # the model knows nothing of documents: a question that names one ("in the media plan") is for them,
    # unless the user asked the model on purpose (the MMM page's box)
    names_a_document = route.source != "override" and bool(named_documents(question, tools.settings.data_dir))
    # nor does it know what was spent or agreed: a question with no read-out word and no change of spend
    # ("programmatic media cost for the back half of 2025", "how much budget is behind the S05 preview push?") is
    # for the exports and documents, not a default ROI table's; what the model credits ("what share of our leads
    # came from paid media?") stays with it unless the exports compute it as asked ("revenue that came from PCP")
    no_read_out = (route.intent is Intent.MMM and route.source != "override"
                   and not mmm_analyst.reads_as_model(question, tools)
                   and (not mmm_analyst.CONTRIBUTION.search(question) or tools.table_query(question) is not None))
    # a folder with no model yet: an unsure route that names no model measure ("how do Channel 4 bill us, and how
    # long have we got to pay?") is the documents' alone, not their answer beside a note that no model exists
    no_model = (route.intent is Intent.MIXED and not tools.settings.model_ready_path.is_file()
                and not mmm_analyst.asks_a_model_measure(question))
    if route.intent is Intent.RAG or route.intent is Intent.MMM and (names_a_document or no_read_out) or no_model:
        return _safe("documents", rag_analyst.answer, question, tools)
    if route.intent is Intent.MMM:
        return _model_or_documents(question, route, tools)
    docs_part, model_part = split_mixed(question, tools)
    docs = _safe("documents", rag_analyst.answer, docs_part, tools)
    model = _safe("model results", mmm_analyst.answer, model_part, tools)
    text = f"### From the data and documents\n{docs.text}\n\n### From the marketing mix model\n{model.text}"
    return Draft(text, docs.sources + model.sources, docs.images + model.images, docs.declined and model.declined)

