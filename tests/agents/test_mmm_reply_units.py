"""The MMM analyst speaks the modelled dataset's currency and KPI (Settings.currency / kpi_name), as the dashboard does:
a file of sales in euros gets € amounts and "sales", never "£" or "leads"; the default settings keep "£" and "leads"."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from core.agents import fmt
from core.agents.ask import ask
from core.agents.fmt import ReplyUnits, numbers_in, quotable
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.agents.types import Intent
from core.config import Settings
from core.mmm import MmmFit, load_weekly, roi_table
from tests.fakes import FakeIndex

EUROS = {"currency": "EUR", "kpi_name": "sales"}
QUESTIONS = {  # one per kind of read-out the analyst writes
    "roi": "What is the ROI of TV?",
    "ranking": "Which channel has the highest marginal ROI?",
    "next": "Which channel should get the next euro?",
    "payback": "Is TV paying for itself?",
    "whatif": "What if we cut TV by 20%?",
    "optimise": "Optimise the budget",
    "fit": "How good is the model fit?",
    "carryover": "How long does a TV burst keep working after it airs?",
    "saturation": "Which channels have hit their ceiling?",
    "summary": "Give me a summary of total spend",
}
NAMES_THE_KPI = ("roi", "ranking", "next", "payback", "whatif", "optimise", "fit", "carryover")
QUOTES_MONEY = ("roi", "ranking", "whatif", "optimise", "summary")


def _reply(question: str, settings: Settings, fit: MmmFit) -> tuple[str, Toolbox]:
    """The MMM analyst's reply over the real model, with the toolbox that logged its calls."""
    tools = Toolbox(settings, index=FakeIndex(), fit=fit)
    ans = ask(question, settings=settings, toolbox=tools, store=SessionStore(), intent=Intent.MMM)
    return ans.reply, tools


def _no_invented_numbers(reply: str, tools: Toolbox, question: str) -> None:
    allowed = quotable([c.result for c in tools.calls] + [c.args for c in tools.calls], extra_text=f"{question} 90%")
    assert numbers_in(reply) - allowed == set(), reply


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_a_sales_file_in_euros_gets_euros_and_sales_never_pounds_or_leads(sales_world, kind):
    base, fit = sales_world
    question = QUESTIONS[kind]
    reply, tools = _reply(question, replace(base, **EUROS), fit)
    assert "£" not in reply and "lead" not in reply.lower() and "pound" not in reply.lower(), reply
    if kind in QUOTES_MONEY:
        assert re.search(r"€\d", reply), reply
    if kind in NAMES_THE_KPI:
        assert re.search(r"\bsales?\b", reply), reply
    _no_invented_numbers(reply, tools, question)


def test_the_roi_reply_quotes_the_models_spend_and_cost_per_sale_in_euros(sales_world):
    base, fit = sales_world
    reply, _ = _reply("What is the ROI of TV?", replace(base, **EUROS), fit)
    tv = roi_table(fit, 2.5).set_index("channel").loc["tv"]
    cost = f"€{tv.cost_per_unit:,.2f}" if tv.cost_per_unit < 100 else f"€{tv.cost_per_unit:,.0f}"  # cents when small
    assert f"€{tv.spend:,.0f} spent over the plan year" in reply, reply
    assert f"incremental sales (cost per sale {cost})" in reply, reply
    assert "ROI = € of sale value returned per € spent" in reply


def test_a_what_if_moves_euros_and_counts_sales(sales_world):
    base, fit = sales_world
    reply, tools = _reply("What if we cut TV by 20%?", replace(base, **EUROS), fit)
    run = next(c.result for c in tools.calls if c.name == "mmm_whatif")
    now = next(c.result for c in tools.calls if c.name == "mmm_current")["tv"]
    assert f"TV €{now:,.0f} → €{0.8 * now:,.0f}" in reply, reply
    assert f"Predicted sales over the plan period: **{run.kpi:,.0f}**" in reply
    assert f"sale value €{run.revenue:,.0f}" in reply


def test_a_letter_code_is_written_before_the_amount_with_a_space(sales_world):
    base, fit = sales_world
    chf = replace(base, currency="CHF", kpi_name="test_drives")
    reply, tools = _reply("What is the ROI of TV?", chf, fit)
    assert re.search(r"CHF \d[\d,]* spent over the plan year", reply), reply
    assert "incremental test drives (cost per test drive CHF " in reply and "per CHF spent" in reply
    _no_invented_numbers(reply, tools, "What is the ROI of TV?")
    reply, _ = _reply("Optimise the budget", chf, fit)
    assert re.search(r"same total CHF \d", reply) and "predicted test drives" in reply, reply


def test_default_settings_keep_pounds_and_leads(sales_world):
    base, fit = sales_world
    default = Settings(data_dir=base.data_dir, value_per_lead=2.5)
    assert (default.currency, default.kpi_name) == ("£", "leads")
    for question in (QUESTIONS["roi"], QUESTIONS["whatif"], QUESTIONS["optimise"]):
        reply, _ = _reply(question, default, fit)
        assert re.search(r"£\d", reply) and "leads" in reply and "€" not in reply, reply


def test_the_summary_names_only_the_totals_the_table_has(sales_world, sales_table: pd.DataFrame):
    base, fit = sales_world
    reply, _ = _reply(QUESTIONS["summary"], replace(base, **EUROS), fit)
    spend = sales_table[["spend_tv", "spend_search"]].to_numpy().sum()
    # no leads, cars or revenue column: none said as 0
    assert f"total spend €{spend:,.0f}, {sales_table.sales.sum():,.0f} sales." in reply, reply
    assert "cars sold" not in reply and "revenue" not in reply


@pytest.mark.parametrize(("text", "numbers"), [
    ("€1,234 and -€56.5", {"1234", "56.5"}), ("CHF 7,890 back", {"7890"}), ("$12 per $ spent, +4.0%", {"12", "4.0"}),
    ("£150 a lead, ¥3", {"150", "3"}),
])
def test_numbers_are_read_whatever_the_currency(text, numbers):
    assert numbers_in(text) == numbers


def test_money_is_the_dashboards_full_amount_in_the_datasets_currency():
    assert fmt.money(1_234_567.4) == "£1,234,567"
    assert fmt.money(1_234_567.4, "EUR") == "€1,234,567" and fmt.money(-500, "$") == "-$500"
    assert fmt.money(2_500, "CHF") == "CHF 2,500"
    u = ReplyUnits.of(Settings(data_dir=Path("."), currency="EUR", kpi_name="test_drives"))
    assert (u.cur, u.kpis, u.one, u.prefix) == ("€", "test drives", "test drive", "€")
    assert u.price(1.372) == "€1.37" and u.price(312.4) == "€312"
    assert fmt.kpi_words("kpi") == "KPI units"


def test_a_model_read_out_cites_the_weekly_file_the_model_was_fitted_to(sales_world, sales_table, tmp_path):
    """A user's own weekly file is the source of every read-out, not our model_ready.csv."""
    base, fit = sales_world
    own = tmp_path / "weekly_sales_2024_25.csv"
    sales_table.to_csv(own, index=False)
    own_fit = replace(fit, data=load_weekly(own, target="sales"))  # the same fit, read from the user's file
    for fitted, cited in ((fit, "model_ready.csv"), (own_fit, own.name)):
        tools = Toolbox(base, index=FakeIndex(), fit=fitted)
        ans = ask("What is the ROI of TV?", settings=base, toolbox=tools, store=SessionStore(), intent=Intent.MMM)
        assert ans.sources and {s.file for s in ans.sources} == {cited}
