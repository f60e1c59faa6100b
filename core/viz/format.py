"""Number formatting shared by every page: £1.2M, 12.3k, +4.5%."""

from __future__ import annotations

import math

_UNITS = ((1e9, "B"), (1e6, "M"), (1e3, "k"))


def compact(value: float, decimals: int = 1) -> str:
    """12_345 → '12.3k', 1_200_000 → '1.2M'; below 1,000 the number itself ('950', '3.5')."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    sign = "-" if value < 0 else ""
    size = abs(value)
    for scale, unit in _UNITS:
        if size >= scale:
            return f"{sign}{size / scale:.{decimals}f}{unit}"
    return f"{sign}{size:,.0f}" if size >= 100 or size == int(size) else f"{sign}{size:.{decimals}f}"


def money(value: float, decimals: int = 1) -> str:
    """£ with compact units: 1_234_567 → '£1.2M', -500 → '-£500'."""
    text = compact(value, decimals)
    return text if text == "–" else (f"-£{text[1:]}" if text.startswith("-") else f"£{text}")


def ratio(value: float) -> str:
    """A £-per-£ return: 1.834 → '£1.83'."""
    return "–" if value is None or math.isnan(value) else f"£{value:.2f}"
