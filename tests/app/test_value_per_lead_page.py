"""MIP_VALUE_PER_LEAD reaches every number on the MMM page: ROI tab, optimiser table, what-if and Ask MMM agree."""

from __future__ import annotations

import pytest

from core.config import get_settings
from tests.app.conftest import open_app

PAGE = "pages/mmm.py"


@pytest.fixture
def lead_worth_200(app_env, monkeypatch):
    """The session world with a lead worth £200 instead of the default £150."""
    monkeypatch.setenv("MIP_VALUE_PER_LEAD", "200")
    get_settings.cache_clear()
    yield app_env
    get_settings.cache_clear()


def _frame(at, column: str):
    """The first dataframe on the page that has this column, indexed by channel."""
    return next(df.value for df in at.dataframe if column in df.value.columns).set_index("channel")


def test_roi_tab_optimiser_whatif_and_chat_quote_the_same_value(lead_worth_200):
    at = open_app(PAGE)
    at.button(key="optimise").click().run()
    assert not at.exception, [e.value for e in at.exception]
    roi_tab, plan = _frame(at, "marginal ROI"), _frame(at, "marginal ROI now")
    for channel in roi_tab.index:
        assert plan.loc[channel, "marginal ROI now"] == pytest.approx(roi_tab.loc[channel, "marginal ROI"], rel=1e-9)
    value = next(m for m in at.metric if m.label.startswith("Value at"))
    assert value.label == "Value at £200 per lead"
    at.text_input(key="mmm_q").input("What is the ROI of TV?")
    at.button[-1].click().run()  # the form's Ask button
    reply = next(m.value for m in at.markdown if "**TV** ROI is" in m.value)
    assert f"marginal ROI {roi_tab.loc['TV', 'marginal ROI']:.2f}" in reply
    assert f"**{roi_tab.loc['TV', 'ROI']:.2f}**" in reply
