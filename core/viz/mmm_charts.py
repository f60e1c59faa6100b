"""Plotly figures and display tables of the MMM dashboard, built from core.mmm outputs (no modelling here).

Every chart takes the same `colors` (channel_colors of the fit's channels), so a channel has one colour on every
chart of the page.
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.colors as pc
import plotly.graph_objects as go

from core.domain import SPEND_PREFIX, channel_label
from core.mmm.outputs import BREAK_EVEN_ROI
from core.viz.format import DEFAULT_CURRENCY, currency_name, currency_prefix, money_full

HEIGHT = 360
# Plotly's 24-colour qualitative palettes: the first 11 (our channels) are at least 33 CIE76 ΔE apart.
PALETTE: tuple[str, ...] = (*pc.qualitative.Dark24, *pc.qualitative.Light24)
BASELINE_COLOR = "#BDBDBD"  # the KPI without media: a neutral grey no channel has
GOLDEN_ANGLE = 0.381966  # hue step (in turns) for channels beyond the palette: successive hues stay far apart
LIGHT = 0.45  # opacity of a "before" bar next to its solid "after"

Colors = Mapping[str, str]


def channel_colors(channels: Sequence[str]) -> dict[str, str]:
    """One fixed colour per channel, by its position: the same channels in the same order get the same colours."""
    out = {}
    for i, ch in enumerate(channels):
        if i < len(PALETTE):
            out[ch] = PALETTE[i]
        else:
            r, g, b = colorsys.hls_to_rgb(((i - len(PALETTE)) * GOLDEN_ANGLE) % 1.0, 0.45, 0.75)
            out[ch] = f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"
    return out


def _colors(colors: Colors | None, channels: Sequence[str]) -> Colors:
    """The page's colours, or this chart's own (by its channel order) when none are given."""
    return colors if colors is not None else channel_colors(channels)


def _layout(fig: go.Figure, title: str, y: str, x: str = "") -> go.Figure:
    """Shared look: title, axis labels, legend on top, compact margins."""
    fig.update_layout(title=title, height=HEIGHT, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", y=-0.2), yaxis_title=y, xaxis_title=x, hovermode="x unified")
    return fig


def weekly_spend(df: pd.DataFrame, date_col: str = "week_start", colors: Colors | None = None,
                 currency: str = DEFAULT_CURRENCY) -> go.Figure:
    """Stacked area of weekly spend by channel."""
    cols = [c for c in df.columns if c.startswith(SPEND_PREFIX)]
    palette = _colors(colors, [c[len(SPEND_PREFIX):] for c in cols])
    fig = go.Figure()
    for col in cols:
        ch = col[len(SPEND_PREFIX):]
        fig.add_trace(go.Scatter(x=df[date_col], y=df[col], name=channel_label(ch), stackgroup="spend",
                                 mode="lines", line=dict(width=0.5, color=palette.get(ch))))
    return _layout(fig, "Weekly spend by channel", f"{currency_name(currency)} per week")


def contribution_area(contrib: pd.DataFrame, colors: Colors | None = None) -> go.Figure:
    """Stacked weekly decomposition of the KPI: baseline at the bottom, then each channel."""
    cols = [c for c in contrib.columns if c != "week_start"]
    palette = _colors(colors, [c for c in cols if c != "baseline"])
    fig = go.Figure()
    for col in cols:
        base = col == "baseline"
        fig.add_trace(go.Scatter(x=contrib.week_start, y=contrib[col], stackgroup="kpi", mode="lines",
                                 name="Baseline" if base else channel_label(col),
                                 line=dict(width=0.5, color=BASELINE_COLOR if base else palette.get(col))))
    return _layout(fig, "What drove the KPI each week", "KPI units per week")


def roi_bars(roi: pd.DataFrame, colors: Colors | None = None, currency: str = DEFAULT_CURRENCY) -> go.Figure:
    """ROI per channel with its 90% interval as error bars, best first; break-even (ROI 1) dotted."""
    palette = _colors(colors, list(roi.channel))
    t = roi.sort_values("roi", ascending=False)
    has_band = t.roi_low.notna().any()
    sym = currency_prefix(currency)
    fig = go.Figure(go.Bar(
        x=[channel_label(c) for c in t.channel], y=t.roi, name="ROI", marker_color=[palette[c] for c in t.channel],
        error_y=dict(type="data", symmetric=False, array=(t.roi_high - t.roi).to_numpy(),
                     arrayminus=(t.roi - t.roi_low).to_numpy()) if has_band else None,
        hovertemplate=f"%{{x}}: {sym}%{{y:.2f}} per {currency_name(currency)}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[channel_label(c) for c in t.channel], y=t.marginal_roi, mode="markers",
                             name="Marginal ROI", marker=dict(symbol="diamond", size=10, color="#444444")))
    fig.add_hline(y=BREAK_EVEN_ROI, line_dash="dot", annotation_text="break-even")
    return _layout(fig, "ROI by channel (90% interval) and marginal ROI", f"{currency_name(currency)} back per {currency_name(currency)} spent")


def response_curves(curves: dict[str, pd.DataFrame], current: dict[str, float], colors: Colors | None = None,
                    currency: str = DEFAULT_CURRENCY) -> go.Figure:
    """Plan-period spend → incremental KPI per channel, with today's spend marked."""
    palette = _colors(colors, list(curves))
    sym = currency_prefix(currency)
    fig = go.Figure()
    for ch, curve in curves.items():
        color = palette[ch]
        fig.add_trace(go.Scatter(x=curve.spend, y=curve.kpi, mode="lines", name=channel_label(ch), legendgroup=ch,
                                 line=dict(color=color)))
        now = float(np.interp(current[ch], curve.spend, curve.kpi))
        fig.add_trace(go.Scatter(x=[current[ch]], y=[now], mode="markers", legendgroup=ch, showlegend=False,
                                 marker=dict(size=9, symbol="circle-open", line=dict(width=2, color=color)),
                                 hovertemplate=f"{channel_label(ch)} today: {sym}%{{x:,.0f}} → %{{y:,.0f}}<extra></extra>"))
    return _layout(fig, "Response curves (○ = current spend)", "incremental KPI (plan year)",
                   f"{currency_name(currency)} spend (plan year)")


