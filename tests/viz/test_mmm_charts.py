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
    assert math.isnan(radio["change %"]) and radio["optimised"] == "£10"


def test_allocation_table_writes_money_in_full_in_the_files_currency():
    t = charts.allocation_table({"tv": 6_000_000.0}, {"tv": 7_800_000.0}, {"tv": 0.3}, {"tv": 0.2}, currency="EUR")
    row = t.iloc[0]
    assert (row.current, row.optimised, row.change) == ("€6,000,000", "€7,800,000", "€1,800,000")


def _lab(color: str) -> np.ndarray:
    """CIE L*a*b* of a '#RRGGBB' colour (D65), to measure how far apart two colours look."""
    v = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    v = np.where(v > 0.04045, ((v + 0.055) / 1.055) ** 2.4, v / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ v
    x, y, z = xyz / np.array([0.95047, 1.0, 1.08883])
    f = lambda t: np.cbrt(t) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29
    return np.array([116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))])


ELEVEN = ("tv", "ooh", "youtube", "meta", "google", "dv360", "tiktok", "linkedin", "print", "radio", "events")


def test_channel_colours_are_distinct_and_stable_by_order():
    colors = charts.channel_colors(ELEVEN)
    labs = [_lab(c) for c in colors.values()]
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(labs) for b in labs[i + 1:]]
    assert min(gaps) > 25  # clearly different to the eye (CIE76 ΔE); TV, DV360 and Events are no longer all blue
    assert all(np.linalg.norm(_lab(charts.BASELINE_COLOR) - lab) > 15 for lab in labs)
    assert charts.channel_colors(ELEVEN) == colors  # same channels, same colours
    assert charts.channel_colors(ELEVEN[:4]) == {c: colors[c] for c in ELEVEN[:4]}  # a prefix keeps its colours
    many = charts.channel_colors([f"ch{i:02d}" for i in range(60)])
    assert len(set(many.values())) == 60


def _trace_color(trace) -> object:
    marker = getattr(trace, "marker", None)
    if marker is not None and marker.color is not None:
        return marker.color
    return trace.line.color


def test_a_channel_has_its_colour_on_every_chart():
    colors = charts.channel_colors(["tv", "meta"])
    curves = {ch: pd.DataFrame({"spend": [0.0, 100, 200], "kpi": [0.0, 50, 80]}) for ch in ("meta", "tv")}
    fig = charts.response_curves(curves, {"tv": 100.0, "meta": 150.0}, colors)  # other order, same colours
    assert {t.name: t.line.color for t in fig.data if t.mode == "lines"} == {"Meta": colors["meta"], "TV": colors["tv"]}
    roi = pd.DataFrame({"channel": ["meta", "tv"], "roi": [0.8, 2.0], "roi_low": [0.5, 1.5], "roi_high": [1.0, 2.5],
                        "marginal_roi": [0.4, 1.0]})
    bars = charts.roi_bars(roi, colors).data[0]
    assert dict(zip(bars.x, bars.marker.color)) == {"TV": colors["tv"], "Meta": colors["meta"]}
    spend = charts.weekly_spend(pd.DataFrame({"week_start": WEEKS, "spend_meta": [1.0] * 4, "spend_tv": [2.0] * 4}),
                                colors=colors)
    assert {t.name: t.line.color for t in spend.data} == {"Meta": colors["meta"], "TV": colors["tv"]}
    contrib = charts.contribution_area(pd.DataFrame({"week_start": WEEKS, "baseline": [5.0] * 4, "tv": [1.0] * 4}),
                                       colors)
    assert [t.line.color for t in contrib.data] == [charts.BASELINE_COLOR, colors["tv"]]
    alloc = charts.allocation_bars({"meta": 1.0, "tv": 2.0}, {"meta": 2.0, "tv": 1.0}, colors=colors)
    assert list(alloc.data[1].marker.color) == [colors["meta"], colors["tv"]]
    parts = pd.DataFrame({"part": ["baseline", "tv", "meta", "total"], "kind": ["baseline", "channel", "channel", "total"],
                          "kpi": [10.0, 3.0, 2.0, 15.0], "start": [0.0, 10.0, 13.0, 0.0], "end": [10.0, 13.0, 15.0, 15.0]})
    water = charts.waterfall(parts, colors)
    assert [_trace_color(t) for t in water.data[1:3]] == [colors["tv"], colors["meta"]]
    shares = pd.DataFrame({"channel": ["tv", "meta"], "spend_share": [0.7, 0.3], "effect_share": [0.6, 0.4]})
    assert list(charts.share_chart(shares, colors).data[1].marker.color) == [colors["tv"], colors["meta"]]
    plans = pd.DataFrame({"total": [10.0, 20.0], "tv": [6.0, 12.0], "meta": [4.0, 8.0]})
    assert [t.marker.color for t in charts.sweep_allocation_chart(plans, colors).data] == [colors["tv"], colors["meta"]]


def test_waterfall_bars_start_where_the_last_one_ended():
    parts = pd.DataFrame({"part": ["baseline", "tv", "meta", "total"], "kind": ["baseline", "channel", "channel", "total"],
                          "kpi": [10.0, 3.0, 2.0, 15.0], "start": [0.0, 10.0, 13.0, 0.0], "end": [10.0, 13.0, 15.0, 15.0]})
    fig = charts.waterfall(parts)
    assert [t.name for t in fig.data] == ["Baseline", "TV", "Meta", "Total"]
    assert [(t.base[0], t.base[0] + t.y[0]) for t in fig.data] == [(0.0, 10.0), (10.0, 13.0), (13.0, 15.0), (0.0, 15.0)]


def test_share_chart_shows_both_shares_in_percent():
    shares = pd.DataFrame({"channel": ["tv", "meta"], "spend_share": [0.7, 0.3], "effect_share": [0.6, 0.4]})
    spend, effect = charts.share_chart(shares).data
    assert (spend.name, effect.name) == ("Share of spend", "Share of effect")
    assert list(spend.x) == pytest.approx([70.0, 30.0]) and list(effect.x) == pytest.approx([60.0, 40.0])


def test_sweep_chart_marks_today_break_even_and_the_most_profitable_total():
    frame = pd.DataFrame({"total": [10.0, 20.0, 30.0], "kpi": [5.0, 8.0, 10.0], "kpi_low": [4.0, 7.0, 8.0],
                          "kpi_high": [6.0, 9.0, 12.0], "profit": [3.0, 1.0, -2.0], "profit_low": [2.0, 0.0, -4.0],
                          "profit_high": [4.0, 2.0, 0.0]})
    fig = charts.sweep_chart(frame, today_total=20.0, break_even=[23.3], best_total=10.0, currency="$", kpi_name="sales")
    lines = {s.x0 for s in fig.layout.shapes if s.type == "line"}
    assert lines == {20.0, 23.3, 10.0}
    named = {t.name: t for t in fig.data}
    assert list(named["Predicted sales"].y) == [5.0, 8.0, 10.0] and named["Profit"].yaxis == "y2"
    assert "$" in fig.layout.xaxis.title.text
