"""Offline answers on the generated world keep their fact recall and routing (regression guard)."""

from __future__ import annotations

import pytest

from core.agents.ask import ask
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.eval.answers import evaluate
from core.eval.questions import load_questions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world_tools(world_index):
    tools = Toolbox(world_index)
    yield tools
    if tools.index is not None:
        tools.index.close()


def test_answer_eval_on_the_world(world_index, world_tools):
    questions = load_questions()
    report = evaluate(questions, world_index, world_tools)
    assert report.n >= 50
    kinds = {q.kind or q.category for q in questions if q.answerable and q.required_facts}
    assert set(report.fact_recall_by_kind) == kinds and min(report.fact_recall_by_kind.values()) >= 0
    assert report.fact_recall >= 0.85, [m.id for m in report.misses]
    assert report.router_accuracy >= 0.95, report.misrouted


def test_roi_answer_matches_the_fitted_model(world_index, world_tools):
    ans = ask("What is the ROI of TV?", settings=world_index, toolbox=world_tools, store=SessionStore())
    tv = next(r for r in world_tools.mmm_roi() if r.channel == "tv")
    assert f"**{tv.roi:.2f}**" in ans.reply and f"{tv.roi_low:.2f}–{tv.roi_high:.2f}" in ans.reply