def adstock_chart(arrays: dict[str, np.ndarray], dates: pd.Series, channel: str, colors: Colors | None = None,
                  currency: str = DEFAULT_CURRENCY) -> go.Figure:
    """One channel's raw vs adstocked spend, and its saturated level on a second axis."""
    color = _colors(colors, [channel]).get(channel)
    fig = go.Figure()
    fig.add_trace(go.Bar(x=dates, y=arrays["raw"], name="Spend", opacity=LIGHT, marker_color=color))
    fig.add_trace(go.Scatter(x=dates, y=arrays["adstocked"], name="Adstocked spend", mode="lines",
                             line=dict(color=color)))
    fig.add_trace(go.Scatter(x=dates, y=arrays["saturated"], name="Saturation (0–1)", mode="lines", yaxis="y2",
                             line=dict(dash="dot", color="#444444")))
    fig.update_layout(yaxis2=dict(overlaying="y", side="right", range=[0, 1], title="saturation"))
    return _layout(fig, f"{channel_label(channel)}: carry-over and saturation",
                   f"{currency_name(currency)} per week")


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


def allocation_bars(current: dict[str, float], proposed: dict[str, float], name: str = "Optimised",
                    colors: Colors | None = None, currency: str = DEFAULT_CURRENCY) -> go.Figure:
    """Current (light) and proposed (solid) spend side by side per channel, in each channel's colour."""
    chans = list(current)
    palette = _colors(colors, chans)
    labels, shade = [channel_label(c) for c in chans], [palette[c] for c in chans]
    fig = go.Figure([go.Bar(x=labels, y=[current[c] for c in chans], name="Current", marker_color=shade,
                            opacity=LIGHT),
                     go.Bar(x=labels, y=[proposed[c] for c in chans], name=name, marker_color=shade)])
    fig.update_layout(barmode="group")
    return _layout(fig, f"Current vs {name.lower()} allocation", f"{currency_name(currency)} (plan year)")


def allocation_table(current: dict[str, float], proposed: dict[str, float], mroi_now: dict[str, float],
                     mroi_new: dict[str, float], currency: str = DEFAULT_CURRENCY) -> pd.DataFrame:
    """The optimiser's plan as a display table, biggest increase first; money in full in the file's currency."""
    rows = [{"channel": channel_label(c), "current": money_full(current[c], currency),
             "optimised": money_full(proposed[c], currency), "change": money_full(proposed[c] - current[c], currency),
             "change %": 100 * (proposed[c] - current[c]) / current[c] if current[c] else np.nan,
             "marginal ROI now": mroi_now[c], "marginal ROI after": mroi_new[c]} for c in current]
    return pd.DataFrame(rows).sort_values("change %", ascending=False, na_position="last")


def roi_display(roi: pd.DataFrame, currency: str = DEFAULT_CURRENCY) -> pd.DataFrame:
    """The ROI table with readable channel names and column titles; spend and cost per unit in full money."""
    t = roi.sort_values("roi", ascending=False).copy()
    t["channel"] = [channel_label(c) for c in t.channel]
    t["spend"] = [money_full(v, currency) for v in t.spend]
    t["cost_per_unit"] = [money_full(v, currency, decimals=2) if np.isfinite(v) else "–" for v in t.cost_per_unit]
    return t.rename(columns={"contribution": "KPI units", "roi": "ROI", "roi_low": "ROI low",
                             "roi_high": "ROI high", "marginal_roi": "marginal ROI", "cost_per_unit": "cost per unit"})


