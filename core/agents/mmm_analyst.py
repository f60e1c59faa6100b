"""Offline MMM analyst: answers with the model's own numbers (ROI, optimiser, what-if, fit), never made-up ones."""

from __future__ import annotations

import math
import re

from lemminflect import getAllLemmas

from core.agents import fmt
from core.agents.amounts import Unit, find_amounts
from core.agents.entities import channel_mentions, extract
from core.agents.fmt import ReplyUnits
from core.agents.grounding import FORECAST_REPLY, YEARS_IN, asks_about_the_future, names_in, terms, unknown_terms
from core.agents.scenario import parse as parse_scenario
from core.agents.tools import RoiRow, Toolbox, ToolError
from core.agents.types import Draft, Source
from core.domain import channel_label

OPTIMISE = re.compile(r"optimi[sz]|optimal|optimum|re-?allocat|allocation|best (?:budget|split|mix|way to (?:spend|split|"
                      r"divide|allocate))|ideal (?:mix|split|plan)|maximi[sz]|re-?balanc|carve (?:it )?up|how (?:should|would)"
                      r" (?:we|you|i) (?:split|divide|allocate|carve|spend|distribute|spread|rebalance)|how (?:should|would) "
                      r"(?:it|this|that|the (?:budget|money)) be (?:spent|split|divided|allocated)", re.I)
WHATIF = re.compile(r"what[- ]if|what happens|what would|\bif (?:we|i)\b|\b(?:cut(?:s|ting)?|increas\w*|doubl\w*|"
                    r"halv\w*|reduc\w*|rais\w*|boost\w*|mov(?:e|ed|es|ing)|shift\w*|realloc\w*|transfer\w*|split\w*|"
                    r"stop\w*|paus\w*|kill\w*|set)\b", re.I)
TRUST = re.compile(r"trust|confiden|reliab|believe|robust|\bsure\b", re.I)  # of the model, even of its ROIs
FIT = re.compile(r"r[- ]?squared|r2|r²|fit|overfit\w*|accura|mape|diagnostic|how good|any good|good at|reliab|trust|confiden|believe|"
                 r"robust|"
                 r"validat|held[- ]?out|holdout|how (?:well|sound)|how far off|out[- ]of[- ]sample|hasn't seen|"
                 r"not seen|unseen|\berrors?\b|explain\w*|varian\w*|variation|movement|\btrack\w*", re.I)
SUMMARY = re.compile(r"total spend|summary|overview|how much (?:did we|have we) spend|spend by channel", re.I)
MONEY_WORD = r"(?:[£$€¥]|pounds?|euros?|dollars?|francs?)"  # how a question names money, whatever its currency
# "the next £", "one more pound", "each extra euro": the return on money not yet spent
NEXT_UNIT = rf"(?:next|(?:one|another|each|an|every) (?:more|extra|additional)|extra|additional|another) {MONEY_WORD}"
MARGINAL = re.compile(rf"marginal|\bm-?roi\b|{NEXT_UNIT}|headroom|saturat", re.I)
# what the model credits each channel with; the second set of words ("came from", "brought in") asks it only of a
# question already about the model, since the exports answer "revenue that came from PCP" too
CREDIT = re.compile(r"contribut|incremental|credit\w*|attribut\w*|baseline|\bbase (?:level|leads|sales|volume)|"
                    r"on top of (?:the |our )?base|base and media|media and base|decompos\w*|heavy lifting|"
                    r"(?:with )?no (?:advertising|media|marketing)(?: at all)?|without (?:any )?(?:advertising|media|marketing)|"
                    r"biggest (?:drivers?|contributors?)|main drivers?|"
                    r"according to the (?:mmm|model)|the model (?:says?|thinks?|reckons?|estimates?)", re.I)
CONTRIBUTION = re.compile(rf"{CREDIT.pattern}|(?<!test )\bdr[io]ve\b|driven|drives? the most|bring in|brought in|"
                          r"brings in|(?:came|come|comes|coming) from|responsible for|how much of (?:our|the) "
                          r"(?:leads|sales|volume|kpi)", re.I)
PAYBACK = re.compile(r"pay(?:ing|s)? (?:for )?(?:it|them)sel(?:f|ves)|pay(?:s|ing)? (?:its way|back)|payback|"
                     r"break[- ]?even|worth (?:it|the money)|profitab|making money|losing money|earn\w* its keep|"
                     r"pulling (?:its|their) weight|value for money|cover(?:s|ing)? (?:its|their) (?:own )?costs?|"
                     r"wash(?:es|ing)? (?:its|their) face|in the (?:black|red)|loss[- ]making|pay(?:s|ing)? off\b|"
                     r"pay(?:s|ing)? (?:its|their) way", re.I)
