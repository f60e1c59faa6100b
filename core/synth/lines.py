"""Media lines (a campaign on a platform, a broadcaster deal, a print title) and their weekly spend in pence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

import numpy as np

from core.synth.calendar import week_starts
from core.synth.facts import CHANNELS, DIGITAL, N_WEEKS, PRELAUNCH_SHARE

PENCE = 100


class Pattern(str, Enum):
    """How a line's spend is spread over its active weeks."""

    ALWAYS_ON = "always_on"
    FLIGHTED = "flighted"
    SPORADIC = "sporadic"


@dataclass(frozen=True)
class Line:
    """One bought line of media with its window and total; weekly pence are drawn from its pattern."""

    channel: str
    vendor: str
    campaign_id: str
    campaign: str
    model: str
    start: date
    end: date
    total: int  # pounds
    pattern: Pattern
    contract_ref: str = ""
    platform: str = ""


# (slug, name, model, start, end, share, pattern) of each year's digital campaigns.
DIGITAL_2024 = (
    ("DEEPAL-BRAND", "DEEPAL brand awareness", "DEEPAL", date(2024, 3, 4), date(2024, 12, 23), 0.6,
     Pattern.ALWAYS_ON),
    ("AVATR-BRAND", "AVATR brand awareness", "AVATR", date(2024, 5, 6), date(2024, 12, 23), 0.4, Pattern.FLIGHTED),
)
DIGITAL_2025 = (
    ("BRAND-AO", "DEEPAL always-on brand", "DEEPAL", date(2025, 1, 6), date(2025, 12, 28), 0.15, Pattern.ALWAYS_ON),
    ("S07-LAUNCH", "DEEPAL S07 launch", "DEEPAL S07", date(2025, 6, 2), date(2025, 12, 28), 0.35, Pattern.ALWAYS_ON),
    ("AVATR12-LAUNCH", "AVATR 12 launch", "AVATR 12", date(2025, 7, 7), date(2025, 12, 28), 0.22, Pattern.FLIGHTED),
    ("AVATR11-LAUNCH", "AVATR 11 launch", "AVATR 11", date(2025, 8, 18), date(2025, 12, 28), 0.18,
     Pattern.FLIGHTED),
    ("S05-PREVIEW", "DEEPAL S05 preview", "DEEPAL S05", date(2025, 10, 13), date(2025, 12, 28), 0.10,
     Pattern.ALWAYS_ON),
)
DIGITAL_PREFIX = {"meta": "META", "google": "GADS", "dv360": "DV360", "tiktok": "TTK", "youtube": "YT",
                  "linkedin": "LNKD"}
DIGITAL_VENDOR = {"meta": "Meta Platforms", "google": "Google Ads", "dv360": "Google DV360",
                  "tiktok": "TikTok", "youtube": "YouTube", "linkedin": "LinkedIn"}

TRADITIONAL = (
    Line("tv", "ITV", "TV-24-BRAND", "DEEPAL brand awareness TV", "DEEPAL", date(2024, 4, 1), date(2024, 11, 25),
         1_000_000, Pattern.FLIGHTED, "ITV-2024-SPOT", "linear"),
    Line("tv", "Sky", "TV-24-BRAND", "DEEPAL brand awareness TV", "AVATR", date(2024, 5, 6), date(2024, 12, 16),
         800_000, Pattern.FLIGHTED, "SKY-2024-SPOT", "linear"),
    Line("tv", "ITV", "TV-25-LAUNCH", "DEEPAL S07 launch TV", "DEEPAL S07", date(2025, 7, 7), date(2025, 12, 22),
         3_300_000, Pattern.FLIGHTED, "ITV-2025-0418", "linear"),
    Line("tv", "Sky", "TV-25-LAUNCH", "AVATR launch TV", "AVATR 12", date(2025, 3, 3), date(2025, 12, 22),
         2_000_000, Pattern.FLIGHTED, "SKY-MS-2025-117", "linear"),
    Line("tv", "Sky", "TV-25-BVOD", "AVATR launch BVOD", "AVATR 12", date(2025, 5, 5), date(2025, 12, 22),
         400_000, Pattern.ALWAYS_ON, "SKY-MS-2025-117-A1", "bvod"),
    Line("tv", "Channel 4", "TV-25-C4", "Channel 4 partnership", "DEEPAL S07", date(2025, 9, 1), date(2025, 12, 22),
         300_000, Pattern.FLIGHTED, "C4P-2025-052", "linear"),
    Line("ooh", "JCDecaux", "OOH-24-BRAND", "DEEPAL brand OOH", "DEEPAL", date(2024, 6, 3), date(2024, 11, 25),
         500_000, Pattern.FLIGHTED, "JCD-UK-24-1180"),
    Line("ooh", "Clear Channel", "OOH-24-BRAND", "DEEPAL brand OOH", "DEEPAL", date(2024, 9, 2),
         date(2024, 12, 16), 400_000, Pattern.FLIGHTED, "CCUK-24-0455"),
    Line("ooh", "JCDecaux", "OOH-25-LAUNCH", "Launch OOH", "DEEPAL S07", date(2025, 3, 3), date(2025, 12, 22),
         1_800_000, Pattern.FLIGHTED, "JCD-UK-25-3391"),
    Line("ooh", "Clear Channel", "OOH-25-DOOH", "Launch DOOH", "AVATR 12", date(2025, 8, 4), date(2025, 12, 22),
         1_200_000, Pattern.ALWAYS_ON, "CCUK-DOOH-25-0712"),
    Line("radio", "Global", "RAD-24-BRAND", "DEEPAL brand radio", "DEEPAL", date(2024, 4, 1), date(2024, 12, 16),
         120_000, Pattern.FLIGHTED),
    Line("radio", "Global", "RAD-25-LAUNCH", "Launch radio", "DEEPAL S07", date(2025, 2, 3), date(2025, 12, 22),
         250_000, Pattern.FLIGHTED),
    Line("radio", "Bauer", "RAD-25-LAUNCH", "Launch radio", "AVATR 12", date(2025, 6, 2), date(2025, 12, 22),
         150_000, Pattern.FLIGHTED),
    Line("print", "Autocar", "PRT-24-BRAND", "DEEPAL brand print", "DEEPAL", date(2024, 3, 4), date(2024, 12, 16),
         100_000, Pattern.SPORADIC),
    Line("print", "What Car?", "PRT-24-BRAND", "DEEPAL brand print", "DEEPAL", date(2024, 5, 6),
         date(2024, 12, 16), 80_000, Pattern.SPORADIC),
    Line("print", "Autocar", "PRT-25-LAUNCH", "Launch print", "DEEPAL S07", date(2025, 2, 3), date(2025, 12, 22),
         200_000, Pattern.SPORADIC),
    Line("print", "What Car?", "PRT-25-LAUNCH", "Launch print", "DEEPAL S07", date(2025, 2, 3), date(2025, 12, 22),
         150_000, Pattern.SPORADIC),
    Line("print", "The Sunday Times Driving", "PRT-25-AVATR", "AVATR print", "AVATR 12", date(2025, 3, 3),
         date(2025, 12, 22), 150_000, Pattern.SPORADIC),
    Line("print", "Top Gear Magazine", "PRT-25-AVATR", "AVATR print", "AVATR 11", date(2025, 4, 7),
         date(2025, 12, 22), 100_000, Pattern.SPORADIC),
    Line("events", "DEEPAL UK Events", "EVT-24", "Brand experience events", "DEEPAL", date(2024, 4, 1),
         date(2024, 12, 16), 180_000, Pattern.SPORADIC),
    Line("events", "DEEPAL UK Events", "EVT-25", "Launch events", "DEEPAL S07", date(2025, 2, 3),
         date(2025, 12, 22), 600_000, Pattern.SPORADIC),
)