def waterfall(parts: pd.DataFrame, colors: Colors | None = None, kpi_name: str = "KPI") -> go.Figure:
    """The plan year's KPI built up from the baseline and each channel (core.mmm.sweep.decomposition)."""
    channels = list(parts.part[parts.kind == "channel"])
    palette = _colors(colors, channels)
    fig = go.Figure()
    for row in parts.itertuples():
        color = {"baseline": BASELINE_COLOR, "total": "#444444"}.get(row.kind) or palette[row.part]
        label = {"baseline": "Baseline", "total": "Total"}.get(row.kind) or channel_label(row.part)
        fig.add_trace(go.Bar(x=[label], y=[row.kpi], base=[row.start], name=label, marker_color=color,
                             showlegend=False, hovertemplate=f"{label}: %{{y:,.0f}}<extra></extra>"))
    fig.update_layout(barmode="overlay")
    return _layout(fig, f"Where the plan year's {kpi_name} come from", f"{kpi_name} (plan year)")


def share_chart(shares: pd.DataFrame, colors: Colors | None = None) -> go.Figure:
    """Share of spend (light) against share of effect (solid) per channel (core.mmm.sweep.spend_effect_shares)."""
    palette = _colors(colors, list(shares.channel))
    labels, shade = [channel_label(c) for c in shares.channel], [palette[c] for c in shares.channel]
    fig = go.Figure([
        go.Bar(y=labels, x=100 * shares.spend_share, name="Share of spend", orientation="h", marker_color=shade,
               opacity=LIGHT, hovertemplate="%{y}: %{x:.1f}% of spend<extra></extra>"),
        go.Bar(y=labels, x=100 * shares.effect_share, name="Share of effect", orientation="h", marker_color=shade,
               hovertemplate="%{y}: %{x:.1f}% of the media effect<extra></extra>")])
    fig = _layout(fig, "Share of spend vs share of effect", "", "% of the total")
    fig.update_layout(barmode="group", yaxis=dict(autorange="reversed"), hovermode="y unified")
    return fig


def sweep_chart(frame: pd.DataFrame, *, today_total: float, break_even: Sequence[float], best_total: float,
                currency: str = DEFAULT_CURRENCY, kpi_name: str = "KPI") -> go.Figure:
    """Predicted KPI (left) and profit (right) of the optimal plan across totals, with their 90% bands; today,
    break-even and the most profitable total marked (core.mmm.sweep.BudgetSweep.frame)."""
    sym = currency_prefix(currency)
    x = frame.total
    fig = go.Figure()
    band = [("kpi", "y", "#2E91E5", f"Predicted {kpi_name}"), ("profit", "y2", "#1CA71C", "Profit")]
    for col, axis, color, name in band:
        fig.add_trace(go.Scatter(x=pd.concat([x, x[::-1]]), y=pd.concat([frame[f"{col}_high"], frame[f"{col}_low"][::-1]]),
                                 fill="toself", fillcolor=color, opacity=0.15, line=dict(width=0), yaxis=axis,
                                 name=f"{name}: 90% band", hoverinfo="skip"))
        fig.add_trace(go.Scatter(x=x, y=frame[col], mode="lines+markers", name=name, yaxis=axis,
                                 line=dict(color=color),
                                 hovertemplate=(f"{sym}%{{x:,.0f}}: %{{y:,.0f}} {kpi_name}<extra></extra>" if col == "kpi"
                                                else f"{sym}%{{x:,.0f}}: profit {sym}%{{y:,.0f}}<extra></extra>")))
    fig.add_vline(x=today_total, line_dash="dot", annotation_text="today", annotation_position="top left")
    fig.add_vline(x=best_total, line_dash="dash", line_color="#1CA71C", annotation_text="most profit",
                  annotation_position="bottom right")
    for total in break_even:
        fig.add_vline(x=total, line_color="#FB0D0D", annotation_text="break-even", annotation_position="top right")
    fig.update_layout(yaxis2=dict(overlaying="y", side="right", title=f"profit ({currency_name(currency)})", zeroline=True,
                                  zerolinecolor="#FB0D0D"))
    return _layout(fig, f"Optimal plan by total budget: {kpi_name} and profit (contribution × value − spend)",
                   f"{kpi_name} (plan year)", f"total budget ({currency_name(currency)}, plan year)")


def sweep_allocation_chart(allocations: pd.DataFrame, colors: Colors | None = None,
                           currency: str = DEFAULT_CURRENCY) -> go.Figure:
    """The optimal plan at each total as stacked bars, one colour per channel (BudgetSweep.allocations)."""
    channels = [c for c in allocations.columns if c != "total"]
    palette = _colors(colors, channels)
    sym = currency_prefix(currency)
    fig = go.Figure([go.Bar(x=allocations.total, y=allocations[ch], name=channel_label(ch), marker_color=palette[ch],
                            hovertemplate=f"{channel_label(ch)}: {sym}%{{y:,.0f}}<extra></extra>") for ch in channels])
    fig.update_layout(barmode="stack")
    return _layout(fig, "Optimal allocation by total budget", f"{currency_name(currency)} (plan year)",
                   f"total budget ({currency_name(currency)}, plan year)")
