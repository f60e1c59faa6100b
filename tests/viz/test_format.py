import math

import pytest

from core.viz.format import compact, currency_prefix, money, money_full, nice_step, ratio, singular


@pytest.mark.parametrize("value", [0, 3.5, 950, 1_000, 12_345, 1_234_567, 20_000_000, 3.2e9, -1_500_000])
def test_compact_round_trips_within_rounding(value):
    text = compact(value)
    scale = {"k": 1e3, "M": 1e6, "B": 1e9}.get(text[-1], 1)
    number = float(text.rstrip("kMB").replace(",", "")) * scale
    assert math.isclose(number, value, rel_tol=0.05, abs_tol=0.05)


def test_money_puts_sign_before_pound():
    assert money(-1_500_000).startswith("-£") and money(2_000_000).startswith("£")


def test_missing_values_show_a_dash():
    assert {money(float("nan")), ratio(float("nan"))} == {"–"}


def test_ratio_decimals():
    assert float(ratio(1.834).lstrip("£")) == pytest.approx(1.83, abs=0.005)


def test_money_full_has_separators_and_the_files_currency():
    assert money_full(6_000_000) == "£6,000,000"  # not "£6000000"
    assert money_full(-1_234.5, "$") == "-$1,235"  # halves round away from zero, as in a spreadsheet
    assert money_full(23_336.499999999996) == "£23,337"  # a float sum of pennies that is really a half
    assert money_full(2.5, "EUR", decimals=None) == "€2.50" and money_full(150, decimals=None) == "£150"
    assert money_full(float("nan")) == "–"


@pytest.mark.parametrize(("currency", "prefix"), [("£", "£"), ("GBP", "£"), ("eur", "€"), ("USD", "$"), ("$", "$"),
                                                  ("CHF", "CHF "), ("US$", "US$"), ("kr", "kr ")])
def test_currency_symbols_and_codes(currency, prefix):
    assert currency_prefix(currency) == prefix
    assert money(2_500_000, currency=currency) == f"{prefix}2.5M"
    assert money(-500, currency=currency) == f"-{prefix}500"


def test_ratio_takes_the_currency():
    assert ratio(0.604, "€") == "€0.60" and ratio(1.5, "CHF") == "CHF 1.50"


@pytest.mark.parametrize("span", [0.5, 7, 600_000, 1_800_000, 6_000_000, 20_000_000, 3.3e9])
def test_nice_step_is_round_and_about_a_hundredth_of_the_span(span):
    step = nice_step(span)
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in {1.0, 2.0, 5.0}
    assert step >= 1.0 and (step <= span / 100 or step == 1.0)
    assert step > span / 100 / 2.5 or step == 1.0  # the next round step up would be too big


def test_singular_names_one_kpi_unit():
    assert [singular(k) for k in ("leads", "test_drives", "sales", "kpi", "revenue")] == [
        "lead", "test drive", "sale", "KPI unit", "revenue"]
