"""The sales funnel at row level: leads → test drives → sales, and dealers' lead-response SLA."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.synth.calendar import last_day, week_starts
from core.synth.dealers import REGION_WEIGHT
from core.synth.facts import DIGITAL, MODELS, REGIONS

ORGANIC = ("organic_search", "direct", "referral")
SOURCES = (*DIGITAL, "events", *ORGANIC)
# Last-click attribution: where each channel's true leads show up in the CRM.
OFFLINE_CLICKS = {"organic_search": 0.45, "direct": 0.35, "google": 0.20}
SLA_HOURS = 24


@dataclass(frozen=True)
class Funnel:
    """Row-level funnel tables."""

    leads: pd.DataFrame
    test_drives: pd.DataFrame
    sales: pd.DataFrame


def source_probs(contrib: pd.DataFrame, base: np.ndarray) -> np.ndarray:
    """(weeks, SOURCES) probabilities of a lead's recorded source, from true contributions and last-click rules."""
    idx = {s: i for i, s in enumerate(SOURCES)}
    p = np.zeros((len(base), len(SOURCES)))
    for s, share in zip(ORGANIC, (0.45, 0.4, 0.15)):
        p[:, idx[s]] += share * base
    for ch in contrib.columns:
        c = contrib[ch].to_numpy()
        if ch in DIGITAL:
            rules = {ch: 0.65, "google": 0.15, "direct": 0.2} if ch != "google" else {"google": 0.85, "direct": 0.15}
        elif ch == "events":
            rules = {"events": 0.9, "direct": 0.1}
        else:
            rules = OFFLINE_CLICKS
        for s, share in rules.items():
            p[:, idx[s]] += share * c
    return p / p.sum(axis=1, keepdims=True)


def model_probs(week_start: pd.Timestamp) -> np.ndarray:
    """Share of leads per model in a week: previews only draw interest once announced."""
    announce = {"s05": pd.Timestamp("2025-10-13")}
    w = np.array([m.interest if week_start >= announce.get(m.key, pd.Timestamp.min) else 0.0 for m in MODELS])
    return w / w.sum()


def _campaign_picker(campaigns: pd.DataFrame, rng: np.random.Generator):
    """Pick a campaign id for (channel, week) weighted by that week's spend; '' when none ran."""
    table = campaigns.groupby(["channel", "week", "campaign_id"], sort=True)["spend"].sum().reset_index()
    groups = {k: (g.campaign_id.to_numpy(), g.spend.to_numpy()) for k, g in table.groupby(["channel", "week"])}

    def pick(channel: str, week: int, n: int) -> np.ndarray:
        ids, w = groups.get((channel, week), (np.array([""]), np.array([1.0])))
        return rng.choice(ids, n, p=w / w.sum())

    return pick


