"""MMM dashboard figures and tables built from small hand-made frames (no model fit)."""

import math

import numpy as np
import pandas as pd
import pytest

from core.viz import mmm_charts as charts

WEEKS = pd.date_range("2024-01-01", periods=4, freq="7D")


def _roi(low=(1.6, 0.5, 0.9), high=(2.8, 1.1, 1.7)) -> pd.DataFrame:
    return pd.DataFrame({"channel": ["meta", "tv", "google"], "roi": [2.0, 0.8, 1.2],
                         "roi_low": list(low), "roi_high": list(high), "marginal_roi": [1.5, 0.4, 0.9]})


def test_weekly_spend_has_one_stacked_trace_per_spend_column():
    df = pd.DataFrame({"week_start": WEEKS, "spend_tv": [1.0, 2, 3, 4], "spend_meta": [4.0, 3, 2, 1],
                       "leads": [10, 11, 12, 13], "temperature": [5.0, 6, 7, 8]})
    fig = charts.weekly_spend(df)
    assert [t.name for t in fig.data] == ["TV", "Meta"]  # KPI and controls are not drawn as spend
    assert {t.stackgroup for t in fig.data} == {"spend"}
    assert list(fig.data[0].y) == [1.0, 2, 3, 4]


def test_contribution_area_has_baseline_plus_one_trace_per_channel():
    contrib = pd.DataFrame({"week_start": WEEKS, "baseline": [5.0] * 4, "tv": [1.0] * 4, "tiktok": [2.0] * 4})
    fig = charts.contribution_area(contrib)
    assert [t.name for t in fig.data] == ["Baseline", "TV", "TikTok"]


def test_response_curves_marks_todays_spend_on_each_curve():
    curves = {ch: pd.DataFrame({"spend": [0.0, 100, 200], "kpi": [0.0, 50, 80]}) for ch in ("tv", "meta")}
    fig = charts.response_curves(curves, {"tv": 100.0, "meta": 150.0})
    lines = [t for t in fig.data if t.mode == "lines"]
    marks = [t for t in fig.data if t.mode == "markers"]
    assert [t.name for t in lines] == ["TV", "Meta"] and len(marks) == 2
    assert marks[0].y[0] == pytest.approx(50.0) and marks[1].y[0] == pytest.approx(65.0)  # interpolated


def test_roi_bars_best_first_with_break_even_line_and_interval_error_bars():
    roi = _roi()
    fig = charts.roi_bars(roi)
    bar = fig.data[0]
    assert list(bar.x) == ["Meta", "Google", "TV"]  # sorted by ROI, best first
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert len(lines) == 1 and lines[0].y0 == lines[0].y1 == 1.0  # the break-even line
    assert bar.error_y.array is not None
    assert list(bar.error_y.array) == pytest.approx([0.8, 0.5, 0.3])  # high - roi, in bar order
    assert list(bar.error_y.arrayminus) == pytest.approx([0.4, 0.3, 0.3])  # roi - low
    assert fig.data[1].name == "Marginal ROI" and list(fig.data[1].y) == [1.5, 0.9, 0.4]


def test_roi_bars_without_intervals_has_no_error_bars():
    fig = charts.roi_bars(_roi(low=(np.nan,) * 3, high=(np.nan,) * 3))
    assert fig.data[0].error_y.array is None
    assert any(s.y0 == 1.0 for s in fig.layout.shapes)  # break-even is drawn either way


def test_allocation_bars_pair_current_and_proposed_per_channel():
    fig = charts.allocation_bars({"tv": 100.0, "meta": 50.0}, {"tv": 80.0, "meta": 70.0})
    assert [t.name for t in fig.data] == ["Current", "Optimised"] and fig.layout.barmode == "group"
    assert list(fig.data[0].x) == ["TV", "Meta"] and list(fig.data[1].y) == [80.0, 70.0]


def test_allocation_table_biggest_increase_first_and_nan_change_for_zero_spend():
    current = {"tv": 100.0, "meta": 50.0, "radio": 0.0, "google": 200.0}
    proposed = {"tv": 90.0, "meta": 60.0, "radio": 10.0, "google": 260.0}
    mroi = {c: 1.0 for c in current}
    t = charts.allocation_table(current, proposed, mroi, mroi)
    assert list(t.channel) == ["Google", "Meta", "TV", "Radio"]  # +30%, +20%, -10%, then no base
    assert list(t["change %"][:3]) == pytest.approx([30.0, 20.0, -10.0])
    radio = t.set_index("channel").loc["Radio"]
    assert math.isnan(radio["change %"]) and radio["optimised £"] == 10.0
