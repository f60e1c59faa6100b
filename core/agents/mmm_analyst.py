"""Offline MMM analyst: answers with the model's own numbers (ROI, optimiser, what-if, fit), never made-up ones."""

from __future__ import annotations

import re

from core.agents import fmt
from core.agents.entities import extract
from core.agents.rag_analyst import Draft
from core.agents.scenario import parse
from core.agents.tools import RoiRow, Toolbox
from core.agents.types import Source
from core.domain import channel_label

OPTIMISE = re.compile(r"optimi[sz]|optimal|re-?allocat|allocation|best (?:budget|split|mix)|maximi[sz]", re.I)
WHATIF = re.compile(r"what[- ]if|what happens|what would|\bif (?:we|i)\b|\b(?:cut|increase|double|halve|reduce|"
                    r"raise|boost|move|shift|reallocate|transfer|split|stop|pause|kill|set)\b", re.I)
FIT = re.compile(r"r squared|r2|r²|fit|accura|mape|diagnostic|how good|reliab", re.I)
SUMMARY = re.compile(r"total spend|summary|overview|how much (?:did we|have we) spend|spend by channel", re.I)
MARGINAL = re.compile(r"marginal|next pound|extra £|headroom|saturat", re.I)
CONTRIBUTION = re.compile(r"contribut|incremental|how many leads .*(?:drive|bring)|drives? the most", re.I)
MODEL_SOURCE = "model_ready.csv"


def _model_source(what: str) -> Source:
    """The citation for a model read-out."""
    return Source(file=MODEL_SOURCE, section=f"marketing mix model: {what}", score=1.0, snippet=what)


def roi_line(r: RoiRow) -> str:
    """One channel's read-out in a sentence."""
    band = "" if r.roi_low != r.roi_low else f" (90% interval {fmt.ratio(r.roi_low)}–{fmt.ratio(r.roi_high)})"
    return (f"**{channel_label(r.channel)}** ROI is **{fmt.ratio(r.roi)}**{band}: {fmt.money(r.spend)} spent over the "
            f"plan year brought {fmt.count(r.contribution)} incremental leads (cost per lead "
            f"{fmt.money(r.cost_per_unit)}); marginal ROI {fmt.ratio(r.marginal_roi)}.")


def reading(r: RoiRow, rows: list[RoiRow]) -> str:
    """A one-line interpretation from the numbers already shown (no new numbers)."""
    above = sum(x.roi > r.roi for x in rows)
    place = "the highest ROI of all channels" if above == 0 else (
        "the lowest ROI of all channels" if above == len(rows) - 1 else
        "an ROI in the top half of channels" if above < len(rows) / 2 else "an ROI in the bottom half of channels")
    margin = ("the next pound returns less than the average pound (diminishing returns)"
              if r.marginal_roi < r.roi else "it is not yet saturated: the next pound returns at least the average")
    return f"Reading: {channel_label(r.channel)} has {place}; {margin}."


def roi_table(rows: list[RoiRow], sort_by: str = "roi") -> str:
    """A markdown table of channels sorted by ROI or marginal ROI."""
    rows = sorted(rows, key=lambda r: -getattr(r, sort_by))
    lines = ["| channel | spend | leads | ROI | 90% interval | marginal ROI |", "|---|---:|---:|---:|---|---:|"]
    for r in rows:
        band = "–" if r.roi_low != r.roi_low else f"{fmt.ratio(r.roi_low)}–{fmt.ratio(r.roi_high)}"
        lines.append(f"| {channel_label(r.channel)} | {fmt.money(r.spend)} | {fmt.count(r.contribution)} | "
                     f"{fmt.ratio(r.roi)} | {band} | {fmt.ratio(r.marginal_roi)} |")
    return "\n".join(lines)


def answer_roi(question: str, tools: Toolbox) -> Draft:
    """ROI/contribution/marginal ROI for the channels named, or the ranking of all."""
    rows = tools.mmm_roi()
    named = [r for r in rows if r.channel in extract(question).channels]
    sort_by = "marginal_roi" if MARGINAL.search(question) else "roi"
    intro = ("ROI = £ of lead value returned per £ spent over the plan year (the latest year of data); the "
             "interval comes from bootstrap refits of the model.")
    if len(named) == 1:
        r = named[0]
        text = f"{roi_line(r)}\n\n{reading(r, rows)}\n\n_{intro}_"
    else:
        shown = named or rows
        best = max(shown, key=lambda r: getattr(r, sort_by))
        what = "marginal ROI" if sort_by == "marginal_roi" else "ROI"
        scope = "Of these, " if named else ""
        text = (f"{scope}{channel_label(best.channel)} has the highest {what} "
                f"({fmt.ratio(getattr(best, sort_by))}).\n\n{roi_table(shown, sort_by)}\n\n_{intro}_")
    return Draft(text, [_model_source("ROI by channel")])


