"""How numbers are written in replies, and which numbers a set of tool results lets a reply quote."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from core.config import DEFAULT_CURRENCY, Settings
from core.viz.format import currency_name, currency_prefix, kpi_words, money_full, singular

PRICE_CENTS_BELOW = 100.0  # a per-unit cost under this many currency units is shown with cents
CURRENCY_SIGNS = "£$€¥"  # written against a number; a letter code ("CHF 12") is followed by a space
NUMBER = re.compile(rf"(?<![\w.])-?[{CURRENCY_SIGNS}]?\d[\d,]*(?:\.\d+)?%?")


def money(x: float, currency: str = DEFAULT_CURRENCY) -> str:
    """A whole amount in the dataset's currency: £1,234,567, €1,234,567, CHF 1,234,567 (core.viz.format)."""
    return money_full(x, currency)


@dataclass(frozen=True)
class ReplyUnits:
    """The modelled dataset's currency and KPI as a reply writes them, in the dashboard's words."""

    currency: str
    kpi_name: str

    @classmethod
    def of(cls, settings: Settings) -> ReplyUnits:
        """The units the settings carry (the page sets them from the dataset it models)."""
        return cls(settings.currency, settings.kpi_name)

    def money(self, x: float) -> str:
        """A whole amount: €1,234,567."""
        return money(x, self.currency)

    def price(self, x: float) -> str:
        """A per-unit amount, with cents below PRICE_CENTS_BELOW: €1.37 per sale, but £312 per lead."""
        return money_full(x, self.currency, decimals=2 if abs(x) < PRICE_CENTS_BELOW else 0)

    @property
    def prefix(self) -> str:
        """What goes before an amount typed in a question: '£' in '£500k', 'CHF ' in 'CHF 500k'."""
        return currency_prefix(self.currency)

    @property
    def cur(self) -> str:
        """The currency as a word: '£' in "per £ spent", 'CHF' in "per CHF spent"."""
        return currency_name(self.currency)

    @property
    def kpis(self) -> str:
        """The KPI counted: 'leads', 'sales', 'test drives'."""
        return kpi_words(self.kpi_name)

    @property
    def one(self) -> str:
        """One KPI unit: 'lead', 'sale', 'test drive'."""
        return singular(self.kpi_name)


def ratio(x: float) -> str:
    """A ROI-like ratio with two decimals: 0.58."""
    return f"{x:.2f}"


def count(x: float, signed: bool = False) -> str:
    """A count of KPI units: 23,380 (or +23,380 / -23,380 for a change)."""
    return f"{x:+,.0f}" if signed else f"{x:,.0f}"


def pct(x: float, signed: bool = False) -> str:
    """A percentage with one decimal: 12.3% (or +12.3%)."""
    return f"{x:+.1f}%" if signed else f"{x:.1f}%"


FORMATTERS = (money, ratio, count, lambda x: count(x, True), lambda x: pct(x), lambda x: pct(x, True), lambda x: pct(100 * x),
              lambda x: pct(100 * x, True))


def _numbers(value: Any) -> Iterable[float]:
    """Every number inside a tool result (dataclasses, dicts, lists, DataFrames, scalars)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, (int, float)):
        if math.isfinite(value):
            yield float(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _numbers(getattr(value, f.name))
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, pd.DataFrame):
        for col in value.select_dtypes("number").columns:
            yield from _numbers(value[col].tolist())
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v)
    elif hasattr(value, "item"):  # numpy scalars
        yield from _numbers(value.item())


def _texts(value: Any) -> Iterable[str]:
    """Every string inside a tool result (passages quoted verbatim carry their own numbers)."""
    if isinstance(value, str):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _texts(getattr(value, f.name))
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(k)
            yield from _texts(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _texts(v)


def numbers_in(text: str) -> set[str]:
    """Number tokens of a text, normalised (no currency sign, %, sign or thousands commas)."""
    return {_norm(m) for m in NUMBER.findall(text)}


def _norm(token: str) -> str:
    """'-€1,234' → '1234': the digits a reply and a tool result share whatever the currency."""
    return re.sub(rf"[{CURRENCY_SIGNS},%]", "", token).lstrip("+-")


def quotable(results: Iterable[Any], extra_text: str = "") -> set[str]:
    """Numbers a reply may contain: tool numbers in every reply format, numbers in returned passages, and extra_text."""
    out = numbers_in(extra_text)
    for result in results:
        for x in _numbers(result):
            out |= {_norm(f(x)) for f in FORMATTERS}
        for t in _texts(result):
            out |= numbers_in(t)
    return out
