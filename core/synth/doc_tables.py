"""The numbers the planning documents state, computed from the generator's own facts and media lines.

Budgets by channel are core.synth.facts' CHANNELS (which the 2025 spend in the CSVs equals); the monthly phasing
spreads each 2025 media line evenly over the weeks it is active; prices are the trims the sales table charges;
dealers are the dealer table the funnel assigns leads to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from core.domain import channel_label
from core.synth import dealers
from core.synth.calendar import week_starts
from core.synth.facts import CHANNELS, DIGITAL, MODELS
from core.synth.lines import DIGITAL_2025, Line, active_weeks, all_lines, split_int

PLAN_YEAR = 2025
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MARKET = "GB"  # the market code the media rows carry


def long_date(d: date) -> str:
    """'1 September 2025'."""
    return f"{d.day} {d.strftime('%B')} {d.year}"


def channel_budgets() -> list[tuple[str, int]]:
    """(channel label, 2025 budget £) in the plan's channel order."""
    return [(channel_label(c.key), c.budget) for c in CHANNELS]


def plan_lines(year: int = PLAN_YEAR) -> list[Line]:
    """The media lines that start in the given year."""
    return [line for line in all_lines() if line.start.year == year]


def monthly_phasing(line: Line) -> np.ndarray:
    """A line's planned £ per month of its year: its total spread evenly over its active weeks, each week in
    the month its Monday falls in (integer pounds, summing exactly to the total)."""
    active = active_weeks(line)
    per_week = split_int(line.total, active.astype(float))
    months = week_starts().month.to_numpy() - 1
    out = np.zeros(len(MONTHS), dtype=np.int64)
    np.add.at(out, months[active], per_week[active])
    return out


def channel_months(year: int = PLAN_YEAR) -> dict[str, np.ndarray]:
    """Planned £ per month for each channel label (row sums equal the channel budgets)."""
    out = {channel_label(c.key): np.zeros(len(MONTHS), dtype=np.int64) for c in CHANNELS}
    for line in plan_lines(year):
        out[channel_label(line.channel)] += monthly_phasing(line)
    return out


@dataclass(frozen=True)
class Campaign:
    """A planned campaign: digital ones summed over their platforms, traditional ones per vendor."""

    name: str
    model: str
    start: date
    end: date
    channels: str
    budget: int


def campaigns(year: int = PLAN_YEAR) -> list[Campaign]:
    """Every campaign of the year's plan, in start-date order."""
    lines = plan_lines(year)
    out = []
    for _, name, model, start, end, _, _ in DIGITAL_2025:
        mine = [ln for ln in lines if ln.channel in DIGITAL and ln.campaign == name]
        out.append(Campaign(name, model, start, end, ", ".join(channel_label(ln.channel) for ln in mine),
                            sum(ln.total for ln in mine)))
    for ln in lines:
        if ln.channel not in DIGITAL:
            out.append(Campaign(f"{ln.campaign} ({ln.vendor})", ln.model, ln.start, ln.end,
                                channel_label(ln.channel), ln.total))
    return sorted(out, key=lambda c: (c.start, c.name))


def prelaunch_spend() -> int:
    """Total £ of the 2024 pre-launch year's lines."""
    return sum(line.total for line in plan_lines(PLAN_YEAR - 1))


def _lower_first(name: str) -> str:
    """'Launch radio' → 'launch radio'; a name starting with a brand or model keeps its capitals."""
    return name[0].lower() + name[1:] if name.split()[0] in ("Launch", "Brand") else name


@dataclass(frozen=True)
class CalendarEntry:
    """One dated launch milestone."""

    day: date
    model: str
    event: str
    market: str = MARKET


def launch_calendar(year: int = PLAN_YEAR) -> list[CalendarEntry]:
    """Campaign starts of the year's lines, and each model's on-sale (or preview) date, in date order."""
    out = []
    for _, name, model, start, _, _, _ in DIGITAL_2025:
        out.append(CalendarEntry(start, model, f"Start of {_lower_first(name)} on digital channels"))
    for ln in plan_lines(year):
        if ln.channel not in DIGITAL:
            out.append(CalendarEntry(ln.start, ln.model, f"Start of {_lower_first(ln.campaign)} with {ln.vendor} "
                                                         f"({channel_label(ln.channel)})"))
    for m in MODELS:
        event = ("UK on-sale date; test drives open at launch dealers" if m.stage == "launch"
                 else "UK preview: on show at dealers, not yet available to test drive")
        out.append(CalendarEntry(m.launch, m.name, event))
    return sorted(out, key=lambda e: (e.day, e.model, e.event))


def price_rows() -> list[tuple[str, str, str, str, int]]:
    """(brand, model, trim, body, on-the-road £) of every trim the sales table can sell."""
    return [(m.brand, m.name, t.name, m.body, t.price) for m in MODELS for t in m.trims]


def dealer_rows() -> pd.DataFrame:
    """dealer_id, dealer_name, group, city, region of every dealer.

    These columns of core.synth.dealers.dealers do not depend on its random generator (only which dealers
    launch and how fast they answer do), so any seed's world has this same list.
    """
    table = dealers.dealers(np.random.default_rng(0))
    return table[["dealer_id", "dealer_name", "group", "city", "region"]].reset_index(drop=True)