NEXT_BUDGET = re.compile(rf"{NEXT_UNIT}|next \d|more (?:budget|money)|extra (?:budget|money)|"
                         rf"where should|which channels? should (?:get|we|it go|this go|that go)|additional (?:budget|{MONEY_WORD})|"
                         r"increase (?:the |our )?budget|top up|deserves? more|get more (?:budget|money)|"
                         r"should (?:we|i) (?:plan|budget|spend|invest|put|allocate)", re.I)
# "how long have we got to pay?" and "how long is the notice period?" are terms of a contract, not a carry-over
CARRYOVER = re.compile(r"carry[- ]?over|carr(?:y|ies|ied) (?:into|over|on)\b|adstock|decay|half[- ]?life|"
                       r"how long(?! (?:have|has|had|do|does|did) (?:we|i|you|they|us)\b| (?:is|are|was) (?:the|our|their)\b)|"
                       r"how many weeks (?:does|do|did|will|is|are)|linger|"
                       r"keep\w* (?:working|driving|generating|delivering|bringing)|after it airs|"
                       r"\blag\b|lagged|wear[- ]?out|wears? off|wearing off|fades?\b|fading|dies? (?:away|down|off)|"
                       r"long[- ]lasting|(?:long|short|much of a|a|the|its) tail\b|same[- ]week|last(?:s|ing)? (?:longest|long)|"
                       r"hang\w* around|stick\w* around",
                       re.I)
SATURATION = re.compile(r"saturat|ceiling|diminishing|headroom|max(?:ed|ing)? out|plateau|flatten|room to grow|"
                        r"scale (?:further|up)|tapped out|topped out|juice left|run(?:ning)? out of steam|"
                        r"(?:hit|hits|reached|at) (?:its|their|the) (?:limit|ceiling|cap)|untapped|sweet spot|"
                        r"over[- ]?invest\w*|under[- ]?invest\w*|over[- ]?spen[dt]\w*|spending too much", re.I)
# asked the other way round: which channel is furthest from its ceiling
HEADROOM = re.compile(r"headroom|room to grow|scale (?:further|up)|untapped|least saturat|furthest from", re.I)
MODEL_SOURCE = "model_ready.csv"
# A level below the channel: the model is fitted on weekly spend per channel, so it has no return per campaign
BELOW_CHANNEL = re.compile(r"\bwhich (?:\w+ )?(?:campaigns?|creatives?|ads?|ad sets?|keywords?|dealers?|regions?)\b|"
                           r"\b(?:per|by|for each) (?:campaign|creative|ad set|keyword|dealer|region)\b|"
                           r"\b(?:creatives?|placements?|ad sets?|keywords?)\b", re.I)
MIN_PROGRAMME = 4  # a capitalised word this long that the folder knows ("Designs"); shorter ones are codes
# "Sky BVOD's ROI separately from linear TV": the question itself splits a channel
SEPARATELY = re.compile(r"\b(?:separately|on (?:its|their) own|split out|broken out|apart from)\b", re.I)


def _model_source(what: str, tools: Toolbox) -> Source:
    """The citation for a model read-out: the weekly file the model was fitted to (a user's own, or ours)."""
    data = getattr(tools.fit, "data", None)  # a backend's fit may be any object (tests use a stand-in)
    name = getattr(data, "source_name", "") or MODEL_SOURCE
    return Source(file=name, section=f"marketing mix model: {what}", score=1.0, snippet=what)


def roi_line(r: RoiRow, u: ReplyUnits) -> str:
    """One channel's read-out in a sentence."""
    band = "" if r.roi_low != r.roi_low else f" (90% interval {fmt.ratio(r.roi_low)}–{fmt.ratio(r.roi_high)})"
    return (f"**{channel_label(r.channel)}** ROI is **{fmt.ratio(r.roi)}**{band}: {u.money(r.spend)} spent over the "
            f"plan year brought {fmt.count(r.contribution)} incremental {u.kpis} (cost per {u.one} "
            f"{u.price(r.cost_per_unit)}); marginal ROI {fmt.ratio(r.marginal_roi)}.")


def reading(r: RoiRow, rows: list[RoiRow], u: ReplyUnits) -> str:
    """A one-line interpretation from the numbers already shown (no new numbers)."""
    above = sum(x.roi > r.roi for x in rows)
    place = "the highest ROI of all channels" if above == 0 else (
        "the lowest ROI of all channels" if above == len(rows) - 1 else
        "an ROI in the top half of channels" if above < len(rows) / 2 else "an ROI in the bottom half of channels")
    margin = (f"the next {u.cur} returns less than the average {u.cur} (diminishing returns)" if r.marginal_roi < r.roi
              else f"it is not yet saturated: the next {u.cur} returns at least the average")
    return f"Reading: {channel_label(r.channel)} has {place}; {margin}."


