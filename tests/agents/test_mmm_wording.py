"""Model questions in analysts' words, over a real fit: an outcome the model does not explain is declined, a
question about the tail after a channel goes dark gets the carry-over, and "the next €100k" is spent at the margin."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.agents.ask import ask
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.agents.types import Intent
from core.config import Settings
from core.mmm import MmmFit
from tests.fakes import FakeIndex

EUROS = {"currency": "EUR", "kpi_name": "sales"}


@pytest.fixture(scope="module")
def world(sales_world, sales_table, tmp_path_factory) -> tuple[Settings, MmmFit]:
    """The sales world, its weekly table also carrying revenue, an outcome the model of sales does not explain."""
    base, fit = sales_world
    settings = replace(base, data_dir=tmp_path_factory.mktemp("outcomes"), **EUROS)
    settings.model_ready_path.parent.mkdir(parents=True)
    sales_table.assign(revenue=sales_table.sales * 31_000).to_csv(settings.model_ready_path, index=False)
    return settings, fit


def _ask(question: str, world: tuple[Settings, MmmFit], intent: Intent | None = Intent.MMM) -> tuple[str, bool, Toolbox]:
    settings, fit = world
    tools = Toolbox(settings, index=FakeIndex(), fit=fit)
    ans = ask(question, settings=settings, toolbox=tools, store=SessionStore(), intent=intent)
    return ans.reply, ans.declined, tools


def test_the_outcomes_the_model_does_not_explain_are_read_from_its_table(world):
    _, _, tools = _ask("What is the ROI of TV?", world)
    assert tools.mmm_unmodelled() == ["revenue"]


def test_an_outcome_the_model_does_not_explain_is_declined(world):
    reply, declined, _ = _ask("According to the model, how much revenue did TV generate?", world)
    assert declined and "explains weekly sales; it does not model revenue" in reply, reply
    reply, declined, _ = _ask("According to the model, how many sales did TV bring in?", world)
    assert not declined and "TV" in reply and "does not model" not in reply, reply


def test_how_long_the_tail_lasts_after_a_channel_goes_dark_is_the_carry_over(world):
    reply, declined, tools = _ask("Once TV goes dark, for how many weeks do sales keep trickling in?", world)
    assert not declined and "half-life" in reply and "Scenario" not in reply, reply
    assert "mmm_whatif" not in [c.name for c in tools.calls]


def test_the_next_amount_in_a_channel_is_added_to_it_and_read_at_the_margin(world):
    reply, declined, tools = _ask("What would the next €100k in TV bring back?", world)
    now = next(c.result for c in tools.calls if c.name == "mmm_current")["tv"]
    assert not declined and f"TV €{now:,.0f} → €{now + 100_000:,.0f}" in reply, reply
    assert "marginal ROI" in reply, reply


def test_terse_mroi_is_a_model_question(world):
    reply, declined, _ = _ask("tv mroi?", world, intent=None)
    assert not declined and "marginal ROI" in reply and "**TV** ROI" in reply, reply


@pytest.mark.parametrize(("question", "says"), [
    ("Finance have found us another €750k for the year. Which channel should it go into?", "marginal ROI (next €)"),
    ("How does an extra euro in TV compare with what TV returns on average?", "marginal ROI"),
    ("What's the percentage error on the holdout period?", "held-out weeks"),
    ("Pound for pound, what are we getting back on the TV spend?", "**TV** ROI"),
    ("Does TV have much of a tail, or is it all same-week response?", "half-life"),
])
def test_model_questions_in_analysts_words_reach_the_model(world, question, says):
    reply, declined, _ = _ask(question, world, intent=None)
    assert not declined and says in reply, reply


def test_revenue_per_euro_is_the_roi_not_an_outcome_the_model_lacks(world):
    reply, declined, _ = _ask("How much revenue does each €1 of TV bring back?", world)
    assert not declined and "**TV** ROI" in reply, reply
