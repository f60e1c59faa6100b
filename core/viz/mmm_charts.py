"""Plotly figures and display tables of the MMM dashboard, built from core.mmm outputs (no modelling here)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.domain import SPEND_PREFIX, channel_label

HEIGHT = 360


def _layout(fig: go.Figure, title: str, y: str, x: str = "") -> go.Figure:
    """Shared look: title, axis labels, legend on top, compact margins."""
    fig.update_layout(title=title, height=HEIGHT, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", y=-0.2), yaxis_title=y, xaxis_title=x, hovermode="x unified")
    return fig


def weekly_spend(df: pd.DataFrame, date_col: str = "week_start") -> go.Figure:
    """Stacked area of weekly spend by channel."""
    fig = go.Figure()
    for col in [c for c in df.columns if c.startswith(SPEND_PREFIX)]:
        fig.add_trace(go.Scatter(x=df[date_col], y=df[col], name=channel_label(col[len(SPEND_PREFIX):]), stackgroup="spend",
                                 mode="lines", line=dict(width=0.5)))
    return _layout(fig, "Weekly spend by channel", "£ per week")


def contribution_area(contrib: pd.DataFrame) -> go.Figure:
    """Stacked weekly decomposition of the KPI: baseline at the bottom, then each channel."""
    fig = go.Figure()
    for col in [c for c in contrib.columns if c != "week_start"]:
        fig.add_trace(go.Scatter(x=contrib.week_start, y=contrib[col], stackgroup="kpi", mode="lines",
                                 name="Baseline" if col == "baseline" else channel_label(col), line=dict(width=0.5)))
    return _layout(fig, "What drove the KPI each week", "KPI units per week")


def roi_bars(roi: pd.DataFrame) -> go.Figure:
    """ROI per channel with its 90% interval as error bars, best first."""
    t = roi.sort_values("roi", ascending=False)
    has_band = t.roi_low.notna().any()
    fig = go.Figure(go.Bar(
        x=[channel_label(c) for c in t.channel], y=t.roi, name="ROI",
        error_y=dict(type="data", symmetric=False, array=(t.roi_high - t.roi).to_numpy(),
                     arrayminus=(t.roi - t.roi_low).to_numpy()) if has_band else None,
        hovertemplate="%{x}: £%{y:.2f} per £<extra></extra>"))
    fig.add_trace(go.Scatter(x=[channel_label(c) for c in t.channel], y=t.marginal_roi, mode="markers", name="Marginal ROI",
                             marker=dict(symbol="diamond", size=10)))
    fig.add_hline(y=1.0, line_dash="dot", annotation_text="break-even")
    return _layout(fig, "ROI by channel (90% interval) and marginal ROI", "£ back per £ spent")


def response_curves(curves: dict[str, pd.DataFrame], current: dict[str, float]) -> go.Figure:
    """Plan-period spend → incremental KPI per channel, with today's spend marked."""
    fig = go.Figure()
    for ch, curve in curves.items():
        fig.add_trace(go.Scatter(x=curve.spend, y=curve.kpi, mode="lines", name=channel_label(ch), legendgroup=ch))
        now = float(np.interp(current[ch], curve.spend, curve.kpi))
        fig.add_trace(go.Scatter(x=[current[ch]], y=[now], mode="markers", legendgroup=ch, showlegend=False,
                                 marker=dict(size=9, symbol="circle-open", line=dict(width=2)),
                                 hovertemplate=f"{channel_label(ch)} today: £%{{x:,.0f}} → %{{y:,.0f}}<extra></extra>"))
    return _layout(fig, "Response curves (○ = current spend)", "incremental KPI (plan year)", "£ spend (plan year)")


def adstock_chart(arrays: dict[str, np.ndarray], dates: pd.Series, channel: str) -> go.Figure:
    """One channel's raw vs adstocked spend, and its saturated level on a second axis."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=dates, y=arrays["raw"], name="Spend", opacity=0.45))
    fig.add_trace(go.Scatter(x=dates, y=arrays["adstocked"], name="Adstocked spend", mode="lines"))
    fig.add_trace(go.Scatter(x=dates, y=arrays["saturated"], name="Saturation (0–1)", mode="lines", yaxis="y2",
                             line=dict(dash="dot")))
    fig.update_layout(yaxis2=dict(overlaying="y", side="right", range=[0, 1], title="saturation"))
    return _layout(fig, f"{channel_label(channel)}: carry-over and saturation", "£ per week")


def fit_chart(fva: pd.DataFrame, holdout_weeks: int = 0) -> go.Figure:
    """Actual vs fitted KPI, with the held-out weeks shaded."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=fva.week_start, y=fva.actual, name="Actual", mode="lines+markers",
                             marker=dict(size=4)))
    fig.add_trace(go.Scatter(x=fva.week_start, y=fva.fitted, name="Fitted", mode="lines"))
    if holdout_weeks:
        fig.add_vrect(x0=fva.week_start.iloc[-holdout_weeks], x1=fva.week_start.iloc[-1], opacity=0.08,
                      line_width=0, annotation_text="holdout", annotation_position="top left")
    return _layout(fig, "Model fit: actual vs fitted", "KPI per week")


def allocation_bars(current: dict[str, float], proposed: dict[str, float], name: str = "Optimised") -> go.Figure:
    """Current and proposed spend side by side per channel."""
    chans = list(current)
    fig = go.Figure([go.Bar(x=[channel_label(c) for c in chans], y=[current[c] for c in chans], name="Current"),
                     go.Bar(x=[channel_label(c) for c in chans], y=[proposed[c] for c in chans], name=name)])
    fig.update_layout(barmode="group")
    return _layout(fig, f"Current vs {name.lower()} allocation", "£ (plan year)")


def allocation_table(current: dict[str, float], proposed: dict[str, float], mroi_now: dict[str, float],
                     mroi_new: dict[str, float]) -> pd.DataFrame:
    """The optimiser's plan as a display table, biggest increase first."""
    rows = [{"channel": channel_label(c), "current £": current[c], "optimised £": proposed[c],
             "change %": 100 * (proposed[c] - current[c]) / current[c] if current[c] else np.nan,
             "marginal ROI now": mroi_now[c], "marginal ROI after": mroi_new[c]} for c in current]
    return pd.DataFrame(rows).sort_values("change %", ascending=False, na_position="last")


def roi_display(roi: pd.DataFrame) -> pd.DataFrame:
    """The ROI table with readable channel names and column titles."""
    t = roi.sort_values("roi", ascending=False).copy()
    t["channel"] = [channel_label(c) for c in t.channel]
    return t.rename(columns={"spend": "spend £", "contribution": "KPI units", "roi": "ROI", "roi_low": "ROI low",
                             "roi_high": "ROI high", "marginal_roi": "marginal ROI", "cost_per_unit": "cost per unit £"})
