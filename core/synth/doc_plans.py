"""The planning documents around the contracts: the 2025 media plan, the launch calendar, the price list and the
dealer list, each in the default or the foreign wording. Every number comes from core.synth.doc_tables."""

from __future__ import annotations

from datetime import date

import numpy as np

from core.domain import channel_label
from core.synth.doc_model import Block, Bullets, Doc, Grid, Heading, Para, money
from core.synth.doc_tables import (
    MONTHS,
    PLAN_YEAR,
    campaigns,
    channel_budgets,
    channel_months,
    dealer_rows,
    launch_calendar,
    long_date,
    plan_lines,
    prelaunch_spend,
    price_rows,
)
from core.synth.facts import AGENCY, BRAND, BUDGET_2025, CHANNELS, MODELS, N_LAUNCH_DEALERS, VALUE_PER_LEAD
from core.synth.lines import Pattern

PATTERN_WORDS = {Pattern.ALWAYS_ON: "always-on", Pattern.FLIGHTED: "flighted in bursts",
                 Pattern.SPORADIC: "bought as individual insertions"}


def _h(foreign: bool, default: str, other: str, level: int = 1) -> Heading:
    """A heading in the style's wording."""
    return Heading(other if foreign else default, level)


def _channel_notes() -> list[Block]:
    """One paragraph per channel: its budget, vendors, campaigns and how it is bought."""
    out: list[Block] = []
    lines = plan_lines()
    for ch in CHANNELS:
        mine = [ln for ln in lines if ln.channel == ch.key]
        vendors = sorted({ln.vendor for ln in mine})
        patterns = sorted({PATTERN_WORDS[ln.pattern] for ln in mine})
        refs = sorted({ln.contract_ref for ln in mine if ln.contract_ref})
        text = (f"{channel_label(ch.key)}: {money(ch.budget)} with {', '.join(vendors)}; "
                f"{len(mine)} planned lines, {' and '.join(patterns)}.")
        if refs:
            text += f" Booked under contract {', '.join(refs)}."
        out.append(Para(text))
    return out


def media_plan(foreign: bool = False) -> Doc:
    """The 2025 media plan: budget by channel, by channel and month, campaigns and channel notes."""
    budgets = channel_budgets()
    total = sum(b for _, b in budgets)
    months = channel_months()
    month_totals = np.sum(list(months.values()), axis=0)
    by_month = tuple((name, *(money(int(v)) for v in months[name]), money(int(months[name].sum())))
                     for name, _ in budgets)
    by_month += (("Total", *(money(int(v)) for v in month_totals), money(int(month_totals.sum()))),)
    peak = date(PLAN_YEAR, int(month_totals.argmax()) + 1, 1).strftime("%B")
    camp_rows = tuple((c.name, c.model, long_date(c.start), long_date(c.end), c.channels, money(c.budget))
                      for c in campaigns())
    blocks: list[Block] = [
        _h(foreign, "Summary", "Executive overview"),
        Para(f"This plan sets out how {BRAND} invests its {PLAN_YEAR} UK media budget of {money(BUDGET_2025)} "
             f"across {len(budgets)} channels to launch the DEEPAL S07, AVATR 12 and AVATR 11 and preview the "
             f"DEEPAL S05. It follows a pre-launch year in {PLAN_YEAR - 1} with {money(prelaunch_spend())} of "
             "awareness media."),
        Para(f"The plan was prepared by {AGENCY} under the agency terms MMP-TOB-2025-01, whose Appendix A "
             "holds the same budget by channel."),
        _h(foreign, "Objectives", "Goals and measurement"),
        Bullets((f"Build awareness of two new brands, DEEPAL and AVATR, before the first cars go on sale on "
                 f"{long_date(min(m.launch for m in MODELS))}.",
                 f"Generate leads and test drives for the {N_LAUNCH_DEALERS} launch dealers.",
                 f"Judge channels on leads, valued at £{VALUE_PER_LEAD:,.0f} a lead, with the marketing mix model.")),
        _h(foreign, "Budget by channel", "Channel allocation"),
        Para(f"Budgets for {PLAN_YEAR} by channel; the total is {money(total)}."),
        Grid(("Channel", "Budget", "Share"), tuple((n, money(b), f"{b / total:.1%}") for n, b in budgets)
             + (("Total", money(total), "100.0%"),)),
        _h(foreign, "Budget by channel and month", "Monthly phasing by channel"),
        Para(f"Each line's budget is spread over the weeks it is active, each week counted in the month its "
             f"Monday falls in. Planned spend peaks in {peak}, the month the first models go on sale."),
        Grid(("Channel", *MONTHS, "Total"), by_month),
        _h(foreign, "Campaigns", "Campaign flighting"),
        Para("Digital campaigns run across all six digital platforms; traditional lines are listed by vendor."),
        Grid(("Campaign", "Model", "Start", "End", "Channels", "Budget"), camp_rows),
        _h(foreign, "Channel notes", "Notes by channel"),
        *_channel_notes(),
    ]
    title = f"{PLAN_YEAR} UK Media Flowchart" if foreign else f"DEEPAL UK Media Plan {PLAN_YEAR}"
    fields = (("Client", BRAND), ("Prepared by", AGENCY), ("Period", f"1 January – 31 December {PLAN_YEAR}"),
              ("Status", "Approved"))
    return Doc(title, tuple(blocks), fields, author=AGENCY)


