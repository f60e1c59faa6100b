"""Generate the whole synthetic world into a data folder: raw CSVs, contracts, creatives, MMM table, truth."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core.catalog.versions import write_stamp
from core.domain import Progress
from core.synth import (
    aggregate,
    contracts,
    creatives,
    dealers,
    documents,
    external,
    funnel,
    truth,
    web,
)
from core.synth.calendar import week_of
from core.synth.facts import DIGITAL, DIGITAL_FILES
from core.synth.lines import all_lines, weekly_pence
from core.synth.media import media_frames

GENERATOR = "core.synth"  # named in the ownership stamp
STREAMS = ("lines", "media", "external", "noise", "dealers", "funnel", "web", "creatives")


@dataclass(frozen=True)
class WorldReport:
    """What was written and how long it took."""

    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    contracts: int = 0
    creatives: int = 0
    seconds: float = 0.0


def _streams(seed: int) -> dict[str, np.random.Generator]:
    """One independent generator per component, so changing one part never reshuffles another."""
    children = np.random.SeedSequence(seed).spawn(len(STREAMS))
    return {name: np.random.default_rng(child) for name, child in zip(STREAMS, children)}


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")


def _campaign_weeks(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """(channel, week, campaign_id, spend) of the digital platforms, for attributing leads to campaigns."""
    parts = [pd.DataFrame({"channel": ch, "week": week_of(pd.to_datetime(frames[ch].date)),
                           "campaign_id": frames[ch].campaign_id, "spend": frames[ch].spend}) for ch in DIGITAL]
    return pd.concat(parts, ignore_index=True)


def build_tables(seed: int) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, dict]:
    """Every raw table (by file name), the model_ready table and the ground truth, in memory."""
    rng = _streams(seed)
    lines = all_lines()
    pence = [weekly_pence(line, rng["lines"]) for line in lines]
    media = media_frames(lines, pence, rng["media"])
    raw = {aggregate.CHANNEL_FILES[ch]: df for ch, df in media.items()}
    raw["economic_indicators.csv"] = external.economic_indicators(rng["external"])
    raw["competitor_spend.csv"] = external.competitor_spend(rng["external"])

    spend = aggregate.weekly_spend(raw)
    controls = aggregate.controls(raw["economic_indicators.csv"], raw["competitor_spend.csv"])
    params = truth.solve_truth(spend)
    contrib = truth.contributions(spend, params)
    base = truth.baseline(controls)
    leads = truth.draw_leads(base + contrib.sum(axis=1).to_numpy(), rng["noise"])

    dealer_table = dealers.dealers(rng["dealers"])
    probs = funnel.source_probs(contrib, base)
    chain = funnel.build(leads, probs, _campaign_weeks(media), raw["events.csv"], dealer_table, rng["funnel"])
    captured = chain.leads[chain.leads.source == "events"].campaign_id.value_counts()
    raw["events.csv"]["leads_captured"] = raw["events.csv"].event_id.map(captured).fillna(0).astype(int)
    raw["leads.csv"] = chain.leads
    raw["test_drives.csv"] = chain.test_drives
    raw["vehicle_sales.csv"] = chain.sales
    raw["sla_tracking.csv"] = funnel.sla_tracking(chain.leads, dealer_table)
    starts, sessions = web.weekly_traffic(leads, rng["web"])
    raw["website_analytics.csv"] = web.website_analytics(sessions, spend, rng["web"])
    raw["configurator_sessions.csv"] = web.configurator_sessions(starts, rng["web"])

    done = chain.test_drives[chain.test_drives.status == "completed"]
    model_ready = pd.concat([spend, controls], axis=1).assign(
        leads=leads,
        test_drives=aggregate.weekly_count(done.drive_date),
        units_sold=aggregate.weekly_count(chain.sales.sale_date),
        revenue=aggregate.weekly_sum(chain.sales, "sale_date", "price_paid").astype(int),
    )
    return raw, model_ready, truth.ground_truth(spend, params, base, seed)


def written_files(out_dir: Path, raw: dict[str, pd.DataFrame], contract_files: list[Path],
                  manifest: pd.DataFrame) -> list[Path]:
    """Every file generate_world writes, for the ownership stamp."""
    assets = out_dir / "assets"
    return ([out_dir / "raw" / name for name in raw] + list(contract_files)
            + [assets / str(f) for f in manifest.file] + [assets / "asset_manifest.csv"]
            + [out_dir / "mmm" / "model_ready.csv", out_dir / "mmm" / "ground_truth.json"])


def generate_world(out_dir: Path, seed: int = 42, progress: Progress | None = None) -> WorldReport:
    """Write the world under out_dir (raw/, raw/contracts/, assets/, mmm/) and the ownership stamp listing every
    file written with its SHA-256; same seed → byte-identical files (the stamp included)."""
    started = time.perf_counter()
    say = progress or (lambda f, msg: None)
    out_dir = Path(out_dir)
    say(0.05, "Drawing media plans, spend and the leads funnel")
    raw, model_ready, gt = build_tables(seed)
    say(0.55, "Writing raw CSVs")
    for name, df in raw.items():
        _write_csv(df, out_dir / "raw" / name)
    say(0.7, "Writing contracts")
    written = documents.write_documents(out_dir / "raw", "default")
    say(0.75, "Rendering creatives")
    manifest = creatives.write_creatives(out_dir / "assets", _streams(seed)["creatives"])
    say(0.95, "Writing the MMM table and ground truth")
    _write_csv(model_ready, out_dir / "mmm" / "model_ready.csv")
    (out_dir / "mmm" / "ground_truth.json").write_text(json.dumps(gt, indent=2) + "\n", encoding="utf-8")
    write_stamp(out_dir, written_files(out_dir, raw, written, manifest), GENERATOR, seed)
    say(1.0, "World ready")
    return WorldReport(out_dir, {name: len(df) for name, df in raw.items()} | {"model_ready.csv": len(model_ready)},
                       len(contracts.contracts()), len(manifest), round(time.perf_counter() - started, 2))


__all__ = ["WorldReport", "generate_world", "build_tables", "DIGITAL_FILES"]
