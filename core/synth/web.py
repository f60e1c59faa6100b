"""Website and configurator traffic: the funnel above leads, sized from leads so each stage contains the next."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.domain import SPEND_PREFIX
from core.synth.calendar import week_starts
from core.synth.facts import MARKETS, MODELS
from core.synth.funnel import model_probs
from core.synth.lines import split_int

WEB_SOURCES = ("organic_search", "direct", "referral", "email", "paid_search", "paid_social", "video", "display")
PAID_SOURCE = {"google": "paid_search", "meta": "paid_social", "tiktok": "paid_social", "linkedin": "paid_social",
               "youtube": "video", "dv360": "display"}
BASE_SHARE = {"organic_search": 0.30, "direct": 0.20, "referral": 0.05, "email": 0.03}
MARKET_SHARE = (0.86, 0.08, 0.06)
DEVICES = ("mobile", "desktop")


def weekly_traffic(leads: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(configurator starts, website sessions) per week: each stage a multiple of the one below."""
    configurator = np.ceil(leads * rng.uniform(2.6, 3.4, len(leads))).astype(int)
    sessions = np.ceil(configurator * rng.uniform(9.0, 12.0, len(leads))).astype(int)
    return configurator, sessions


def source_weights(spend: pd.DataFrame) -> np.ndarray:
    """(weeks, WEB_SOURCES) weights: fixed organic shares plus paid sources in proportion to digital spend."""
    paid = np.zeros((len(spend), len(WEB_SOURCES)))
    for ch, src in PAID_SOURCE.items():
        paid[:, WEB_SOURCES.index(src)] += spend[f"{SPEND_PREFIX}{ch}"].to_numpy()
    total = paid.sum(axis=1, keepdims=True)
    paid = 0.42 * np.divide(paid, total, out=np.zeros_like(paid), where=total > 0)
    base = np.array([BASE_SHARE.get(s, 0.0) for s in WEB_SOURCES])
    return paid + base


def website_analytics(sessions: np.ndarray, spend: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Daily sessions by market and traffic source; weekly totals equal `sessions`."""
    weeks = week_starts()
    weights = source_weights(spend)
    rows = []
    for w, total in enumerate(sessions):
        per_day = split_int(int(total), rng.uniform(0.85, 1.15, 7))
        for d, day_total in enumerate(per_day):
            day = (weeks[w] + pd.Timedelta(days=d)).strftime("%Y-%m-%d")
            for market, m_total in zip(MARKETS, split_int(int(day_total), MARKET_SHARE)):
                for src, n in zip(WEB_SOURCES, split_int(int(m_total), weights[w])):
                    if n:
                        rows.append((day, market, src, int(n)))
    df = pd.DataFrame(rows, columns=["date", "market", "traffic_source", "sessions"])
    n = len(df)
    df["users"] = np.ceil(df.sessions * rng.uniform(0.72, 0.86, n)).astype(int)
    df["pageviews"] = np.ceil(df.sessions * rng.uniform(2.8, 4.2, n)).astype(int)
    df["bounce_rate"] = np.round(rng.uniform(0.32, 0.55, n), 3)
    df["avg_session_seconds"] = np.round(rng.normal(142, 25, n).clip(40, 400)).astype(int)
    return df


def configurator_sessions(starts: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Daily configurator starts and completed builds per model and device; weekly starts equal `starts`."""
    weeks = week_starts()
    by_name = {m.name: m for m in MODELS}
    rows = []
    for w, total in enumerate(starts):
        probs = model_probs(weeks[w])
        for d, day_total in enumerate(split_int(int(total), rng.uniform(0.85, 1.15, 7))):
            day = (weeks[w] + pd.Timedelta(days=d)).strftime("%Y-%m-%d")
            for model, m_total in zip(by_name, split_int(int(day_total), probs)):
                for device, n in zip(DEVICES, split_int(int(m_total), (0.64, 0.36))):
                    if n:
                        rows.append((day, model, device, int(n)))
    df = pd.DataFrame(rows, columns=["date", "model", "device", "configurations_started"])
    n = len(df)
    df["configurations_completed"] = rng.binomial(df.configurations_started, 0.46)
    base = df.model.map({k: m.price for k, m in by_name.items()}).to_numpy()
    df["avg_build_price"] = np.round(base * rng.uniform(1.04, 1.18, n), -1).astype(int)
    df["brochure_downloads"] = rng.binomial(df.configurations_completed, 0.12)
    return df
