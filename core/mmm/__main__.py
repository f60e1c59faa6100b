"""CLI: `python -m core.mmm regression|roi|optimize|adstock|summary|whatif|bench [--data FILE] [--target COL] [--json]`.

`python -m core.mmm prepare --data DIR [--out FILE] [--kpi FILE[:COLUMN]] [--mapping FILE] [--force] [--json]`
builds the weekly table from the raw exports in DIR/raw and records every decision in mapping.json.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

from core.config import Settings
from core.mmm import (
    MmmDataError,
    adstock_curves,
    coefficient_magnitudes,
    coefficients,
    fit_diagnostics,
    get_fit,
    optimize_budget,
    roi_table,
    summarize,
    whatif,
)
from core.mmm.bench import run_bench
from core.mmm.data import read_table
from core.mmm.prepare import run_prepare
from core.mmm.types import FitConfig

COMMANDS = ("regression", "roi", "optimize", "adstock", "summary", "whatif", "bench", "prepare")


def _clean(obj):
    """JSON-safe: arrays to lists, NaN/inf to null."""
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, np.ndarray)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def _parse_set(items: list[str]) -> dict[str, float]:
    """`--set tv=5000000` pairs to a dict."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        try:
            out[key.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            raise MmmDataError(f"--set expects channel=amount, got {item!r}")
    return out


def _one_line(exc: BaseException) -> str:
    """An exception's message on one line (pandas' parser messages carry newlines)."""
    return " ".join(str(exc).split()) or exc.__class__.__name__


def _warn(message: str) -> None:
    """A problem that does not stop the answer (e.g. an unwritable cache folder): one line on stderr."""
    print(f"warning: {' '.join(message.split())}", file=sys.stderr)


def run(args: argparse.Namespace, settings: Settings) -> dict:
    """The JSON result of one subcommand."""
    if args.command == "bench":
        return run_bench(args.worlds, args.seed, FitConfig(seed=args.seed, n_bootstrap=args.bootstrap),
                         progress=lambda m: print(m, file=sys.stderr, flush=True))
    if args.command == "prepare":
        return run_prepare(Path(args.data) if args.data else settings.data_dir, out=args.out, kpi=args.kpi,
                           mapping_file=args.mapping, force=args.force).to_dict()
    path = Path(args.data) if args.data else settings.model_ready_path
    if args.command == "summary":
        return summarize(read_table(path))  # same checks as the model's reader: missing, not a CSV, duplicate headers
    config = FitConfig(seed=settings.seed, n_bootstrap=args.bootstrap)
    fit = get_fit(settings, target=args.target, config=config, data_path=path, warn=_warn)
    value = settings.value_per_lead
    if args.command == "regression":
        return {"target": args.target, **fit_diagnostics(fit), "coefficients": coefficients(fit),
                "coefficient_magnitudes": coefficient_magnitudes(fit),
                "transforms": {ch: hp.as_dict() for ch, hp in fit.hyper.items()},
                "fit_seconds": fit.fit_seconds}
    if args.command == "roi":
        table = roi_table(fit, value)
        return {"value_per_unit": value, "channels": table.set_index("channel").to_dict(orient="index")}
    if args.command == "optimize":
        return asdict(optimize_budget(fit, value_per_unit=value, total_budget=args.total, bounds=args.bounds))
    if args.command == "adstock":
        return adstock_curves(fit)
    return asdict(whatif(fit, _parse_set(args.set), value_per_unit=value))


def main(argv: list[str] | None = None) -> int:
    """Parse, run, print JSON (or a compact text form); exit 2 on bad input."""
    p = argparse.ArgumentParser(prog="python -m core.mmm", description=__doc__)
    p.add_argument("command", choices=COMMANDS)
    p.add_argument("--data", help="weekly CSV (default: data/mmm/model_ready.csv); prepare: the data folder DIR")
    p.add_argument("--target", default="leads", help="KPI column (default leads)")
    p.add_argument("--json", action="store_true", help="JSON output (the default form is indented JSON too)")
    p.add_argument("--set", action="append", default=[], metavar="CH=AMOUNT", help="whatif: plan-year spend")
    p.add_argument("--total", type=float, help="optimize: total budget (default: current)")
    p.add_argument("--bounds", type=float, default=0.3, help="optimize: ± share per channel (default 0.3)")
    p.add_argument("--worlds", type=int, default=20, help="bench: simulated worlds")
    p.add_argument("--seed", type=int, default=0, help="bench: first world seed")
    p.add_argument("--bootstrap", type=int, default=FitConfig().n_bootstrap, help="bootstrap draws per fit (intervals)")
    p.add_argument("--out", type=Path, help="prepare: table to write (default: DIR/mmm/model_ready.csv)")
    p.add_argument("--kpi", metavar="FILE[:COLUMN]", help="prepare: KPI file in DIR/raw, rows counted or COLUMN summed")
    p.add_argument("--mapping", type=Path, metavar="FILE", help="prepare: re-run with this (corrected) mapping.json")
    p.add_argument("--force", action="store_true", help="prepare: replace a table prepare did not write (kept as .bak)")
    args = p.parse_args(argv)
    try:
        result = run(args, Settings.from_env())  # inside: MIP_SEED=abc is bad input too
    except (MmmDataError, ValueError, OSError) as exc:  # bad input or an unreadable path: a message, not a traceback
        print(f"error: {_one_line(exc)}", file=sys.stderr)
        return 2
    print(json.dumps(_clean(result), indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
