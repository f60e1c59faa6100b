"""An offline reply never contains a number that is not in a tool call (its result or the scenario it was asked)."""

from __future__ import annotations

import pytest

from core.agents.ask import ask
from core.agents.fmt import numbers_in, quotable
from core.agents.session import SessionStore

LABELS = "90%"  # the name of the ROI interval


@pytest.mark.parametrize("question", [
    "What is the ROI of TV?", "Compare ROI of Google and Meta", "Which channel has the highest marginal ROI?",
    "What happens to leads if we cut TV spend by 20%?", "Optimise the budget", "How good is the model fit?",
    "What is the ITV contract value and what ROI did TV deliver?", "How much did we spend on Meta in 2025?",
    "How much notice to cancel ITV bookings?",
])
def test_every_number_comes_from_a_tool(toolbox, question):
    toolbox.calls.clear()
    ans = ask(question, settings=toolbox.settings, toolbox=toolbox, store=SessionStore())
    allowed = quotable([c.result for c in toolbox.calls] + [c.args for c in toolbox.calls],
                       extra_text=f"{question} {LABELS}")
    assert toolbox.calls, "the answer must come from tools"
    assert numbers_in(ans.reply) - allowed == set(), ans.reply


def test_the_check_catches_an_invented_number(toolbox):
    ask("What is the ROI of TV?", settings=toolbox.settings, toolbox=toolbox, store=SessionStore())
    allowed = quotable([c.result for c in toolbox.calls])
    assert "0.58" in allowed and "1.23" not in allowed
    assert numbers_in("TV ROI is 1.23") - allowed == {"1.23"}