def roi_table(rows: list[RoiRow], u: ReplyUnits, sort_by: str = "roi") -> str:
    """A markdown table of channels sorted by ROI or marginal ROI."""
    rows = sorted(rows, key=lambda r: -getattr(r, sort_by))
    lines = [f"| channel | spend | {u.kpis} | ROI | 90% interval | marginal ROI |", "|---|---:|---:|---:|---|---:|"]
    for r in rows:
        band = "–" if r.roi_low != r.roi_low else f"{fmt.ratio(r.roi_low)}–{fmt.ratio(r.roi_high)}"
        lines.append(f"| {channel_label(r.channel)} | {u.money(r.spend)} | {fmt.count(r.contribution)} | "
                     f"{fmt.ratio(r.roi)} | {band} | {fmt.ratio(r.marginal_roi)} |")
    return "\n".join(lines)


def answer_roi(question: str, tools: Toolbox) -> Draft:
    """ROI/contribution/marginal ROI for the channels named, or the ranking of all."""
    rows, u = tools.mmm_roi(), ReplyUnits.of(tools.settings)
    named = [r for r in rows if r.channel in extract(question).channels]
    sort_by = "marginal_roi" if MARGINAL.search(question) else "roi"
    intro = (f"ROI = {u.cur} of {u.one} value returned per {u.cur} spent over the plan year (the latest year of "
             "data); the interval comes from bootstrap refits of the model.")
    if len(named) == 1:
        r = named[0]
        text = f"{roi_line(r, u)}\n\n{reading(r, rows, u)}\n\n_{intro}_"
    else:
        shown = named or rows
        best = max(shown, key=lambda r: getattr(r, sort_by))
        what = "marginal ROI" if sort_by == "marginal_roi" else "ROI"
        scope = "Of these, " if named else ""
        text = (f"{scope}{channel_label(best.channel)} has the highest {what} "
                f"({fmt.ratio(getattr(best, sort_by))}).\n\n{roi_table(shown, u, sort_by)}\n\n_{intro}_")
    return Draft(text, [_model_source("ROI by channel", tools)])


def _named(question: str, tools: Toolbox) -> list[str]:
    """The model's channels the question names (its vocabulary is the fit's channels)."""
    known = tools.mmm_channels()
    return list(dict.fromkeys(m.value for m in channel_mentions(question, known)))


# what the fallback read-out (ROI by channel) answers: a question with none of these words is not asking for it
RETURN_WORDS = re.compile(r"\b(?:roi|roas|returns?|pay|paying|payback|worth|perform\w*|effective\w*|work\w*|"
                          r"deliver\w*|value|efficien\w*|profit\w*|earn\w*|yield\w*|get(?:s|ting)? back|got back|"
                          r"for every|bang for|pound for pound)\b", re.I)
SUBJECT = re.compile(r"\b(?:roi|roas|return|returns|payback|contribution|carry-?over|saturation|adstock|"
                     r"marginal roi|pay(?:ing)? for itself|worth)\b[^?]*?\b(?:of|on|for|from)\s+(?:our\s+|the\s+|a\s+)?"
                     r"([a-z][a-z0-9&' -]{1,40}?)(?:\s+(?:ads?|advertising|adverts?|spend|spending|campaigns?|"
                     r"channel|media|marketing|activity|sponsorships?))?\s*(?:[?.!,]|$|\bin\b|\bversus\b|\bvs\b)", re.I)
GENERIC = re.compile(r"^(?:each|every|all|our|the|my|each of|any|which|what|we|us|they|you|media|marketing|channels?|spend|"
                     r"budget|money|investment|everything|it|this|that|them|those|these|paid|total|overall|"
                     r"plan|year|last year|average|\d+|20\d\d|leads?|sales|test drives?)(?:\s|$)", re.I)


MOVE_INTO = re.compile(r"\b(?:move|moved|moving|put|putting|shift|shifted|spend|spent|invest|add|added)\b[^?]*?"
                       r"\b(?:into|on|in|to|towards)\s+(?:our\s+|the\s+|a\s+)?([a-z][a-z0-9&' -]{1,40}?)"
                       r"(?:\s+(?:ads?|advertising|adverts?|spend|campaigns?|channel|media|marketing|"
                       r"sponsorships?))?\s*(?:[?.!,]|$|\binstead\b)", re.I)


# the thing a read-out is asked of when it comes first: "is sponsorship saturated?", "how quickly does X wear off?"
SUBJECT_FIRST = re.compile(r"\b(?:is|are|does|do|has|have|how \w+ (?:is|are|does|do))\s+(?:our\s+|the\s+)?"
                           r"([a-z][a-z0-9&' -]{1,40}?)(?:\s+(?:ads?|advertising|adverts?|spend|spending|campaigns?|"
                           r"channel|media|marketing|activity))?\s+(?:saturat\w*|maxed out|at (?:its|their) ceiling|"
                           r"paying|pay\b|wears? off|fades?|linger\w*|worth\b)", re.I)


