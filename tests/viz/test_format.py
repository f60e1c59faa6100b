import math

import pytest

from core.viz.format import compact, money, ratio


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
