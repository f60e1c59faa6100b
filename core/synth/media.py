"""Raw media files from the lines' weekly pence: daily platform rows, weekly TV/OOH/radio, print insertions, events."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.synth.calendar import dark_mask, week_starts
from core.synth.facts import CITIES, DIGITAL_FILES, REGIONS
from core.synth.lines import PENCE, Line, split_int

# Platform economics: CPM (£), CTR, conversion rate of clicks, share of impressions that are video views.
PLATFORM = {
    "meta": (6.5, 0.011, 0.030, 0.0), "google": (28.0, 0.055, 0.060, 0.0), "dv360": (3.8, 0.0018, 0.012, 0.0),
    "tiktok": (4.6, 0.007, 0.015, 0.55), "youtube": (9.5, 0.004, 0.018, 0.42), "linkedin": (32.0, 0.006, 0.025, 0.0),
}
OOH_FORMATS = {"JCDecaux": ("48-sheet", "6-sheet", "Bus shelter"), "Clear Channel": ("DOOH roadside", "DOOH mall")}
WEEKDAY_LIFT = np.array([1.0, 1.0, 1.02, 1.05, 1.08, 0.92, 0.9])


def _money(pence: np.ndarray) -> np.ndarray:
    """Pence to pounds with two decimals."""
    return np.round(pence / PENCE, 2)


def digital_rows(line: Line, pence: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Daily rows of one digital campaign: spend split over its week days, delivery from platform economics."""
    cpm, ctr, cvr, view_share = PLATFORM[line.channel]
    weeks = week_starts()
    dates: list[pd.Timestamp] = []
    spend: list[int] = []
    for w in np.flatnonzero(pence):
        day_index = pd.date_range(weeks[w], periods=7, freq="D")
        weights = WEEKDAY_LIFT * rng.lognormal(0.0, 0.12, 7) * ~dark_mask(day_index)
        dates.extend(day_index)
        spend.extend(split_int(int(pence[w]), weights))
    df = pd.DataFrame({"date": pd.DatetimeIndex(dates).strftime("%Y-%m-%d"), "spend_p": np.array(spend)})
    df = df[df.spend_p > 0].reset_index(drop=True)
    n = len(df)
    impressions = np.maximum(1, np.round(df.spend_p / PENCE / (cpm * rng.lognormal(0, 0.1, n)) * 1000)).astype(int)
    clicks = rng.binomial(impressions, ctr * rng.lognormal(0, 0.1, n).clip(0.5, 1.8))
    out = pd.DataFrame({
        "date": df.date, "campaign_id": line.campaign_id, "campaign_name": line.campaign, "model": line.model,
        "market": "GB", "impressions": impressions, "clicks": clicks,
        "spend": _money(df.spend_p.to_numpy()),
        "conversions": rng.binomial(clicks, cvr),
    })
    if view_share:
        out["video_views"] = rng.binomial(impressions, view_share)
    out["ctr"] = np.round(clicks / impressions, 4)
    out["cpc"] = np.round(np.where(clicks > 0, out.spend / np.maximum(clicks, 1), 0.0), 2)
    out["cpm"] = np.round(out.spend / impressions * 1000, 2)
    return out