def unknown_subject(question: str, tools: Toolbox) -> str | None:
    """The thing a model question asks about when it is not one of the model's channels ("cinema")."""
    m = (SUBJECT.search(question) or SUBJECT_FIRST.search(question)
         or (MOVE_INTO.search(question) if WHATIF.search(question) else None))
    if not m:
        return None
    subject = m.group(1).strip()
    if GENERIC.match(subject) or channel_mentions(subject, tools.mmm_channels()) or extract(subject).models:
        return None
    return subject


def within_a_channel(question: str) -> list[str]:
    """Two names for parts of one model channel ("Facebook and Instagram" are both Meta): a split inside it.

    A part's name is neither the channel's own name nor an English word ("television", "telly" name all of TV),
    unless the question asks for one part separately ("Sky's ROI separately from linear TV").
    """
    by_channel: dict[str, list[str]] = {}
    split = bool(SEPARATELY.search(question))
    for men in channel_mentions(question):
        written = question[men.start:men.end]
        part = written.lower() not in (men.value, channel_label(men.value).lower()) and not getAllLemmas(written.lower())
        if part or split:
            by_channel.setdefault(men.value, []).append(written)
    for names in by_channel.values():
        parts = list(dict.fromkeys(names))
        if len(parts) > 1:
            return parts
    return []


def programmes_named(question: str, tools: Toolbox) -> list[str]:
    """Names the documents know that are no channel ('the Grand Designs sponsorship'): a part of one."""
    names = [n for n in names_in(question, tools.settings.data_dir)
             if n[1:].islower() and len(n) >= MIN_PROGRAMME and not channel_mentions(n)]
    together = " ".join(names)
    return [together] if len(names) > 1 and together in question else names


def out_of_reach(question: str, tools: Toolbox) -> Draft | None:
    """Decline a model question about a year before the fitted weeks, or about campaigns, regions or car models
    rather than channels.

    A later year stays: "how should we split £20m in 2026?" is a plan the fitted curves answer.
    """
    years = {int(y) for y in YEARS_IN.findall(question)}
    if years:
        s = tools.mmm_summary()
        before = sorted(y for y in years if y < int(s.first_week[:4]))
        if before:
            asked = ", ".join(str(y) for y in before)
            return Draft(f"The model was fitted on the weeks from {s.first_week} to {s.last_week}, so the data "
                         f"does not hold its read-outs for {asked}.", [_model_source("weeks fitted", tools)],
                         declined=True)
    m = BELOW_CHANNEL.search(question)
    segments = (tools.segments_named(question) or within_a_channel(question)  # "TV in Scotland", "for the AVATR 12"
                or programmes_named(question, tools))
    if m or segments:
        asked = m.group(0) if m else " / ".join(segments)
        return Draft(f"The marketing mix model is fitted on weekly spend per channel, so it does not hold returns "
                     f"at the level asked (“{asked}”). Ask for a channel's figures, or ask about the exports "
                     f"(e.g. cost per lead by campaign).", [_model_source("channels", tools)], declined=True)
    return None


def decline_unknown(subject: str, tools: Toolbox) -> Draft:
    """Say the model does not cover what was asked, and what it does cover."""
    known = ", ".join(channel_label(c) for c in tools.mmm_channels())
    return Draft(f"The marketing mix model has no channel “{subject}”, so the data does not hold its return. "
                 f"The model covers: {known}.", [_model_source("channels", tools)], declined=True)


PER_MONEY = re.compile(rf"\b(?:roi|roas|returns?)\b|\bper {MONEY_WORD}|for (?:every|each) {MONEY_WORD}|"
                       rf"(?:each|every|a|one) {MONEY_WORD}", re.I)


def other_outcome(question: str, tools: Toolbox) -> str | None:
    """An outcome of the weekly table that the question asks about and the model does not explain ("test drives",
    "revenue" of a model of leads); None when it names the model's own KPI too, or no such outcome."""
    try:
        outcomes = tools.mmm_unmodelled()
    except ToolError:
        return None
    asked = terms(question)
    # "how much revenue does each £1 of TV bring back?" asks the ROI, which the model values at so much per KPI unit
    if terms(ReplyUnits.of(tools.settings).kpis) & asked or PER_MONEY.search(question):
        return None
    return next((o.replace("_", " ") for o in outcomes if (words := terms(o.replace("_", " "))) and words <= asked),
                None)


def decline_outcome(outcome: str, tools: Toolbox) -> Draft:
    """Say the model explains its KPI, not the outcome asked about."""
    u = ReplyUnits.of(tools.settings)
    return Draft(f"The marketing mix model explains weekly {u.kpis}; it does not model {outcome}, so the data does not "
                 f"hold how much {outcome} a channel brought. Ask for each channel's {u.kpis} (its contribution), or "
                 f"for {outcome} as the exports record it.", [_model_source("KPI modelled", tools)], declined=True)


