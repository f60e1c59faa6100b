"""Read a what-if scenario out of a question: which channels change, and by how much."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.agents.entities import EntityKind, mentions

DOWN = r"cut|cuts|cutting|reduce|reduced|reducing|decrease|lower|drop|remove|trim|slash"
UP = r"increase|increased|increasing|raise|boost|add|grow|up|more|invest"
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent)", re.I)
AMOUNT = re.compile(r"£\s?(\d+(?:\.\d+)?)\s*(m|million|k|thousand)?", re.I)
MULTIPLIERS = {"double": 2.0, "doubled": 2.0, "doubling": 2.0, "triple": 3.0, "halve": 0.5, "halved": 0.5,
               "halving": 0.5, "pause": 0.0, "stop": 0.0, "switch off": 0.0, "turn off": 0.0}


@dataclass(frozen=True)
class Scenario:
    """Spend changes per channel: a multiplier of current spend, or an absolute plan-period amount (£)."""

    factors: dict[str, float]
    amounts: dict[str, float]

    @property
    def empty(self) -> bool:
        """True when the question names no change."""
        return not self.factors and not self.amounts


def _amount(m: re.Match[str]) -> float:
    """£ amount with its unit: £2m → 2,000,000."""
    unit = (m.group(2) or "").lower()
    scale = 1e6 if unit in ("m", "million") else 1e3 if unit in ("k", "thousand") else 1.0
    return float(m.group(1)) * scale


def _direction(segment: str) -> float | None:
    """-1 for a cut, +1 for an increase, None when the segment has no verb."""
    if re.search(rf"\b(?:{DOWN})\b", segment):
        return -1.0
    if re.search(rf"\b(?:{UP})\b", segment):
        return 1.0
    return None


def parse(question: str) -> Scenario:
    """Channels with their change: 'cut TV by 20%' → tv ×0.8; 'double Meta' → ×2; 'spend £2m on OOH' → £2,000,000.

    The question is split into clauses at 'and', commas and semicolons; a clause without its own verb or
    percentage borrows the previous verb and the next percentage ('cut TV and radio by 20%').
    """
    segments = [seg for seg in re.split(r"\band\b|,|;", question.lower()) if seg.strip()]
    parsed = []
    for seg in segments:
        chans = [m.value for m in mentions(seg) if m.kind == EntityKind.CHANNEL]
        mult = next((v for k, v in MULTIPLIERS.items() if re.search(rf"\b{k}\b", seg)), None)
        pct_match, amt_match = PERCENT.search(seg), AMOUNT.search(seg)
        parsed.append((chans, mult, float(pct_match.group(1)) if pct_match else None,
                       _amount(amt_match) if amt_match else None, _direction(seg)))
    factors: dict[str, float] = {}
    amounts: dict[str, float] = {}
    last_dir = 1.0
    for i, (chans, mult, pct, amt, direction) in enumerate(parsed):
        last_dir = direction if direction is not None else last_dir
        if pct is None and mult is None and amt is None:
            pct = next((p for _, _, p, _, _ in parsed[i + 1:] if p is not None), None)
        for ch in chans:
            if mult is not None:
                factors[ch] = mult
            elif pct is not None:
                factors[ch] = max(0.0, 1.0 + last_dir * pct / 100.0)
            elif amt is not None:
                amounts[ch] = amt
    return Scenario(factors, amounts)
