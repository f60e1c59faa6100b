"""Write the foreign world: the default world's launch and numbers, exported the way other teams' tools do.

Nothing an analyst's folder would not hold: no mmm/model_ready.csv and no ground truth (the weekly truth is
recomputed in memory from core.synth.world.build_tables by whoever needs it), only the ownership stamp so
regeneration knows which files are the generator's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.catalog.versions import write_stamp
from core.domain import Progress
from core.synth.creatives import render
from core.synth.documents import write_documents
from core.synth.facts import MODELS
from core.synth.foreign.assets import ASSETS, MANIFEST, Handover, handovers, manifest
from core.synth.foreign.crm import pipeline_exports
from core.synth.foreign.formats import Export
from core.synth.foreign.media import media_exports
from core.synth.world import WorldReport, _streams, build_tables

GENERATOR = "core.synth.foreign"  # named in the ownership stamp
STYLE = "foreign"
RAW = "raw"  # the exports' folder; the documents go under raw/agreements/ and raw/planning/ (core.synth.documents)


@dataclass(frozen=True)
class ForeignWorld:
    """The foreign world in memory: the exports, the creatives handed over, the default world's raw tables they
    were written from, and the generator's weekly table."""

    exports: list[Export]
    creatives: list[Handover]
    raw: dict[str, pd.DataFrame]  # by the default world's file names
    model_ready: pd.DataFrame  # the truth prepare must reproduce; never written to the folder


def build_foreign(seed: int = 42) -> ForeignWorld:
    """Every export and creative of the foreign world, and the default world's weekly table, in memory."""
    raw, model_ready, _ = build_tables(seed)
    exports = media_exports(raw) + pipeline_exports(raw)
    return ForeignWorld(exports, handovers(_streams(seed)["creatives"]), raw, model_ready)


def write_creatives(assets_dir: Path, items: list[Handover]) -> list[Path]:
    """Render every creative into its agency folder and write the agency's manifest; every path written."""
    written = []
    for h in items:
        path = assets_dir / h.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        render(h.creative).save(path, format="PNG", optimize=False)
        written.append(path)
    prices = {m.name: m.price for m in MODELS}
    manifest(items, prices).to_csv(assets_dir / MANIFEST, index=False, lineterminator="\n")
    return [*written, assets_dir / MANIFEST]


def write_exports(out_dir: Path, exports: list[Export]) -> list[Path]:
    """Write each export's bytes (encoding, BOM and line ends as its tool writes them)."""
    paths = []
    for e in exports:
        path = out_dir / e.rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(e.to_bytes())
        paths.append(path)
    return paths


def generate_foreign(out_dir: Path, seed: int = 42, progress: Progress | None = None) -> WorldReport:
    """Write the foreign world under out_dir (raw/ with raw/agreements/ and raw/planning/, assets/) with its
    ownership stamp; the same seed gives byte-identical files."""
    started = time.perf_counter()
    say = progress or (lambda f, msg: None)
    out_dir = Path(out_dir)
    say(0.05, "Drawing the launch (same numbers as the default world)")
    world = build_foreign(seed)
    say(0.55, "Writing other teams' exports")
    written = write_exports(out_dir, world.exports)
    say(0.7, "Writing agreements and plans (PDF, Word, text)")
    documents = write_documents(out_dir / RAW, STYLE)
    say(0.75, "Rendering creatives into the agency's folders")
    images = write_creatives(out_dir / ASSETS, world.creatives)
    write_stamp(out_dir, written + documents + images, GENERATOR, seed)
    say(1.0, "Foreign world ready")
    return WorldReport(out_dir, {e.rel: len(e.frame) for e in world.exports}, len(documents), len(world.creatives),
                       round(time.perf_counter() - started, 2))