def _finite(x: float) -> bool:
    """Not NaN or infinite."""
    return math.isfinite(x)


def payback_line(r: RoiRow, u: ReplyUnits) -> str:
    """ROI against break-even (each £ back per £ spent), with what the interval lets us say."""
    band = f" (90% interval {fmt.ratio(r.roi_low)}–{fmt.ratio(r.roi_high)})" if _finite(r.roi_low) else ""
    if _finite(r.roi_low) and r.roi_high < 1:
        verdict = f"below break-even: it returns less {u.one} value than it costs, even at the top of its interval"
    elif _finite(r.roi_low) and r.roi_low > 1:
        verdict = f"above break-even: it returns more {u.one} value than it costs, even at the bottom of its interval"
    elif _finite(r.roi_low):
        verdict = "its interval spans break-even, so the data cannot say whether it pays for itself"
    else:
        verdict = "above break-even" if r.roi > 1 else "below break-even"
    return f"**{channel_label(r.channel)}** returns **{fmt.ratio(r.roi)}** per {u.cur} spent{band}: {verdict}."


def answer_payback(question: str, tools: Toolbox) -> Draft:
    """Is a channel paying for itself: ROI against break-even with its interval."""
    rows, named, u = tools.mmm_roi(), _named(question, tools), ReplyUnits.of(tools.settings)
    shown = [r for r in rows if r.channel in named] or rows
    lines = [payback_line(r, u) for r in sorted(shown, key=lambda r: -r.roi)]
    above = [r for r in rows if r.roi > 1]
    summary = ("" if named else f"No channel pays for itself at this value per {u.one}: every ROI is below "
               "break-even.\n\n" if not above else "")
    return Draft(summary + "\n".join(f"- {line}" for line in lines)
                 + f"\n\n_ROI = {u.cur} of {u.one} value per {u.cur} spent over the plan year; break-even is "
                   f"{u.cur} back per {u.cur} spent._",
                 [_model_source("ROI against break-even", tools)])


def answer_next_budget(question: str, tools: Toolbox) -> Draft:
    """Where more budget should go: marginal ROI (the next pound), not average ROI, and the optimiser's plan."""
    rows = [r for r in tools.mmm_roi() if _finite(r.marginal_roi)]  # a channel dark in the plan has none
    plan, u = tools.mmm_optimize(), ReplyUnits.of(tools.settings)
    best = sorted(rows, key=lambda r: -r.marginal_roi)
    lines = [f"| channel | marginal ROI (next {u.cur}) | average ROI | optimiser's change |", "|---|---:|---:|---:|"]
    change = {p.channel: p.change_pct for p in plan.rows}
    for r in best:
        c = change.get(r.channel)
        lines.append(f"| {channel_label(r.channel)} | {fmt.ratio(r.marginal_roi)} | {fmt.ratio(r.roi)} | "
                     f"{'new' if c is None else fmt.pct(c, signed=True)} |")
    top, named = best[0], [r for r in best if r.channel in _named(question, tools)]
    above = [r for r in best if r.marginal_roi >= 1]
    verdict = (f"Each extra {u.cur} returns less {u.one} value than it costs in every channel (all marginal ROIs "
               f"are below break-even), so more budget buys {u.kpis} at a loss at this value per {u.one}."
               if not above else f"{len(above)} channel(s) still return at least break-even on the next {u.cur}.")
    asked = "".join(f"The next {u.cur} in **{channel_label(r.channel)}** returns **{fmt.ratio(r.marginal_roi)}** "
                    f"(marginal ROI), against {fmt.ratio(r.roi)} for its average {u.cur}. " for r in named)
    text = (f"{asked}The next {u.cur} is worth most in **{channel_label(top.channel)}** (marginal ROI "
            f"**{fmt.ratio(top.marginal_roi)}**). {verdict}\n\n" + "\n".join(lines)
            + f"\n\nReading: rank by marginal ROI, not average ROI — the optimiser moves money the same way, lifting "
              f"predicted {u.kpis} by {fmt.pct(plan.uplift_pct, signed=True)} at the same total.")
    return Draft(text, [_model_source("marginal ROI and budget optimiser", tools)])


def answer_carryover(question: str, tools: Toolbox) -> Draft:
    """How long a channel's spend keeps working, from the fitted adstock."""
    rows, named, u = tools.mmm_carryover(), _named(question, tools), ReplyUnits.of(tools.settings)
    shown = [r for r in rows if r.channel in named] or rows
    lines = [f"- **{channel_label(r.channel)}**: half-life {fmt.count(r.half_life_weeks)} week(s), so a week's effect "
             f"halves after {fmt.count(r.half_life_weeks)} week(s), and {fmt.count(r.weeks_to_90)} week(s) carry 90% "
             f"of a burst's effect (weekly decay {fmt.ratio(r.decay)})."
             for r in sorted(shown, key=lambda r: -r.weeks_to_90)]
    return Draft("Carry-over from the fitted adstock:\n" + "\n".join(lines)
                 + f"\n\nReading: the longer the carry-over, the more of a burst's {u.kpis} arrive after it airs — "
                   "judge a flight over those weeks, not only the weeks it ran.",
                 [_model_source("adstock (carry-over)", tools)])


