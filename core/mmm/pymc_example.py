"""PyMC-Marketing's MMM example data, regenerated from its published recipe, with the truth it was drawn from.

The recipe is the data-generating process of PyMC-Marketing's "MMM Example Notebook" (after Juan Orduz's
"Media Effect Estimation with PyMC"), which produced its `data/mmm_example.csv`:

- weeks: every Monday from 2018-04-01 to 2021-09-01 (179 weeks, first 2018-04-02);
- spend: x1 = u if u > 0.9 else u / 2, x2 = u if u > 0.8 else 0, with u ~ U(0, 1) drawn per week, x1 first;
- carry-over: geometric adstock over l_max = 8 weeks with weights α^l / Σ_{l<8} α^l, α = 0.4 (x1), 0.2 (x2);
- saturation: logistic (1 − e^{−λx}) / (1 + e^{−λx}), λ = 4 (x1), 3 (x2);
- y = SCALE · (2 + trend + seasonality + 1.5·event_1 + 2.5·event_2 + 3·sat(x1) + 2·sat(x2) + ε), ε ~ N(0, 0.25),
  trend = (linspace(0, 50) + 10)^{1/4} − 1, seasonality = ½(−sin(4πd/365.5) + cos(2πd/365.5)), d = day of year,
  event_1 on 2019-05-13, event_2 on 2020-09-14.

With `numpy.random.default_rng(PUBLISHED_SEED)` and SCALE = 1000 this reproduces every value of the published
file (every value within 3e-12; the file writes 16 significant digits). The file's y is 1,000 times the
notebook's sum; spend is in the file's own units (x1 ≈ 0.3 a week).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PUBLISHED_SEED = sum(map(ord, "mmm"))  # the notebook's seed: 327
FIRST_DAY, LAST_DAY = "2018-04-01", "2021-09-01"
EXAMPLE_CHANNELS = ("x1", "x2")
ALPHA = {"x1": 0.4, "x2": 0.2}  # geometric adstock decay
L_MAX = 8  # adstock lags
LAM = {"x1": 4.0, "x2": 3.0}  # logistic saturation
BETA = {"x1": 3.0, "x2": 2.0}  # effect at full saturation, before SCALE
X1_BURST, X2_BURST = 0.9, 0.8  # x1 runs at half strength below this draw, x2 is dark below this one
INTERCEPT = 2.0
NOISE_SD = 0.25
EVENTS = {"event_1": ("2019-05-13", 1.5), "event_2": ("2020-09-14", 2.5)}
YEAR_DAYS = 365.5  # the recipe's period for seasonality
SCALE = 1000.0  # the published y is 1,000 × the notebook's sum
COLUMNS = ("date_week", "y", "x1", "x2", "event_1", "event_2", "dayofyear", "t")


@dataclass(frozen=True)
class PymcExample:
    """The example table (the published file's columns) and each channel's true KPI per unit of spend.

    contribution_per_unit[ch] = Σ_t SCALE·β·sat(adstock(x))_t / Σ_t x_t over every week of the file.
    """

    table: pd.DataFrame
    contribution_per_unit: dict[str, float]
    contribution: dict[str, float]  # total KPI from each channel over the file


def geometric_adstock_lmax(x: np.ndarray, alpha: float, l_max: int = L_MAX) -> np.ndarray:
    """PyMC-Marketing's normalised geometric adstock: y_t = Σ_{l<l_max} α^l x_{t−l} / Σ_{l<l_max} α^l.

    Weeks before the first are zero spend (the convolution starts empty).
    """
    weights = alpha ** np.arange(l_max)
    return np.convolve(np.asarray(x, dtype=float), weights / weights.sum())[: len(x)]


def logistic_saturation(x: np.ndarray, lam: float) -> np.ndarray:
    """PyMC-Marketing's logistic saturation: (1 − e^{−λx}) / (1 + e^{−λx}), 0 at 0 and towards 1."""
    e = np.exp(-lam * np.asarray(x, dtype=float))
    return (1 - e) / (1 + e)


def channel_contribution(x: np.ndarray, channel: str) -> np.ndarray:
    """Weekly KPI from one channel's spend under the recipe: SCALE · β · sat(adstock(x))."""
    return SCALE * BETA[channel] * logistic_saturation(geometric_adstock_lmax(x, ALPHA[channel]), LAM[channel])


def simulate_pymc_example(seed: int = PUBLISHED_SEED) -> PymcExample:
    """The example table drawn with `seed` (PUBLISHED_SEED gives the published file) and its true contributions."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(FIRST_DAY, LAST_DAY, freq="W-MON")
    n = len(dates)
    u1 = rng.uniform(0.0, 1.0, n)
    u2 = rng.uniform(0.0, 1.0, n)
    spend = {"x1": np.where(u1 > X1_BURST, u1, u1 / 2), "x2": np.where(u2 > X2_BURST, u2, 0.0)}
    day = dates.day_of_year.to_numpy()
    trend = (np.linspace(0.0, 50.0, n) + 10) ** 0.25 - 1
    season = 0.5 * (-np.sin(2 * 2 * np.pi * day / YEAR_DAYS) + np.cos(2 * np.pi * day / YEAR_DAYS))
    events = {name: (dates == pd.Timestamp(day_)).astype(float) for name, (day_, _) in EVENTS.items()}
    noise = rng.normal(0.0, NOISE_SD, n)
    media = {ch: channel_contribution(spend[ch], ch) for ch in EXAMPLE_CHANNELS}
    base = INTERCEPT + trend + season + sum(EVENTS[name][1] * events[name] for name in EVENTS) + noise
    y = SCALE * base + media["x1"] + media["x2"]
    table = pd.DataFrame({"date_week": dates.strftime("%Y-%m-%d"), "y": y, **spend, **events,
                          "dayofyear": day, "t": np.arange(n)})
    contribution = {ch: float(media[ch].sum()) for ch in EXAMPLE_CHANNELS}
    per_unit = {ch: contribution[ch] / float(spend[ch].sum()) for ch in EXAMPLE_CHANNELS}
    return PymcExample(table=table[list(COLUMNS)], contribution_per_unit=per_unit, contribution=contribution)
