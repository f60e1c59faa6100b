"""CLI: python -m core.eval.bench [--json]: build time, query latency and eval quality per mode."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from core.cli import run_cli
from core.config import Settings
from core.eval.questions import DEFAULT_QUESTIONS, load_questions
from core.eval.retrieval import evaluate, index_searcher
from core.rag.build import settings_from_args
from core.rag.index import HybridIndex
from core.rag.types import SearchMode

MODES = tuple(SearchMode)
BENCH_QUERIES = ("total spend by channel", "cancellation notice period", "leads by dealer in March",
                 "TV GRPs by station", "conversions for the spring launch campaign")
REPEATS = 5


def main(argv: list[str] | None = None) -> int:
    """Build, time queries per mode, evaluate each mode."""
    ap = argparse.ArgumentParser(prog="python -m core.eval.bench", description=__doc__)
    ap.add_argument("--data"), ap.add_argument("--index"), ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--questions", default=str(DEFAULT_QUESTIONS))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    def run() -> int:
        settings = settings_from_args(args.data, args.index)
        with tempfile.TemporaryDirectory(prefix="mip-bench-") as scratch:
            # A full build from nothing, in a scratch folder: the app's own index is neither reused nor touched.
            out = measure(replace(settings, index_dir=Path(scratch)), args)
        print(json.dumps(out, indent=2) if args.json else
              "\n".join(f"{k}: {v}" for k, v in out.items()))
        return 0

    return run_cli(run)


def measure(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """Full build, then per-mode latency and eval quality."""
    index = HybridIndex.open(settings)
    try:
        t0 = time.perf_counter()
        report = index.build()
        out: dict[str, Any] = {"build_seconds": round(time.perf_counter() - t0, 2), "chunks": report.chunks}
        questions = load_questions(args.questions)
        texts = [q.question for q in questions if q.category != "assets"] or list(BENCH_QUERIES)
        for mode in MODES:
            index.search_text(texts[0], mode=mode)  # warm
            lat = []
            for _ in range(REPEATS):
                for q in texts:
                    t = time.perf_counter()
                    index.search_text(q, k=args.k, mode=mode)
                    lat.append((time.perf_counter() - t) * 1000)
            rep = evaluate(questions, index_searcher(index, mode), args.k)
            out[mode.value] = {"p50_ms": round(float(np.percentile(lat, 50)), 1),
                         "p95_ms": round(float(np.percentile(lat, 95)), 1),
                         "hit_rate": round(rep.hit_rate, 3), "mrr": round(rep.mrr, 3), "n": rep.n}
    finally:
        index.close()
    return out


if __name__ == "__main__":
    raise SystemExit(main())