def answer_saturation(question: str, tools: Toolbox) -> Draft:
    """Which channels are near their ceiling: saturation level and the next pound against the average pound."""
    sat = {r.channel: r for r in tools.mmm_carryover()}
    rows, named, u = tools.mmm_roi(), _named(question, tools), ReplyUnits.of(tools.settings)
    shown = [r for r in rows if r.channel in named] or rows
    lines = ["| channel | saturation (0–1) | marginal ROI | average ROI |", "|---|---:|---:|---:|"]
    for r in sorted(shown, key=lambda r: -sat[r.channel].saturation):
        mroi = fmt.ratio(r.marginal_roi) if _finite(r.marginal_roi) else "–"
        lines.append(f"| {channel_label(r.channel)} | {fmt.ratio(sat[r.channel].saturation)} | {mroi} | "
                     f"{fmt.ratio(r.roi)} |")
    if len(shown) == 1:
        top = shown[0]
        head = (f"**{channel_label(top.channel)}** runs at {fmt.ratio(sat[top.channel].saturation)} of its ceiling "
                f"(0 = still linear, 1 = flat); its next {u.cur} returns {fmt.ratio(top.marginal_roi)} against "
                f"{fmt.ratio(top.roi)} for its average {u.cur} (saturation ")
    elif HEADROOM.search(question):
        top = min(shown, key=lambda r: sat[r.channel].saturation)
        head = f"**{channel_label(top.channel)}** has the most headroom (saturation "
    else:
        top = max(shown, key=lambda r: sat[r.channel].saturation)
        head = f"**{channel_label(top.channel)}** is closest to its ceiling (saturation "
    return Draft(f"{head}{fmt.ratio(sat[top.channel].saturation)}).\n\n" + "\n".join(lines)
                 + "\n\nReading: saturation is the plan-year average of the fitted response curve (near 1 = the "
                   "flat part); a marginal ROI well below the average ROI says the same: diminishing returns.",
                 [_model_source("saturation", tools)])


