"""Ask MMM's summary describes the data the model was fitted on: an upload's own spend and KPI in its currency, and
the generated world's sales columns only when the fit is of the generated world's table."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from core.agents.ask import ask
from core.agents.fmt import numbers_in, quotable
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.agents.types import Intent
from core.config import Settings
from core.domain import SPEND_PREFIX, channel_label
from core.mmm import FitConfig, MmmFit, fit_model, load_weekly, summarize
from core.mmm.summary import FittedSummary, same_data, summarize_fitted
from tests.fakes import FakeIndex

QUESTION = "Give me a summary of total spend"
EUROS = {"currency": "EUR", "kpi_name": "sales"}
POINT_FIT = FitConfig(seed=1, n_bootstrap=0)  # the summary reads only the fit's data: no bootstrap needed


def _spend(table: pd.DataFrame) -> float:
    """All spend_ columns summed, straight from the table."""
    return float(table[[c for c in table.columns if c.startswith(SPEND_PREFIX)]].to_numpy().sum())


def _ask(settings: Settings, fit: MmmFit) -> tuple[str, FittedSummary, Toolbox]:
    """The MMM analyst's summary reply, the mmm_summary result it quoted, and the toolbox that logged the calls."""
    tools = Toolbox(settings, index=FakeIndex(), fit=fit)
    reply = ask(QUESTION, settings=settings, toolbox=tools, store=SessionStore(), intent=Intent.MMM).reply
    allowed = quotable([c.result for c in tools.calls] + [c.args for c in tools.calls], extra_text=QUESTION)
    assert numbers_in(reply) - allowed == set(), reply  # every number comes from a tool
    summary = next(c.result for c in tools.calls if c.name == "mmm_summary")
    return reply, summary, tools


@pytest.fixture(scope="module")
def world_fit(world_settings) -> MmmFit:
    """The model of the generated world's model_ready.csv (leads), point fit only."""
    return fit_model(load_weekly(world_settings.model_ready_path, target="leads"), POINT_FIT)


def test_an_uploads_summary_gives_its_own_spend_and_sales_in_euros_without_model_ready(
        sales_world, sales_table, tmp_path):
    _, fit = sales_world
    settings = Settings(data_dir=tmp_path, value_per_lead=2.5, **EUROS)
    assert not settings.model_ready_path.exists()
    reply, summary, _ = _ask(settings, fit)
    weeks = sales_table.week_start
    assert (f"Across {len(sales_table)} weeks ({weeks.min()} to {weeks.max()}): total spend €{_spend(sales_table):,.0f}, "
            f"{sales_table.sales.sum():,.0f} sales.") in reply, reply
    for ch in ("tv", "search"):
        assert f"| {channel_label(ch)} | €{sales_table[SPEND_PREFIX + ch].sum():,.0f} |" in reply, reply
    assert "£" not in reply and not [w for w in ("lead", "cars sold", "units", "revenue") if w in reply.lower()], reply
    assert (summary.kpi_name, summary.total_units, summary.total_revenue) == ("sales", None, None)


def test_an_upload_is_not_given_the_generated_worlds_leads_cars_or_revenue(sales_world, sales_table, world_settings):
    _, fit = sales_world  # the generated world's model_ready.csv exists, but the model is of the sales table
    reply, summary, _ = _ask(replace(world_settings, value_per_lead=2.5, **EUROS), fit)
    world = pd.read_csv(world_settings.model_ready_path)
    assert f"total spend €{_spend(sales_table):,.0f}, {sales_table.sales.sum():,.0f} sales." in reply, reply
    assert f"{_spend(world):,.0f}" not in reply and "cars sold" not in reply and "revenue" not in reply
    assert "lead" not in reply.lower() and summary.total_units is None and summary.total_revenue is None


@pytest.mark.slow
def test_the_generated_worlds_summary_keeps_leads_cars_sold_and_revenue(world_settings, world_fit):
    reply, summary, _ = _ask(world_settings, world_fit)
    world = pd.read_csv(world_settings.model_ready_path)
    assert (f"total spend £{_spend(world):,.0f}, {world.leads.sum():,.0f} leads, {world.units_sold.sum():,.0f} cars "
            f"sold, revenue £{world.revenue.sum():,.0f}.") in reply, reply
    assert f"Across {len(world)} weeks ({world.week_start.min()} to {world.week_start.max()})" in reply
    assert summary.total_revenue == pytest.approx(world.revenue.sum())


@pytest.mark.slow
def test_a_table_with_the_worlds_weeks_but_other_spend_is_not_the_worlds(world_settings, world_fit):
    world = pd.read_csv(world_settings.model_ready_path)
    moved = world.assign(spend_tv=world.spend_tv * 1.1)
    assert same_data(load_weekly(world), world_fit.data)
    assert not same_data(load_weekly(moved), world_fit.data)
    assert not same_data(load_weekly(world, target="test_drives"), world_fit.data)
    other = fit_model(load_weekly(moved), POINT_FIT)  # an upload as long as the world, one channel's spend changed
    reply, summary, _ = _ask(world_settings, other)
    assert f"total spend £{_spend(moved):,.0f}, {moved.leads.sum():,.0f} leads." in reply, reply
    assert "cars sold" not in reply and summary.total_units is None


@pytest.mark.slow
def test_the_dashboard_and_fitted_summaries_agree_on_one_table(world_settings):
    world = pd.read_csv(world_settings.model_ready_path)
    table, fitted = summarize(world), summarize_fitted(load_weekly(world), source=world)
    assert fitted.total_spend == pytest.approx(table["total_spend"]) == pytest.approx(_spend(world))
    assert fitted.channel_breakdown == pytest.approx(table["channel_breakdown"])
    assert fitted.weeks_of_data == table["weeks_of_data"] == len(world)
    assert (fitted.total_kpi, fitted.total_units, fitted.total_revenue) == pytest.approx(
        (table["total_leads"], table["total_units"], table["total_revenue"]))
    kpi_is_units = summarize_fitted(load_weekly(world, target="units_sold"), source=world)
    assert kpi_is_units.total_kpi == pytest.approx(world.units_sold.sum()) and kpi_is_units.total_units is None
