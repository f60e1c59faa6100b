"""Chat-box shorthand is spelled out before routing and parsing, and nothing else is touched."""

from __future__ import annotations

import pytest

from core.agents.session import resolve
from core.agents.shorthand import spell_out


@pytest.mark.parametrize("typed,meant", [
    ("tot revenue avatr 12 lease buyers london", "total revenue avatr 12 lease buyers london"),
    ("no. of dealers w/ cash avatr 11 sales", "number of dealers with cash avatr 11 sales"),
    ("meta spend by mth 2025", "meta spend by month 2025"),
    ("avg. CPC on Google & Meta", "average CPC on Google and Meta"),
    ("configs completed w/o a brochure", "configurations completed without a brochure"),
    ("# of leads per wk", "number of leads per week"),
    ("leads w/c 29 Dec 2025", "leads week commencing 29 Dec 2025"),
])
def test_shorthand_is_written_in_full(typed, meant):
    assert spell_out(typed) == meant


@pytest.mark.parametrize("text", ["What is the ROI of TV?", "Is there no offer on the AVATR 11?",
                                  "R&D spend", "totals by avenue", "the tot's drawing", "Kiss FM's weekday slots"])
def test_words_that_only_look_like_shorthand_are_left_alone(text):
    assert spell_out(text) == text


def test_the_resolved_question_is_the_spelled_out_one():
    assert resolve("avg cpc meta", None).question == "average cpc meta"
