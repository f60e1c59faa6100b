"""CLI: python -m core.agents.bench [--questions FILE] [--json]: offline answer latency once the models are warm."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import yaml

from core.agents.ask import ask
from core.agents.classifier import DEV
from core.agents.router import route
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.cli import run_cli
from core.config import get_settings

WARM_UP = ("What is the ROI of TV?", "How much did we spend on Meta in 2025?")  # train the router, load the fit


def questions(path: Path) -> list[str]:
    """The question texts of a router data file."""
    return [str(q["question"]) for q in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions", [])]


def measure(texts: list[str]) -> dict[str, float]:
    """Seconds per ask() (p50, p95, max) and per route() (p50) after a warm-up."""
    settings = get_settings()
    tools, store = Toolbox(settings), SessionStore()
    for q in WARM_UP:
        ask(q, settings=settings, toolbox=tools, store=store)
    answer_s, route_s = [], []
    for q in texts:
        t0 = time.perf_counter()
        route(q)
        route_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ask(q, settings=settings, toolbox=tools, store=store)
        answer_s.append(time.perf_counter() - t0)
    return {"n": len(texts), "answer_p50_s": round(float(np.percentile(answer_s, 50)), 3),
            "answer_p95_s": round(float(np.percentile(answer_s, 95)), 3), "answer_max_s": round(max(answer_s), 3),
            "route_p50_ms": round(float(np.percentile(route_s, 50)) * 1000, 1)}


def main(argv: list[str] | None = None) -> int:
    """Print the latency figures."""
    p = argparse.ArgumentParser(prog="python -m core.agents.bench", description=__doc__)
    p.add_argument("--questions", type=Path, default=DEV, help="a router data file (default: the dev split)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    def run() -> int:
        out = measure(questions(args.questions))
        print(json.dumps(out) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
        return 0

    return run_cli(run)


if __name__ == "__main__":
    sys.exit(main())