def answer_optimise(question: str, tools: Toolbox) -> Draft:
    """The optimiser's allocation next to today's, with the expected uplift."""
    plan = tools.mmm_optimize()
    lines = ["| channel | current | optimised | change | marginal ROI now | marginal ROI after |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in plan.rows:
        change = "new" if r.change_pct is None else fmt.pct(r.change_pct, signed=True)
        lines.append(f"| {channel_label(r.channel)} | {fmt.money(r.current)} | {fmt.money(r.optimal)} | {change} | "
                     f"{fmt.ratio(r.marginal_roi_current)} | {fmt.ratio(r.marginal_roi_optimal)} |")
    text = (f"Moving budget between channels (same total {fmt.money(plan.total)}, each channel within its "
            f"bounds) lifts predicted leads from {fmt.count(plan.current_kpi)} to {fmt.count(plan.optimal_kpi)} "
            f"(**{fmt.pct(plan.uplift_pct, signed=True)}**).\n\n" + "\n".join(lines)
            + "\n\nReading: money moves from channels whose next pound returns least to those where it returns "
              "most, until marginal ROIs even out or a bound stops it.")
    return Draft(text, [_model_source("budget optimiser")])


def answer_whatif(question: str, tools: Toolbox) -> Draft | None:
    """Predicted leads for the scenario the question describes; None when it names no change.

    A change the parser could not read exactly is said back to the user instead of being guessed.
    """
    scenario = parse(question, channels=tools.mmm_channels())
    if scenario.problems:
        return Draft(f"I could not read that scenario exactly: {'; '.join(scenario.problems)}. Try e.g. "
                     "“move £500k from TV to Google”, “cut Meta by 20%”, “set OOH to £2m” or “stop radio”.")
    if scenario.empty:
        return None
    current = tools.mmm_current()
    try:
        allocation = scenario.apply(current)
    except ValueError as exc:
        return Draft(f"That scenario cannot be modelled: {exc}.")
    result = tools.mmm_whatif(allocation)
    changes = "; ".join(f"{channel_label(ch)} {fmt.money(current[ch])} → {fmt.money(v)}" for ch, v in allocation.items())
    band = ("" if result.delta_low != result.delta_low else
            f" (90% band {fmt.count(result.delta_low, signed=True)} to {fmt.count(result.delta_high, signed=True)})")
    text = (f"Scenario: {changes} (other channels unchanged).\n\nPredicted leads over the plan period: "
            f"**{fmt.count(result.kpi)}** vs {fmt.count(result.baseline_kpi)} today "
            f"({fmt.count(result.delta_kpi, signed=True)} leads{band}, {fmt.pct(result.delta_pct, signed=True)}); "
            f"lead value {fmt.money(result.revenue)}.")
    return Draft(text, [_model_source("what-if scenario")])


def answer_fit(question: str, tools: Toolbox) -> Draft:
    """How well the model fits, in its own diagnostics."""
    d = tools.mmm_diagnostics()
    text = (f"The model explains the weekly leads with R² **{fmt.ratio(d['r_squared'])}** (adjusted "
            f"{fmt.ratio(d['adj_r_squared'])}), in-sample MAPE {fmt.pct(d['mape'])}, and "
            f"{fmt.pct(d['holdout_mape'])} MAPE on held-out weeks it was not fitted on "
            f"({fmt.count(d['weeks'])} weeks of data). Hyperparameters were chosen by time-series "
            f"cross-validation, so the holdout error is the honest one.")
    return Draft(text, [_model_source("fit diagnostics")])


def answer_summary(question: str, tools: Toolbox) -> Draft:
    """Spend and KPI totals of the modelled data."""
    s = tools.mmm_summary()
    lines = ["| channel | spend |", "|---|---:|"]
    for ch, v in sorted(s["channel_breakdown"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {channel_label(ch)} | {fmt.money(v)} |")
    text = (f"Across {fmt.count(s['weeks_of_data'])} weeks: total spend {fmt.money(s['total_spend'])}, "
            f"{fmt.count(s['total_leads'])} leads, {fmt.count(s['total_units'])} cars sold, revenue "
            f"{fmt.money(s['total_revenue'])}.\n\n" + "\n".join(lines))
    return Draft(text, [_model_source("summary")])


def answer(question: str, tools: Toolbox) -> Draft:
    """Pick the model read-out the question asks for."""
    if WHATIF.search(question):  # before the optimiser: "reallocate £300k from print to LinkedIn" is a what-if
        draft = answer_whatif(question, tools)
        if draft is not None:
            return draft
    if OPTIMISE.search(question):
        return answer_optimise(question, tools)
    if FIT.search(question) and not re.search(r"\broi\b", question, re.I):
        return answer_fit(question, tools)
    if SUMMARY.search(question):
        return answer_summary(question, tools)
    return answer_roi(question, tools)