def launch_calendar_doc(foreign: bool = False) -> Doc:
    """Launch milestones by date, and each model's on-sale date."""
    entries = launch_calendar()
    blocks: list[Block] = [
        _h(foreign, "Key dates by model", "Model launch dates"),
        Grid(("Model", "Stage", "UK date", "Market"),
             tuple((m.name, "on sale" if m.stage == "launch" else "preview", long_date(m.launch), "GB")
                   for m in MODELS)),
        _h(foreign, "Launch calendar", "Timeline"),
        Para(f"Every campaign start and model milestone of {PLAN_YEAR}, in date order."),
        Grid(("Model", "Event", "Date", "Market"),
             tuple((e.model, e.event, long_date(e.day), e.market) for e in entries)),
    ]
    for m in MODELS:
        mine = [e for e in entries if e.model == m.name]
        blocks += [Heading(m.name, 2),
                   Para(f"{m.name}, {m.body}: {len(mine)} milestones, the first on {long_date(mine[0].day)}; "
                        f"{'on sale' if m.stage == 'launch' else 'previewed'} from {long_date(m.launch)}.")]
    title = "UK Launch Timeline 2025" if foreign else f"Launch Calendar {PLAN_YEAR}"
    return Doc(title, tuple(blocks), (("Client", BRAND), ("Owner", "DEEPAL UK marketing")), author=BRAND)


def price_list(foreign: bool = False) -> Doc:
    """On-the-road prices by model and trim (the prices the sales table charges)."""
    rows = price_rows()
    blocks: list[Block] = [
        _h(foreign, "Prices by trim", "Recommended retail prices"),
        Para("On-the-road (OTR) prices include VAT, delivery, number plates and the first registration fee."),
        Grid(("Brand", "Model", "Trim", "Body", "OTR price"),
             tuple((brand, model, trim, body, money(price)) for brand, model, trim, body, price in rows)),
        _h(foreign, "Starting prices", "Entry prices"),
        Grid(("Model", "From", "Trims"), tuple((m.name, money(m.price), str(len(m.trims))) for m in MODELS)),
        _h(foreign, "Terms", "Conditions"),
        Para("Prices are recommended retail prices; dealers may offer discounts, which are recorded against each "
             "sale. Prices may change without notice."),
    ]
    title = "Recommended Retail Price Schedule" if foreign else "UK Price List — DEEPAL and AVATR"
    fields = (("Issued by", BRAND), ("Effective from", long_date(min(m.launch for m in MODELS))))
    return Doc(title, tuple(blocks), fields, author=BRAND)


def dealer_list(foreign: bool = False) -> Doc:
    """Every dealer by region, with a count per region."""
    df = dealer_rows()
    counts = df.groupby("region", sort=False).agg(dealers=("dealer_id", "size"),
                                                  cities=("city", lambda s: ", ".join(dict.fromkeys(s))))
    blocks: list[Block] = [
        _h(foreign, "Dealers by region", "Network summary"),
        Para(f"{len(df)} dealers in {len(counts)} regions, {N_LAUNCH_DEALERS} of them launch dealers "
             "that offer test drives."),
        Grid(("Region", "Dealers", "Cities"),
             tuple((region, str(r.dealers), r.cities) for region, r in counts.iterrows())),
        _h(foreign, "Dealer list", "Retailer directory"),
    ]
    for region, part in df.groupby("region", sort=False):
        blocks += [Heading(str(region), 2),
                   Grid(("Dealer ID", "Dealer", "Group", "City", "Region"),
                        tuple(tuple(str(v) for v in row) for row in part[
                            ["dealer_id", "dealer_name", "group", "city", "region"]].itertuples(index=False)))]
    title = "Retailer Network Directory" if foreign else "DEEPAL UK Dealer List"
    return Doc(title, tuple(blocks), (("Client", BRAND), ("Dealers", str(len(df)))), author=BRAND)
