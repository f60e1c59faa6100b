"""CLI: `python -m core.synth [--out DIR] [--seed 42] [--style default|foreign]` generates; `--check [--data DIR]
[--json]` verifies."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from core.cli import run_cli
from core.config import Settings
from core.synth.checks import run_checks
from core.synth.foreign import generate_foreign
from core.synth.world import generate_world

STYLES = {"default": generate_world, "foreign": generate_foreign}  # foreign: the launch as other teams export it


def _progress(fraction: float, message: str) -> None:
    width = 30
    done = int(round(fraction * width))
    print(f"\r[{'#' * done}{'.' * (width - done)}] {fraction:4.0%} {message:<50}", end="", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Generate or check a world; exit 1 when any check fails."""
    settings = Settings.from_env()
    p = argparse.ArgumentParser(prog="python -m core.synth", description=__doc__)
    p.add_argument("--out", type=Path, help="folder to generate into (default: the data folder)")
    p.add_argument("--seed", type=int, default=settings.seed)
    p.add_argument("--style", choices=sorted(STYLES), default="default",
                   help="default: our world; foreign: the same launch in other teams' export formats")
    p.add_argument("--check", action="store_true", help="check a world instead of generating one")
    p.add_argument("--data", type=Path, help="folder to check (default: the data folder)")
    p.add_argument("--json", action="store_true", help="print machine-readable results")
    args = p.parse_args(argv)

    def run() -> int:
        if args.check:
            results = run_checks(args.data or settings.data_dir)
            failed = [r for r in results if not r.passed]
            if args.json:
                checks = [asdict(r) | {"status": r.status.value, "passed": r.passed} for r in results]
                print(json.dumps({"passed": not failed, "checks": checks}, indent=2))
            else:
                for r in results:
                    print(f"{r.status.value.upper():<4}  {r.name:<18} {r.detail}")
                print(f"{len(results) - len(failed)}/{len(results)} checks passed")
            return 1 if failed else 0
        out = args.out or settings.data_dir
        if out.exists() and not out.is_dir():
            raise NotADirectoryError(f"{out} is a file, not a folder to generate into")
        report = STYLES[args.style](out, seed=args.seed, progress=_progress)
        print(file=sys.stderr)
        print(f"World (seed {args.seed}) written to {out} in {report.seconds:.1f} s: "
              f"{sum(report.rows.values()):,} rows in {len(report.rows)} tables, {report.contracts} contracts, "
              f"{report.creatives} creatives")
        return 0

    return run_cli(run)


if __name__ == "__main__":
    sys.exit(main())
