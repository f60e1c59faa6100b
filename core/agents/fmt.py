"""How numbers are written in replies, and which numbers a set of tool results lets a reply quote."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

NUMBER = re.compile(r"(?<![\w.])-?£?\d[\d,]*(?:\.\d+)?%?")


def money(x: float) -> str:
    """£1,234,567 (whole pounds)."""
    return f"£{x:,.0f}"


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
    """Number tokens of a text, normalised (no £, %, sign or thousands commas)."""
    return {_norm(m) for m in NUMBER.findall(text)}


def _norm(token: str) -> str:
    return token.replace("£", "").replace(",", "").replace("%", "").lstrip("+-")


def quotable(results: Iterable[Any], extra_text: str = "") -> set[str]:
    """Numbers a reply may contain: tool numbers in every reply format, numbers in returned passages, and extra_text."""
    out = numbers_in(extra_text)
    for result in results:
        for x in _numbers(result):
            out |= {_norm(f(x)) for f in FORMATTERS}
        for t in _texts(result):
            out |= numbers_in(t)
    return out
