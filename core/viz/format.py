"""Number formatting shared by every page: £1.2M, $950, EUR 12.3k, £6,000,000, +4.5%.

Money takes the dataset's currency: a symbol ("£", "$", "€") is written against the number, the codes of those
symbols (GBP, USD, EUR, JPY) as the symbol, any other code ("CHF") with a space, so a file in francs reads in
francs everywhere it is shown.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from core.config import DEFAULT_CURRENCY  # the generated world's currency, one constant with Settings.currency

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "JPY": "¥"}  # codes written as their symbol
_UNITS = ((1e9, "B"), (1e6, "M"), (1e3, "k"))
NICE_MANTISSAS = (1.0, 2.0, 5.0)  # steps read as 1, 2 or 5 times a power of ten
MIN_STEP = 1.0  # a money input never moves by less than one currency unit


def _missing(value: float | None) -> bool:
    """None or NaN: shown as a dash."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def compact(value: float, decimals: int = 1) -> str:
    """12_345 → '12.3k', 1_200_000 → '1.2M'; below 1,000 the number itself ('950', '3.5')."""
    if _missing(value):
        return "–"
    sign = "-" if value < 0 else ""
    size = abs(value)
    for scale, unit in _UNITS:
        if size >= scale:
            return f"{sign}{size / scale:.{decimals}f}{unit}"
    return f"{sign}{size:,.0f}" if size >= 100 or size == int(size) else f"{sign}{size:.{decimals}f}"


def currency_prefix(currency: str = DEFAULT_CURRENCY) -> str:
    """What goes before an amount: a symbol as it is ('£', 'US$'), a known code as its symbol ('EUR' → '€'),
    another letter code with a space ('CHF ')."""
    code = currency.strip()
    code = SYMBOLS.get(code.upper(), code)
    return f"{code} " if code[-1:].isalpha() else code


def currency_name(currency: str = DEFAULT_CURRENCY) -> str:
    """The currency as a word in a label: '£', '€', 'CHF' ("£ back per £ spent")."""
    return currency_prefix(currency).strip()


def kpi_words(kpi_name: str) -> str:
    """The KPI counted in a sentence: 'leads', 'test_drives' → 'test drives', 'kpi' → 'KPI units'."""
    words = kpi_name.replace("_", " ").strip()
    return "KPI units" if words.lower() in {"kpi", ""} else words


def singular(kpi_name: str) -> str:
    """One KPI unit in words: 'leads' → 'lead', 'test_drives' → 'test drive', 'kpi' → 'KPI unit'."""
    words = kpi_words(kpi_name)
    if words == "KPI units":
        return "KPI unit"
    if words.endswith("s") and not words.endswith("ss") and len(words) > 3:
        return words[:-1]
    return words


def _with_currency(text: str, currency: str) -> str:
    """'-1.5M' → '-£1.5M': the sign before the currency."""
    if text == "–":
        return text
    prefix = currency_prefix(currency)
    return f"-{prefix}{text[1:]}" if text.startswith("-") else f"{prefix}{text}"


def money(value: float, decimals: int = 1, currency: str = DEFAULT_CURRENCY) -> str:
    """Money with compact units: 1_234_567 → '£1.2M', -500 → '-£500', ('USD') 2_500 → 'USD 2.5k'."""
    return _with_currency(compact(value, decimals), currency)


def money_full(value: float, currency: str = DEFAULT_CURRENCY, decimals: int | None = 0) -> str:
    """Money in full with thousands separators: 6_000_000 → '£6,000,000' (tables, where digits line up).

    decimals=None shows cents only when there are any: 150 → '£150', 2.5 → '£2.50'.
    """
    if _missing(value):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 2
    shown = half_up(value, decimals) if math.isfinite(value) else value
    return _with_currency(f"{shown:,.{decimals}f}", currency)


def half_up(value: float, decimals: int = 0) -> Decimal:
    """Rounded as a spreadsheet rounds, halves away from zero: 23_336.5 → 23_337 (Python's own rounding gives
    23_336), after dropping float noise below a millionth, so a sum of pennies that lands on a half rounds up."""
    exact = Decimal(repr(round(float(value), 6)))
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def ratio(value: float, currency: str = DEFAULT_CURRENCY) -> str:
    """A money-per-money return: 1.834 → '£1.83' (£ back per £ spent)."""
    return "–" if _missing(value) else _with_currency(f"{value:.2f}", currency)


def nice_step(span: float, divisions: int = 100) -> float:
    """A round step (1, 2 or 5 × 10^k, at least MIN_STEP) of at most span / divisions: an input's key press
    then moves a channel by about 1/divisions of its own scale, whatever that scale is."""
    if not span > 0 or not math.isfinite(span):
        return MIN_STEP
    raw = span / divisions
    power = 10.0 ** math.floor(math.log10(raw))
    step = max((m * power for m in NICE_MANTISSAS if m * power <= raw), default=power)
    return max(step, MIN_STEP)
