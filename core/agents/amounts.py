"""Amounts in analysts' words: £500k, 0.5M, half a million, £2 million, 20%, 20 per cent, a fifth, by half."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    """What an amount measures."""

    MONEY = "money"  # pounds (or the file's own spend unit)
    PERCENT = "percent"  # of a channel's current spend


@dataclass(frozen=True)
class Amount:
    """One amount found in a text, with its character span."""

    value: float
    unit: Unit
    start: int
    end: int


SCALES = {"k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
          "millions": 1e6, "bn": 1e9, "b": 1e9, "billion": 1e9}
WORD_NUMBERS = {"a": 1.0, "one": 1.0, "half a": 0.5, "a half": 0.5, "two": 2.0, "three": 3.0, "four": 4.0,
                "five": 5.0, "ten": 10.0, "a quarter of a": 0.25, "quarter of a": 0.25}
FRACTIONS = {"a half": 50.0, "half": 50.0, "a third": 100 / 3, "a quarter": 25.0, "a fifth": 20.0,
             "a tenth": 10.0, "two thirds": 200 / 3, "three quarters": 75.0}
MIN_BARE_MONEY = 1000.0  # a bare number below this is not read as money ("top 5", "in 2 weeks")
YEAR = re.compile(r"^(?:19|20)\d\d$")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = "|".join(sorted(map(re.escape, SCALES), key=len, reverse=True))
PERCENT_RX = re.compile(rf"(?<![\w.])({_NUM})\s*(?:%|per ?cent\b|pct\b)", re.I)
MONEY_RX = re.compile(rf"(?<![\w.])(£\s?)?({_NUM})\s*({_SCALE})?\b(?:\s*(?:pounds|gbp|quid))?", re.I)
WORD_MONEY_RX = re.compile(
    rf"\b({'|'.join(sorted(map(re.escape, WORD_NUMBERS), key=len, reverse=True))})\s+"
    r"(million|thousand|grand|billion)\b(?:\s*(?:pounds|quid))?", re.I)
FRACTION_RX = re.compile(
    rf"\b(?:by\s+)?({'|'.join(sorted(map(re.escape, FRACTIONS), key=len, reverse=True))})\b(?!\s+(?:a\s+)?"
    r"(?:million|thousand|billion|grand))", re.I)


def _number(text: str) -> float:
    """'1,250.5' → 1250.5."""
    return float(text.replace(",", ""))


def _money(m: re.Match[str]) -> Amount | None:
    """A money match, or None when it is a bare small number or a year."""
    pound, digits, scale = m.group(1), m.group(2), (m.group(3) or "").lower()
    value = _number(digits) * SCALES.get(scale, 1.0)
    if not pound and not scale:
        if YEAR.match(digits) or value < MIN_BARE_MONEY:
            return None
    return Amount(value, Unit.MONEY, m.start(), m.end())


def find_amounts(text: str) -> list[Amount]:
    """Every money and percentage amount in a text, left to right, overlaps resolved to the first found."""
    found: list[Amount] = [Amount(_number(m.group(1)), Unit.PERCENT, m.start(), m.end())
                           for m in PERCENT_RX.finditer(text)]
    found += [Amount(WORD_NUMBERS[m.group(1).lower()] * SCALES[m.group(2).lower()], Unit.MONEY, m.start(), m.end())
              for m in WORD_MONEY_RX.finditer(text)]
    found += [a for m in MONEY_RX.finditer(text) if (a := _money(m)) is not None]
    found += [Amount(FRACTIONS[m.group(1).lower()], Unit.PERCENT, m.start(), m.end())
              for m in FRACTION_RX.finditer(text)]
    out: list[Amount] = []
    for a in sorted(found, key=lambda a: (a.start, -(a.end - a.start))):
        if all(a.start >= b.end or a.end <= b.start for b in out):
            out.append(a)
    return sorted(out, key=lambda a: a.start)