def leads(weekly: np.ndarray, probs: np.ndarray, campaigns: pd.DataFrame, events: pd.DataFrame,
          dealers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per lead; weekly counts equal `weekly` exactly."""
    weeks = week_starts()
    pick = _campaign_picker(campaigns, rng)
    event_weeks = pd.to_datetime(events.start_date).dt.to_period("W-SUN").dt.start_time
    parts = []
    for w, n in enumerate(weekly):
        counts = rng.multinomial(n, probs[w])
        src = np.repeat(np.array(SOURCES), counts)
        camp = np.full(n, "", dtype=object)
        for ch in DIGITAL:
            m = src == ch
            camp[m] = pick(ch, w, int(m.sum()))
        m = src == "events"
        past = events.event_id[event_weeks <= weeks[w]]
        if len(past):
            camp[m] = past.iloc[-1]
        else:
            src[m] = "direct"
        model = rng.choice([mo.name for mo in MODELS], n, p=model_probs(weeks[w]))
        parts.append(pd.DataFrame({"week": w, "source": src, "campaign_id": camp, "model": model}))
    df = pd.concat(parts, ignore_index=True)
    n = len(df)
    created = weeks[df.week.to_numpy()] + pd.to_timedelta(rng.integers(0, 7, n), unit="D")
    region = rng.choice(len(REGIONS), n, p=REGION_WEIGHT)
    dealer_idx = region * 5 + rng.integers(0, 5, n)
    launch_of = {m.name: pd.Timestamp(m.launch) for m in MODELS}
    prelaunch = created < pd.to_datetime(df.model.map(launch_of)).to_numpy()
    kinds_pre = ("register_interest", "brochure_request", "configurator_build")
    kinds_post = ("test_drive_request", "configurator_build", "brochure_request", "finance_quote", "register_interest")
    lead_type = np.where(prelaunch, rng.choice(kinds_pre, n, p=[0.7, 0.2, 0.1]),
                         rng.choice(kinds_post, n, p=[0.35, 0.25, 0.15, 0.15, 0.1]))
    speed = dealers.median_response_hours.to_numpy()[dealer_idx]
    response = np.round(rng.lognormal(np.log(speed), 0.8), 1)
    order = np.lexsort((rng.random(n), created))
    out = pd.DataFrame({
        "created_date": created.strftime("%Y-%m-%d"), "source": df.source, "campaign_id": df.campaign_id,
        "model": df.model, "lead_type": lead_type, "region": np.array(REGIONS)[region],
        "dealer_id": dealers.dealer_id.to_numpy()[dealer_idx], "first_response_hours": response,
    }).iloc[order].reset_index(drop=True)
    out.insert(0, "lead_id", [f"L{i + 1:06d}" for i in range(n)])
    return out


def test_drives(lead_rows: pd.DataFrame, dealers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Test drives at launch dealers for launched models: new leads book soon, pre-launch leads are invited."""
    launch = {m.name: pd.Timestamp(m.launch) for m in MODELS if m.stage == "launch"}
    df = lead_rows[lead_rows.model.isin(launch)]
    created = pd.to_datetime(df.created_date)
    start = pd.to_datetime(df.model.map(launch))
    fresh = created >= start - pd.Timedelta(days=30)
    p = np.where(fresh, np.where(df.lead_type == "test_drive_request", 0.45, 0.12), 0.05)
    chosen = rng.random(len(df)) < p
    df, created, start, fresh = df[chosen], created[chosen], start[chosen], fresh[chosen]
    n = len(df)
    drive = np.where(fresh, np.maximum(created, start) + pd.to_timedelta(rng.integers(2, 17, n), unit="D"),
                     start + pd.to_timedelta(rng.integers(0, 76, n), unit="D"))
    drive = pd.DatetimeIndex(drive)
    keep = drive <= pd.Timestamp(last_day())
    df, drive, created = df[keep], drive[keep], created[keep]
    n = len(df)
    booked = pd.DatetimeIndex(np.maximum(created.to_numpy(), drive - pd.to_timedelta(rng.integers(1, 8, n), unit="D")))
    launch_by_region = dealers[dealers.launch_dealer].groupby("region").dealer_id.apply(list)
    dealer = [rng.choice(launch_by_region[r]) for r in df.region]
    out = pd.DataFrame({
        "lead_id": df.lead_id.to_numpy(), "dealer_id": dealer, "model": df.model.to_numpy(),
        "booked_date": booked.strftime("%Y-%m-%d"), "drive_date": drive.strftime("%Y-%m-%d"),
        "status": rng.choice(("completed", "no_show", "cancelled"), n, p=[0.84, 0.08, 0.08]),
        "rating": np.round(rng.normal(4.3, 0.5, n).clip(1, 5), 1),
    })
    out = out.sort_values(["drive_date", "lead_id"], kind="stable").reset_index(drop=True)
    out.loc[out.status != "completed", "rating"] = np.nan
    out.insert(0, "test_drive_id", [f"TD{i + 1:06d}" for i in range(len(out))])
    return out


def sales(drives: pd.DataFrame, dealers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Orders from completed test drives; price = trim price less any discount."""
    done = drives[drives.status == "completed"]
    p = np.where(done.model.str.startswith("DEEPAL"), 0.30, 0.20)
    done = done[rng.random(len(done)) < p]
    date = pd.to_datetime(done.drive_date) + pd.to_timedelta(rng.integers(1, 26, len(done)), unit="D")
    done, date = done[date <= pd.Timestamp(last_day())], date[date <= pd.Timestamp(last_day())]
    by_name = {m.name: m for m in MODELS}
    trims, prices = [], []
    for model in done.model:
        m = by_name[model]
        w = np.array([0.5] + [0.5 / (len(m.trims) - 1)] * (len(m.trims) - 1))
        t = m.trims[rng.choice(len(m.trims), p=w)]
        trims.append(t.name)
        prices.append(t.price)
    n = len(done)
    discount = rng.choice([0, 500, 1000, 1500], n, p=[0.5, 0.25, 0.15, 0.1])
    region = dealers.set_index("dealer_id").region
    out = pd.DataFrame({
        "sale_date": date.dt.strftime("%Y-%m-%d").to_numpy(), "test_drive_id": done.test_drive_id.to_numpy(),
        "lead_id": done.lead_id.to_numpy(), "dealer_id": done.dealer_id.to_numpy(),
        "region": region.reindex(done.dealer_id).to_numpy(), "model": done.model.to_numpy(), "trim": trims,
        "list_price": prices, "discount": discount, "price_paid": np.array(prices) - discount,
        "payment_type": rng.choice(("PCP", "cash", "lease"), n, p=[0.6, 0.15, 0.25]),
    }).sort_values(["sale_date", "test_drive_id"], kind="stable").reset_index(drop=True)
    out.insert(0, "sale_id", [f"S{i + 1:05d}" for i in range(len(out))])
    return out


def lead_status(lead_rows: pd.DataFrame, drives: pd.DataFrame, sold: pd.DataFrame) -> pd.Series:
    """Each lead's CRM status after the funnel: sold, test_driven, test_drive_booked, contacted or new."""
    status = np.where(lead_rows.first_response_hours <= SLA_HOURS * 4, "contacted", "new").astype(object)
    status[lead_rows.lead_id.isin(drives.lead_id).to_numpy()] = "test_drive_booked"
    status[lead_rows.lead_id.isin(drives.lead_id[drives.status == "completed"]).to_numpy()] = "test_driven"
    status[lead_rows.lead_id.isin(sold.lead_id).to_numpy()] = "sold"
    return pd.Series(status, index=lead_rows.index)


def build(weekly: np.ndarray, probs: np.ndarray, campaigns: pd.DataFrame, events: pd.DataFrame,
          dealer_table: pd.DataFrame, rng: np.random.Generator) -> Funnel:
    """Leads, test drives and sales, chained by ids."""
    lead_rows = leads(weekly, probs, campaigns, events, dealer_table, rng)
    drives = test_drives(lead_rows, dealer_table, rng)
    sold = sales(drives, dealer_table, rng)
    lead_rows["status"] = lead_status(lead_rows, drives, sold)
    return Funnel(lead_rows, drives, sold)


def sla_tracking(lead_rows: pd.DataFrame, dealer_table: pd.DataFrame) -> pd.DataFrame:
    """Per dealer and week: leads assigned, answered within the SLA, median first response."""
    df = lead_rows.assign(week_start=pd.to_datetime(lead_rows.created_date).dt.to_period("W-SUN").dt.start_time,
                          met=lead_rows.first_response_hours <= SLA_HOURS)
    g = df.groupby(["week_start", "dealer_id"]).agg(leads_assigned=("lead_id", "size"),
                                                   responded_within_sla=("met", "sum"),
                                                   median_response_hours=("first_response_hours", "median"))
    g = g.reset_index().merge(dealer_table[["dealer_id", "dealer_name", "region", "launch_dealer"]], on="dealer_id")
    g["sla_target_hours"] = SLA_HOURS
    g["sla_met_pct"] = np.round(100 * g.responded_within_sla / g.leads_assigned, 1)
    g["median_response_hours"] = g.median_response_hours.round(1)
    g["week_start"] = g.week_start.dt.strftime("%Y-%m-%d")
    cols = ["week_start", "dealer_id", "dealer_name", "region", "launch_dealer", "leads_assigned",
            "responded_within_sla", "sla_met_pct", "median_response_hours", "sla_target_hours"]
    return g[cols].sort_values(["week_start", "dealer_id"], kind="stable").reset_index(drop=True)