def answer_optimise(question: str, tools: Toolbox) -> Draft:
    """The optimiser's allocation next to today's, with the expected uplift."""
    u = ReplyUnits.of(tools.settings)
    plan = tools.mmm_optimize(total_budget=_total_asked(question))
    lines = ["| channel | current | optimised | change | marginal ROI now | marginal ROI after |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in plan.rows:
        change = "new" if r.change_pct is None else fmt.pct(r.change_pct, signed=True)
        lines.append(f"| {channel_label(r.channel)} | {u.money(r.current)} | {u.money(r.optimal)} | {change} | "
                     f"{fmt.ratio(r.marginal_roi_current)} | {fmt.ratio(r.marginal_roi_optimal)} |")
    if abs(plan.total - sum(tools.mmm_current().values())) > 0.5:  # "carve up a £15m budget"
        head = (f"At a total of {u.money(plan.total)}, the best split (each channel within its bounds) predicts "
                f"{fmt.count(plan.optimal_kpi)} {u.kpis}, against {fmt.count(plan.current_kpi)} for today's mix "
                f"scaled to that total (**{fmt.pct(plan.uplift_pct, signed=True)}**).")
    else:
        head = (f"Moving budget between channels (same total {u.money(plan.total)}, each channel within its "
                f"bounds) lifts predicted {u.kpis} from {fmt.count(plan.current_kpi)} to "
                f"{fmt.count(plan.optimal_kpi)} (**{fmt.pct(plan.uplift_pct, signed=True)}**).")
    text = (head + "\n\n" + "\n".join(lines)
            + f"\n\nReading: money moves from channels whose next {u.cur} returns least to those where it returns "
              "most, until marginal ROIs even out or a bound stops it.")
    return Draft(text, [_model_source("budget optimiser", tools)])


def _total_asked(question: str) -> float | None:
    """The budget a question sets for the optimiser ("carve up a £15m budget"), when it names one amount of money."""
    money = [a for a in find_amounts(question) if a.unit is Unit.MONEY]
    return money[0].value if len(money) == 1 and money[0].value > 0 else None


def answer_whatif(question: str, tools: Toolbox, asked: bool = True) -> Draft | None:
    """Predicted KPI for the scenario the question describes; None when it names no change.

    A change the parser could not read exactly is said back to the user instead of being guessed, when the
    question is worded as a what-if (`asked`); otherwise only a change read in full counts as one.
    """
    u = ReplyUnits.of(tools.settings)
    try:
        run = tools.mmm_scenario(question)
    except ToolError as exc:
        return Draft(f"That scenario cannot be modelled: {exc}.", declined=True)
    if run.problems and not asked:
        return None
    if run.problems:
        return Draft(f"I could not read that scenario exactly: {'; '.join(run.problems)}. Try e.g. "
                     f"“move {u.prefix}500k from TV to Google”, “cut Meta by 20%”, “set OOH to {u.prefix}2m” or "
                     "“stop radio”.",
                     declined=True)
    if run.result is None:
        return None
    current, allocation, result = run.current, run.allocation, run.result
    changes = "; ".join(f"{channel_label(ch)} {u.money(current[ch])} → {u.money(v)}" for ch, v in allocation.items())
    band = ("" if result.delta_low != result.delta_low else
            f" (90% band {fmt.count(result.delta_low, signed=True)} to {fmt.count(result.delta_high, signed=True)})")
    text = (f"Scenario: {changes} (other channels unchanged).\n\nPredicted {u.kpis} over the plan period: "
            f"**{fmt.count(result.kpi)}** vs {fmt.count(result.baseline_kpi)} today "
            f"({fmt.count(result.delta_kpi, signed=True)} {u.kpis}{band}, {fmt.pct(result.delta_pct, signed=True)}); "
            f"{u.one} value {u.money(result.revenue)}.")
    if MARGINAL.search(question):  # "what would the next £100k in Google bring back?": the margin it is spent at
        text += "\n\n" + "\n".join(roi_line(r, u) for r in tools.mmm_roi() if r.channel in allocation)
    return Draft(text, [_model_source("what-if scenario", tools)])


def answer_contribution(question: str, tools: Toolbox) -> Draft:
    """What each channel brought over the plan period by the model, and how much is baseline (no media)."""
    c, u, named = tools.mmm_contributions(), ReplyUnits.of(tools.settings), _named(question, tools)
    shown = [r for r in c.rows if r.channel in named] or c.rows
    lines = [f"| channel | contribution ({u.kpis}) | 90% band | share of total | share of media |",
             "|---|---:|---|---:|---:|"]
    for r in shown:
        band = f"{fmt.count(r.low)}–{fmt.count(r.high)}" if _finite(r.low) else "–"
        lines.append(f"| {channel_label(r.channel)} | {fmt.count(r.contribution)} | {band} | "
                     f"{fmt.pct(100 * r.share)} | {fmt.pct(100 * r.media_share)} |")
    if named:
        head = " ".join(f"The model credits **{channel_label(r.channel)}** with **{fmt.count(r.contribution)}** "
                        f"incremental {u.kpis} (its contribution) of the {fmt.count(c.total)} it predicts over the "
                        f"plan year ({fmt.pct(100 * r.share)})."
                        for r in shown)
    else:
        top = c.rows[0]
        head = (f"Media drove **{fmt.count(c.media)}** of the {fmt.count(c.total)} {u.kpis} the model predicts over "
                f"the plan year ({fmt.pct(100 * c.media_share)}); the other {fmt.count(c.baseline)} "
                f"({fmt.pct(100 * c.baseline_share)}) is baseline, what it expects with no media at all. "
                f"**{channel_label(top.channel)}** brought the most incremental {u.kpis}: "
                f"{fmt.count(top.contribution)} ({fmt.pct(100 * top.media_share)} of media's).")
    return Draft(head + "\n\n" + "\n".join(lines)
                 + "\n\n_Incremental = what the channel's spend added above baseline (trend, season and controls); "
                   "the band comes from bootstrap refits of the model._",
                 [_model_source("contribution by channel", tools)])


def answer_fit(question: str, tools: Toolbox) -> Draft:
    """How well the model fits, in its own diagnostics."""
    d, u = tools.mmm_diagnostics(), ReplyUnits.of(tools.settings)
    text = (f"The model explains the weekly {u.kpis} with R² **{fmt.ratio(d['r_squared'])}** (adjusted "
            f"{fmt.ratio(d['adj_r_squared'])}), in-sample MAPE {fmt.pct(d['mape'])} and NRMSE "
            f"{fmt.ratio(d['nrmse'])}; out of sample it is off by {fmt.pct(d['holdout_mape'])} MAPE on held-out "
            f"weeks it was not fitted on ({fmt.count(d['weeks'])} weeks of data). Hyperparameters were chosen by "
            f"time-series cross-validation, so the holdout error is the honest one.")
    if re.search(r"\brois?\b|returns?", question, re.I):  # "how much should I trust these ROI numbers?"
        text += ("\n\nEach channel's ROI carries a 90% interval from bootstrap refits of the model (ask for the ROI "
                 "by channel): a wide interval says the data cannot pin that channel's return down.")
    return Draft(text, [_model_source("fit diagnostics", tools)])


def answer_summary(question: str, tools: Toolbox) -> Draft:
    """Spend and KPI totals of the data the model was fitted on."""
    s, u = tools.mmm_summary(), ReplyUnits.of(tools.settings)
    lines = ["| channel | spend |", "|---|---:|"]
    for ch, v in sorted(s.channel_breakdown.items(), key=lambda kv: -kv[1]):
        lines.append(f"| {channel_label(ch)} | {u.money(v)} |")
    # The KPI the model was fitted on, in the dataset's words; the sales columns only when the tool found them (the
    # generated world's table), and one that is absent or 0 is left out, not said as 0.
    totals = [f"total spend {u.money(s.total_spend)}", f"{fmt.count(s.total_kpi)} {u.kpis}"]
    totals += [f"{fmt.count(s.total_units)} cars sold"] if s.total_units else []
    totals += [f"revenue {u.money(s.total_revenue)}"] if s.total_revenue else []
    text = (f"Across {fmt.count(s.weeks_of_data)} weeks ({s.first_week} to {s.last_week}): {', '.join(totals)}.\n\n"
            + "\n".join(lines))
    return Draft(text, [_model_source("summary", tools)])


READ_OUTS = (WHATIF, OPTIMISE, FIT, MARGINAL, CREDIT, PAYBACK, NEXT_BUDGET, CARRYOVER, SATURATION, RETURN_WORDS)


def asks_the_model(question: str) -> bool:
    """Whether the question uses any word of a model read-out (ROI, what-if, saturation, carry-over, ...)."""
    return any(rx.search(question) for rx in READ_OUTS)


def reads_as_model(question: str, tools: Toolbox) -> bool:
    """Whether a question is the model's by its words: a read-out's words, or a change of spend that parses in
    full ("put TV at £5m", "drop radio")."""
    if asks_the_model(question):
        return True
    try:
        channels: list[str] | None = tools.mmm_channels()
    except ToolError:  # no model yet: the parser reads the change against the channels the domain knows
        channels = None
    return not parse_scenario(question, channels).empty


MEASURE_WORDS = re.compile(r"\b(?:roi|roas|returns?)\b", re.I)


def asks_a_model_measure(question: str) -> bool:
    """Whether it names a measure only the model has (ROI, saturation, carry-over, ...); "what happens if we pay
    late?" or "how is it performing?" use a read-out's words without one."""
    return bool(MEASURE_WORDS.search(question)) or any(
        rx.search(question) for rx in READ_OUTS if rx not in (WHATIF, RETURN_WORDS))


def answer(question: str, tools: Toolbox) -> Draft:
    """Pick the model read-out the question asks for; decline a channel the model does not have."""
    subject = unknown_subject(question, tools)
    needs_channel = not (FIT.search(question) or OPTIMISE.search(question))
    if subject is None and needs_channel and not _named(question, tools):  # "how saturated is our Snapchat spend?"
        names = [w for w in unknown_terms(question, tools.settings.data_dir) if w[:1].isalpha()]
        subject = names[0] if names else None
    if subject is not None:
        return decline_unknown(subject, tools)
    outcome = other_outcome(question, tools)
    if outcome is not None:
        return decline_outcome(outcome, tools)
    beyond = out_of_reach(question, tools)
    if beyond is not None:
        return beyond
    # before the optimiser: "reallocate £300k from print to LinkedIn" is a what-if, and so is a change in other words
    # ("put TV at £5m", "suppose DV360 gets an extra £300k") when the parser reads it in full
    # "once DV360 goes dark, for how many weeks do leads keep trickling in?" asks the carry-over, not a scenario
    worded = bool(WHATIF.search(question))
    if worded or not CARRYOVER.search(question) and not parse_scenario(question, tools.mmm_channels()).empty:
        draft = answer_whatif(question, tools, asked=worded)
        if draft is not None:
            return draft
    if NEXT_BUDGET.search(question):
        return answer_next_budget(question, tools)
    if OPTIMISE.search(question):
        return answer_optimise(question, tools)
    if CONTRIBUTION.search(question) and not RETURN_WORDS.search(question) and "cost per" not in question.lower():
        return answer_contribution(question, tools)
    if PAYBACK.search(question) and not SATURATION.search(question):  # "still pay off, or at the ceiling?"
        return answer_payback(question, tools)
    if CARRYOVER.search(question):
        return answer_carryover(question, tools)
    if SATURATION.search(question) and not re.search(r"\bmarginal\b", question, re.I):
        return answer_saturation(question, tools)
    if FIT.search(question) and (TRUST.search(question) or not re.search(r"\broi\b", question, re.I)):
        return answer_fit(question, tools)
    if SUMMARY.search(question):
        return answer_summary(question, tools)
    if asks_about_the_future(question) and not RETURN_WORDS.search(question):
        return Draft(FORECAST_REPLY, declined=True)  # "how much will we spend next quarter?" is no model read-out
    return answer_roi(question, tools)