def tv_rows(line: Line, pence: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Weekly rows per broadcaster: spots, TVRs and impacts bought with the week's spend."""
    w = np.flatnonzero(pence)
    spend = _money(pence[w])
    cpt = 6.5 if line.platform == "bvod" else 4.2  # cost per thousand impacts
    impacts = np.round(spend / (cpt * rng.lognormal(0, 0.08, len(w))))  # thousands
    return pd.DataFrame({
        "week_start": week_starts()[w].strftime("%Y-%m-%d"), "broadcaster": line.vendor, "platform": line.platform,
        "contract_ref": line.contract_ref, "campaign_id": line.campaign_id, "model": line.model,
        "spots": np.maximum(1, np.round(spend / rng.uniform(4_000, 9_000, len(w)))).astype(int),
        "tvr": np.round(impacts / 540.0, 1), "impacts_000": impacts.astype(int), "spend": spend,
    })


def ooh_rows(line: Line, pence: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Weekly rows per vendor and format, each week's spend split across formats and regions."""
    formats = OOH_FORMATS[line.vendor]
    rows = []
    for w in np.flatnonzero(pence):
        regions = rng.choice(REGIONS, size=len(formats), replace=False)
        for fmt, region, p in zip(formats, regions, split_int(int(pence[w]), rng.uniform(0.5, 1.5, len(formats)))):
            if p:
                spend = p / PENCE
                rows.append({"week_start": week_starts()[w].strftime("%Y-%m-%d"), "vendor": line.vendor,
                             "contract_ref": line.contract_ref, "campaign_id": line.campaign_id,
                             "model": line.model, "format": fmt, "region": region,
                             "panels": int(max(1, spend // rng.uniform(180, 420))),
                             "impacts_000": int(spend / rng.uniform(2.5, 4.5)), "spend": round(spend, 2)})
    return pd.DataFrame(rows)


def radio_rows(line: Line, pence: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Weekly rows per radio group: spots and reach."""
    w = np.flatnonzero(pence)
    spend = _money(pence[w])
    stations = {"Global": ("Heart", "Capital", "LBC"), "Bauer": ("Absolute Radio", "Magic", "Kiss")}[line.vendor]
    return pd.DataFrame({
        "week_start": week_starts()[w].strftime("%Y-%m-%d"), "radio_group": line.vendor,
        "station": rng.choice(stations, len(w)), "campaign_id": line.campaign_id, "model": line.model,
        "spots": np.maximum(1, np.round(spend / rng.uniform(250, 500, len(w)))).astype(int),
        "reach_000": np.round(spend / rng.uniform(8, 14, len(w))).astype(int), "spend": spend,
    })


def print_rows(line: Line, pence: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """One insertion per active week, dated inside that week."""
    w = np.flatnonzero(pence)
    spend = _money(pence[w])
    dates = week_starts()[w] + pd.to_timedelta(rng.integers(2, 7, len(w)), unit="D")
    circulation = {"Autocar": 38_000, "What Car?": 52_000, "The Sunday Times Driving": 640_000,
                   "Top Gear Magazine": 95_000}.get(line.vendor, 50_000)
    return pd.DataFrame({
        "insertion_date": dates.strftime("%Y-%m-%d"), "publication": line.vendor, "campaign_id": line.campaign_id,
        "model": line.model, "ad_format": np.where(spend > 25_000, "Double-page spread", "Full page"),
        "circulation": circulation, "readership_000": round(circulation * 2.6 / 1000), "spend": spend,
    })


EVENT_KINDS = ("Launch showcase", "Test drive tour", "EV experience day", "Motor show stand", "Shopping centre pop-up")


def event_rows(line: Line, pence: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """One event per active week: Friday to Sunday at a venue, cost = the week's spend."""
    w = np.flatnonzero(pence)
    spend = _money(pence[w])
    regions = rng.choice(REGIONS, len(w))
    cities = [rng.choice(CITIES[r]) for r in regions]
    kinds = rng.choice(EVENT_KINDS, len(w))
    start = week_starts()[w] + pd.Timedelta(days=4)
    year = line.campaign_id.split("-")[1]
    return pd.DataFrame({
        "event_id": [f"EVT{year}{i + 1:03d}" for i in range(len(w))],
        "event_name": [f"{k} {c}" for k, c in zip(kinds, cities)], "event_type": kinds,
        "start_date": start.strftime("%Y-%m-%d"), "end_date": (start + pd.Timedelta(days=2)).strftime("%Y-%m-%d"),
        "city": cities, "region": regions, "model": line.model,
        "attendees": np.round(spend / rng.uniform(12, 30, len(w))).astype(int), "spend": spend,
    })


BUILDERS = {"tv": tv_rows, "ooh": ooh_rows, "radio": radio_rows, "print": print_rows, "events": event_rows,
            **{ch: digital_rows for ch in DIGITAL_FILES}}


def media_frames(lines: list[Line], pence: list[np.ndarray], rng: np.random.Generator) -> dict[str, pd.DataFrame]:
    """Rows of every media line, concatenated per channel (key = channel)."""
    parts: dict[str, list[pd.DataFrame]] = {}
    for line, p in zip(lines, pence):
        parts.setdefault(line.channel, []).append(BUILDERS[line.channel](line, p, rng))
    frames = {ch: pd.concat(dfs, ignore_index=True) for ch, dfs in parts.items()}
    sort_keys = {"tv": ["week_start", "broadcaster"], "ooh": ["week_start", "vendor", "format"],
                 "radio": ["week_start", "radio_group"], "print": ["insertion_date", "publication"],
                 "events": ["start_date"]}
    for ch, df in frames.items():
        keys = sort_keys.get(ch, ["date", "campaign_id"])
        frames[ch] = df.sort_values(keys, kind="stable").reset_index(drop=True)
    return frames
