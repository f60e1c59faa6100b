"""One value per KPI unit everywhere: the ROI table, the optimiser, the what-if and the chat tools agree."""

from __future__ import annotations

import numpy as np
import pytest

from core.agents.tools import Toolbox
from core.config import Settings
from core.mmm import current_allocation, optimize_budget, roi_table, whatif

VALUE = 200.0  # deliberately not the default: a leaked default would show up as a 150/200 ratio


@pytest.fixture
def tools(sim_fit, tmp_path) -> Toolbox:
    """The chat's tools over the real core.mmm, with a lead worth £200."""
    settings = Settings(data_dir=tmp_path, value_per_lead=VALUE)
    settings.model_ready_path.parent.mkdir(parents=True)
    settings.model_ready_path.write_text("placeholder: the fit is injected")
    return Toolbox(settings, fit=sim_fit)


def test_marginal_roi_is_the_same_number_in_roi_table_optimiser_and_chat(sim_fit, tools):
    table = roi_table(sim_fit, VALUE).set_index("channel")
    opt = optimize_budget(sim_fit, value_per_unit=VALUE)
    chat_roi = {r.channel: r for r in tools.mmm_roi()}
    chat_plan = {r.channel: r for r in tools.mmm_optimize().rows}
    for ch in sim_fit.channels:
        expected = table.loc[ch, "marginal_roi"]
        assert opt.marginal_roi_current[ch] == pytest.approx(expected, rel=1e-9)
        assert chat_roi[ch].marginal_roi == pytest.approx(expected, rel=1e-9)
        assert chat_plan[ch].marginal_roi_current == pytest.approx(expected, rel=1e-9)
        assert chat_roi[ch].roi == pytest.approx(table.loc[ch, "roi"], rel=1e-12)


def test_money_scales_with_the_value_and_nothing_else_does(sim_fit):
    at_150, at_200 = roi_table(sim_fit, 150.0), roi_table(sim_fit, VALUE)
    assert np.allclose(at_200.roi / at_150.roi, VALUE / 150.0)
    assert np.allclose(at_200.marginal_roi / at_150.marginal_roi, VALUE / 150.0)
    assert np.allclose(at_200.contribution, at_150.contribution)  # leads do not depend on their £ value


def test_whatif_values_leads_at_the_setting_in_core_and_chat(sim_fit, tools):
    plan = current_allocation(sim_fit) | {sim_fit.channels[0]: 0.0}
    core = whatif(sim_fit, plan, value_per_unit=VALUE)
    chat = tools.mmm_whatif(plan)
    assert core.revenue == pytest.approx(core.kpi * VALUE)
    assert chat.revenue == pytest.approx(core.revenue) and chat.kpi == pytest.approx(core.kpi)