def digital_lines() -> list[Line]:
    """Every digital campaign line: 2024 awareness at PRELAUNCH_SHARE of budget, 2025 launch at budget."""
    budgets = {c.key: c.budget for c in CHANNELS}
    out = []
    for ch in DIGITAL:
        for year, plan, scale in ((24, DIGITAL_2024, PRELAUNCH_SHARE), (25, DIGITAL_2025, 1.0)):
            totals = split_int(round(budgets[ch] * scale), [p[5] for p in plan])
            for (slug, name, model, start, end, _, pattern), total in zip(plan, totals):
                out.append(Line(ch, DIGITAL_VENDOR[ch], f"{DIGITAL_PREFIX[ch]}-{year}-{slug}", name, model, start,
                                end, int(total), pattern))
    return out


def all_lines() -> list[Line]:
    """Digital and traditional lines together, in a fixed order."""
    return digital_lines() + list(TRADITIONAL)


def split_int(total: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Split an integer total into integer parts proportional to weights (largest remainder; sums exactly)."""
    w = np.asarray(weights, dtype=float)
    if total == 0 or w.sum() <= 0:
        return np.zeros(len(w), dtype=np.int64)
    exact = total * w / w.sum()
    parts = np.floor(exact).astype(np.int64)
    short = int(total - parts.sum())
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[:short]] += 1
    return parts


def active_weeks(line: Line) -> np.ndarray:
    """Boolean mask of model weeks whose Monday falls in the line's window."""
    mondays = week_starts().date
    return (mondays >= line.start) & (mondays <= line.end)


def week_weights(pattern: Pattern, active: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Relative weekly weights: always-on wobbles, flighted switches on and off, sporadic picks a few weeks."""
    n = len(active)
    if pattern is Pattern.ALWAYS_ON:
        w = rng.lognormal(0.0, 0.35, n)
    elif pattern is Pattern.FLIGHTED:
        on, state = np.zeros(n), True
        for i in range(n):
            on[i] = state
            state = rng.random() < (0.7 if state else 0.35)
        w = on * rng.lognormal(0.0, 0.25, n)
    else:
        w = (rng.random(n) < 0.3) * rng.lognormal(0.0, 0.3, n)
    w = w * active
    if w.sum() == 0:  # every line spends in at least one week
        w[np.flatnonzero(active)[0]] = 1.0
    return w


def weekly_pence(line: Line, rng: np.random.Generator) -> np.ndarray:
    """The line's spend in each model week, in pence, summing exactly to its total."""
    return split_int(line.total * PENCE, week_weights(line.pattern, active_weeks(line), rng))


def spend_matrix(lines: list[Line], pence: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Weekly pounds per channel: the sum of its lines."""
    out = {c.key: np.zeros(N_WEEKS) for c in CHANNELS}
    for line, p in zip(lines, pence):
        out[line.channel] = out[line.channel] + p / PENCE
    return out
