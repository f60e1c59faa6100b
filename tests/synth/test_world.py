"""The generated world holds the brief's facts, and the same seed gives the same bytes."""

from __future__ import annotations

import filecmp
import json

import numpy as np
import pandas as pd
from PIL import Image

from core.synth import generate_world
from core.synth.facts import RAW_FILES

BUDGETS = {"tv": 6.0e6, "ooh": 3.0e6, "youtube": 2.4e6, "meta": 2.2e6, "google": 1.8e6, "dv360": 1.4e6,
           "tiktok": 1.0e6, "linkedin": 0.6e6, "print": 0.6e6, "radio": 0.4e6, "events": 0.6e6}
START_PRICES = {"DEEPAL S07": 27_990, "DEEPAL S05": 24_990, "AVATR 12": 54_990, "AVATR 11": 59_990}


def _raw(world_dir, name: str) -> pd.DataFrame:
    return pd.read_csv(world_dir / "raw" / name)


def test_nineteen_raw_csvs_seven_contracts(world_dir):
    assert sorted(p.name for p in (world_dir / "raw").glob("*.csv")) == sorted(RAW_FILES)
    assert len(RAW_FILES) == 19
    assert len(list((world_dir / "raw" / "contracts").glob("*.md"))) == 7


def test_plan_year_spend_matches_each_budget(world_dir):
    mr = pd.read_csv(world_dir / "mmm" / "model_ready.csv")
    plan = mr[mr.week_start >= "2024-12-30"]
    for ch, budget in BUDGETS.items():
        assert abs(plan[f"spend_{ch}"].sum() - budget) < 1.0, ch
    assert abs(sum(plan[f"spend_{ch}"].sum() for ch in BUDGETS) - 20e6) < 11
    meta = _raw(world_dir, "meta_ads.csv")
    assert abs(meta.loc[meta.date.str.startswith("2025"), "spend"].sum() - 2.2e6) < 1.0


def test_2024_is_a_smaller_prelaunch_year(world_dir):
    mr = pd.read_csv(world_dir / "mmm" / "model_ready.csv")
    spend = mr.filter(like="spend_").sum(axis=1)
    assert 0 < spend[:52].sum() < 0.5 * spend[52:].sum()


def test_model_prices_and_sales_only_for_launched_models(world_dir):
    sales = _raw(world_dir, "vehicle_sales.csv")
    assert set(sales.model) == {"DEEPAL S07", "AVATR 12", "AVATR 11"}  # the S05 is a preview only
    for model, price in START_PRICES.items():
        if model in set(sales.model):
            assert sales.loc[sales.model == model, "list_price"].min() == price
    config = _raw(world_dir, "configurator_sessions.csv")
    assert set(config.model) == set(START_PRICES)
    first_sale = sales.groupby("model").sale_date.min()
    assert first_sale["DEEPAL S07"] >= "2025-09-01" and first_sale["AVATR 11"] >= "2025-10-01"


def test_dealer_network(world_dir):
    sla = _raw(world_dir, "sla_tracking.csv").drop_duplicates("dealer_id")
    assert len(sla) == 50 and sla.dealer_id.min() == "DLR001" and sla.dealer_id.max() == "DLR050"
    assert sla.region.nunique() == 10
    assert sla.launch_dealer.sum() == 15
    drives = _raw(world_dir, "test_drives.csv")
    assert set(drives.dealer_id) <= set(sla.dealer_id[sla.launch_dealer])


def test_markets_and_volumes(world_dir):
    web = _raw(world_dir, "website_analytics.csv")
    assert set(web.market) == {"GB", "DE", "FR"}
    assert web.groupby("market").sessions.sum().idxmax() == "GB"
    total = sum(len(_raw(world_dir, f)) for f in RAW_FILES)
    assert total > 20_000


def test_model_ready_shape(world_dir):
    mr = pd.read_csv(world_dir / "mmm" / "model_ready.csv")
    assert len(mr) >= 104
    assert pd.to_datetime(mr.week_start).iloc[0] == pd.Timestamp("2024-01-01")
    assert (pd.to_datetime(mr.week_start).dt.weekday == 0).all()
    for col in ("seasonality", "consumer_confidence", "bank_rate", "competitor_spend", "leads", "test_drives",
                "units_sold", "revenue"):
        assert col in mr
    assert (mr.leads > 0).all()
    assert mr.units_sold[:80].sum() == 0 and mr.units_sold[-12:].sum() > 0  # sales start at launch


def test_leads_are_drawn_from_the_recorded_truth(world_dir):
    """Leads minus the true media effects leaves a baseline that no longer tracks media spend."""
    from core.mmm.transforms import media_response

    gt = json.loads((world_dir / "mmm" / "ground_truth.json").read_text())
    mr = pd.read_csv(world_dir / "mmm" / "model_ready.csv")
    media = sum(media_response(mr[f"spend_{c}"].to_numpy(), t["decay"], t["half_sat"], t["slope"], t["beta"])
                for c, t in gt["channels"].items())
    spend = mr.filter(like="spend_").sum(axis=1).to_numpy()
    assert np.corrcoef(media, mr.leads)[0, 1] > 0.8
    assert abs(np.corrcoef(mr.leads - media, spend)[0, 1]) < np.corrcoef(mr.leads, spend)[0, 1]
    assert gt["kpi"] == "leads" and gt["value_per_lead"] == 150
    assert set(gt["channels"]) == set(BUDGETS)
    for t in gt["channels"].values():
        assert 0 <= t["decay"] < 1 and t["marginal_roi"] < t["roi"]  # diminishing returns


def test_contract_facts(world_dir):
    folder = world_dir / "raw" / "contracts"
    itv = (folder / "itv_airtime_agreement.md").read_text()
    assert "£3,300,000" in itv and "1 July 2025" in itv and "31 December 2025" in itv
    assert "£2,400,000" in (folder / "sky_airtime_agreement.md").read_text()
    c4 = (folder / "channel4_partnership.md").read_text()
    assert "£1,000,000" in c4 and "28 February 2026" in c4
    assert "£1,800,000" in (folder / "jcdecaux_ooh_agreement.md").read_text()
    assert "£1,200,000" in (folder / "clear_channel_dooh_agreement.md").read_text()
    agency = (folder / "media_agency_terms.md").read_text()
    assert "3%" in agency and "90 days" in agency
    for path in folder.glob("*.md"):
        text = path.read_text()
        assert "Reference:" in text and "## 1. Parties" in text and "DEEPAL UK Ltd" in text, path.name


def test_creatives_match_manifest(world_dir):
    manifest = pd.read_csv(world_dir / "assets" / "asset_manifest.csv")
    assert len(manifest) >= 50 and manifest.channel.nunique() == 11
    assert manifest.description.is_unique
    for row in manifest.itertuples():
        with Image.open(world_dir / "assets" / row.file) as img:
            assert f"{img.width}x{img.height}" == row.dimensions
        assert row.file.startswith(f"{row.channel}/")


def test_same_seed_is_byte_identical_and_another_seed_differs(world_dir, tmp_path):
    generate_world(tmp_path / "again", seed=42)
    files = [p.relative_to(world_dir) for p in world_dir.rglob("*") if p.is_file() and "cache" not in p.parts
             and "index" not in p.parts]
    match, mismatch, errors = filecmp.cmpfiles(world_dir, tmp_path / "again", [str(f) for f in files], shallow=False)
    assert not mismatch and not errors and len(match) == len(files) > 80
    other = tmp_path / "other"
    generate_world(other, seed=7)
    assert (other / "raw" / "leads.csv").read_bytes() != (world_dir / "raw" / "leads.csv").read_bytes()
