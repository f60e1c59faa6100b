"""CLI: `python -m core.mmm regression|roi|optimize|adstock|summary|whatif|bench [--data FILE] [--target COL] [--json]`.

Any weekly CSV: `--date-col COL --spend COL[,COL…] --controls COL[,…] --target COL` map the file's own columns
onto the model (a flag left out is guessed from the file; `--controls ''` means none), and `--value-per-unit X
--currency CUR` say what one KPI unit is worth, e.g. for PyMC-Marketing's example as published:
`python -m core.mmm roi --data mmm_example.csv --date-col date_week --spend x1,x2 --controls event_1,event_2,t
--target y --value-per-unit 1 --currency EUR`. Without the mapping flags the file must already be in model
layout (week_start, spend_<channel>, controls, the KPI).

`python -m core.mmm prepare --data DIR [--out FILE] [--kpi FILE[:COLUMN]] [--mapping FILE] [--force] [--json]`
builds the weekly table from the raw exports in DIR/raw and records every decision in mapping.json.

`python -m core.mmm fit-time [--data FILE] [--bootstrap N] [--workers N] [--json]` fits the table twice, without
the cache, and reports wall and CPU seconds (this process and its refit workers) of the point fit and of the fit
with intervals. `--workers N` runs the bootstrap refits on N processes in any fitting command (default: the CPUs
available; 1: serial); it changes the time, never the fit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

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
from core.mmm.data import MAX_WEEKS, WeeklyData, load_weekly, read_table
from core.mmm.fit import fit_model
from core.mmm.intervals import available_cpus, refit_workers
from core.mmm.mapping import ColumnMap, apply_with_report, channel_key, guess, save
from core.mmm.prepare import run_prepare
from core.mmm.types import FitConfig, MmmFit, plan_rows
from core.mmm.units import DEFAULT_CURRENCY, DatasetUnits

COMMANDS = ("regression", "roi", "optimize", "adstock", "summary", "whatif", "bench", "prepare", "fit-time")
TABLE_COMMANDS = ("regression", "roi", "optimize", "adstock", "summary", "whatif", "fit-time")  # read one weekly table
DEFAULT_TARGET = "leads"  # the KPI column of a table already in model layout
MAPPED_TARGET = "kpi"  # mapping.apply names the KPI column this
UPLOADS_SUBDIR = "uploads"  # mapped tables are saved under <cache>/uploads, as the dashboard saves them
MAPPING_FLAGS = {"date_col": "--date-col", "spend": "--spend", "controls": "--controls"}
UNIT_FLAGS = {"value_per_unit": "--value-per-unit", "currency": "--currency"}


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


def _column_list(text: str, flag: str) -> tuple[str, ...]:
    """'x1,x2' → ('x1', 'x2'); '' → (); an empty item or a repeat is an error naming the flag."""
    if not text.strip():
        return ()
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise MmmDataError(f"{flag} {text!r} has an empty column name; separate names with single commas")
    repeated = next((item for item in items if items.count(item) > 1), None)
    if repeated is not None:
        raise MmmDataError(f"{flag} names '{repeated}' twice")
    return tuple(items)


def _require_columns(df: pd.DataFrame, names: tuple[str, ...], flag: str) -> None:
    """Every name is a column of the file, else an error naming the flag and listing the file's columns."""
    missing = [n for n in names if n not in df.columns]
    if missing:
        listed = ", ".join(map(str, df.columns))
        raise MmmDataError(f"{flag}: no column {', '.join(repr(m) for m in missing)} in the file; its columns are "
                           f"{listed}")


def column_map(df: pd.DataFrame, args: argparse.Namespace) -> ColumnMap:
    """The mapping the flags ask for, with what they leave out guessed from the file; MmmDataError when they clash."""
    g = guess(df)
    date = g.date if args.date_col is None else args.date_col
    kpi = g.kpi if args.target is None else args.target
    spend = g.spend if args.spend is None else _column_list(args.spend, "--spend")
    controls = (tuple(c for c in g.controls if c not in (date, kpi, *spend)) if args.controls is None
                else _column_list(args.controls, "--controls"))
    _require_columns(df, (date,), "--date-col")
    _require_columns(df, (kpi,), "--target")
    _require_columns(df, spend, "--spend")
    _require_columns(df, controls, "--controls")
    roles = [("--date-col", (date,)), ("--target", (kpi,)), ("--spend", spend), ("--controls", controls)]
    for i, (flag, names) in enumerate(roles):
        for other, other_names in roles[i + 1:]:
            both = next((n for n in names if n in other_names), None)
            if both is not None:
                raise MmmDataError(f"'{both}' is given to both {flag} and {other} (guessed where a flag is left "
                                   "out); each column has one role")
    if not spend:
        raise MmmDataError("no column looks like spend: name the spend columns with --spend COL[,COL…]")
    return ColumnMap(date, kpi, spend, controls)


@dataclass(frozen=True)
class Source:
    """The weekly table a command reads, the KPI column in it and, for a mapped file, how it was mapped."""

    path: Path | None  # None only when a mapped table could not be saved (it is then fitted from memory)
    table: pd.DataFrame | None
    target: str
    kpi_name: str  # the KPI as the user's file calls it
    mapping: dict | None = None


def _mapping_report(cmap: ColumnMap, date_format: str) -> dict:
    """How the file was read: its columns in each role and the channel key each spend column became."""
    return {"date": cmap.date, "dates_read": date_format, "kpi": cmap.kpi,
            "spend": {col: channel_key(col) for col in cmap.spend}, "controls": list(cmap.controls)}


def _source(args: argparse.Namespace, settings: Settings) -> Source:
    """The table as given (model layout), or mapped through the flags and saved beside the dashboard's uploads."""
    path = Path(args.data) if args.data else settings.model_ready_path
    if all(getattr(args, name) is None for name in MAPPING_FLAGS):
        target = args.target or DEFAULT_TARGET
        return Source(path, None, target, target)
    raw = read_table(path, max_rows=MAX_WEEKS + 1)  # one row past the limit is enough for load_weekly to refuse
    cmap = column_map(raw, args)
    mapped = apply_with_report(raw, cmap)
    report = _mapping_report(cmap, mapped.date_format)
    try:
        saved: Path | None = save(mapped.table, settings.cache_dir / UPLOADS_SUBDIR)  # named by content: cache key
    except OSError as exc:
        _warn(f"the mapped table could not be saved under {settings.cache_dir} ({exc.__class__.__name__}); "
              "it is fitted without the cache")
        saved = None
    return Source(saved, mapped.table, MAPPED_TARGET, cmap.kpi, report)


def _fit(source: Source, settings: Settings, config: FitConfig) -> MmmFit:
    """The cached fit of the source's file, or a fresh fit of its table when it has no file."""
    if source.path is None:
        return fit_model(load_weekly(source.table, target=source.target), config)
    return get_fit(settings, target=source.target, config=config, data_path=source.path, warn=_warn)


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have exited (the pool's refit workers)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed_fit(data: WeeklyData, config: FitConfig) -> dict[str, float]:
    """Wall and CPU seconds of one fit, outside the cache."""
    wall, cpu = time.perf_counter(), _cpu_seconds()
    fit_model(data, config)
    return {"wall_seconds": time.perf_counter() - wall, "cpu_seconds": _cpu_seconds() - cpu}


def fit_time(data: WeeklyData, config: FitConfig) -> dict:
    """Seconds of the point fit and of the fit with config.n_bootstrap draws, with the load they ran under."""
    load_before = os.getloadavg()[0]
    point = _timed_fit(data, replace(config, n_bootstrap=0))
    intervals = _timed_fit(data, config)
    return {"weeks": data.weeks, "channels": len(data.channels), "n_bootstrap": config.n_bootstrap,
            "workers": refit_workers(config, available_cpus()), "cpus": available_cpus(),
            "point_fit": point, "fit_with_intervals": intervals,
            "load_average_1min": {"before": load_before, "after": os.getloadavg()[0]}}


def contribution_per_unit(fit: MmmFit) -> dict[str, float]:
    """KPI units per unit of spend per channel over every week of the file: Σ_t contribution_t / Σ_t spend_t.

    The truth of a simulated file is stated this way (in the KPI's and the spend's own units, no money);
    NaN for a channel that never spent.
    """
    out = {}
    for ch in fit.channels:
        spent = float(fit.data.spend[ch].sum())
        out[ch] = float(fit.channel_contribution(ch).sum()) / spent if spent > 0 else math.nan
    return out


def _units(args: argparse.Namespace, settings: Settings, kpi_name: str) -> DatasetUnits:
    """What one KPI unit is worth (the flag, else MIP_VALUE_PER_LEAD) and its currency; checked."""
    value = settings.value_per_lead if args.value_per_unit is None else args.value_per_unit
    currency = DEFAULT_CURRENCY if args.currency is None else args.currency
    return DatasetUnits(value_per_unit=value, currency=currency, kpi_name=kpi_name)


def _refuse_table_flags(args: argparse.Namespace) -> None:
    """bench and prepare read no weekly table: a mapping or unit flag would be silently ignored, so refuse it."""
    given = [flag for name, flag in (MAPPING_FLAGS | UNIT_FLAGS).items() if getattr(args, name) is not None]
    if given:
        raise MmmDataError(f"{', '.join(given)} only apply to {'|'.join(TABLE_COMMANDS)}, not {args.command}")


def run(args: argparse.Namespace, settings: Settings) -> dict:
    """The JSON result of one subcommand."""
    if args.command in ("bench", "prepare"):
        _refuse_table_flags(args)
    if args.command == "bench":
        return run_bench(args.worlds, args.seed,
                         FitConfig(seed=args.seed, n_bootstrap=args.bootstrap, workers=args.workers),
                         progress=lambda m: print(m, file=sys.stderr, flush=True))
    if args.command == "prepare":
        return run_prepare(Path(args.data) if args.data else settings.data_dir, out=args.out, kpi=args.kpi,
                           mapping_file=args.mapping, force=args.force).to_dict()
    source = _source(args, settings)
    units = _units(args, settings, source.kpi_name)
    mapped = {"mapping": source.mapping} if source.mapping is not None else {}
    money = {"value_per_unit": units.value_per_unit, "currency": units.currency}
    if args.command == "summary":  # same checks as the model's reader: missing, not a CSV, duplicate headers
        table = source.table if source.path is None else read_table(source.path)
        return {**summarize(table), "currency": units.currency, **mapped}
    config = FitConfig(seed=settings.seed, n_bootstrap=args.bootstrap, workers=args.workers)
    if args.command == "fit-time":
        data = load_weekly(source.table if source.path is None else source.path, target=source.target)
        return {"data": str(source.path), **fit_time(data, config), **mapped}
    fit = _fit(source, settings, config)
    if args.command == "regression":
        return {"target": source.kpi_name, **fit_diagnostics(fit), "coefficients": coefficients(fit),
                "coefficient_magnitudes": coefficient_magnitudes(fit),
                "transforms": {ch: hp.as_dict() for ch, hp in fit.hyper.items()},
                "fit_seconds": fit.fit_seconds, **mapped}
    if args.command == "roi":
        channels = roi_table(fit, units.value_per_unit).set_index("channel").to_dict(orient="index")
        for ch, per_unit in contribution_per_unit(fit).items():
            channels[ch]["contribution_per_unit"] = per_unit
        plan = plan_rows(fit.data.weeks)
        return {"kpi": source.kpi_name, **money,
                "periods": {"roi": f"last {plan.stop - plan.start} weeks",
                            "contribution_per_unit": f"all {fit.data.weeks} weeks"},
                "channels": channels, **mapped}
    if args.command == "optimize":
        result = optimize_budget(fit, value_per_unit=units.value_per_unit, total_budget=args.total, bounds=args.bounds)
        return {**asdict(result), **money, **mapped}
    if args.command == "adstock":
        return adstock_curves(fit)
    return {**asdict(whatif(fit, _parse_set(args.set), value_per_unit=units.value_per_unit)), **money, **mapped}


def main(argv: list[str] | None = None) -> int:
    """Parse, run, print JSON (or a compact text form); exit 2 on bad input."""
    p = argparse.ArgumentParser(prog="python -m core.mmm", description=__doc__)
    p.add_argument("command", choices=COMMANDS)
    p.add_argument("--data", help="weekly CSV (default: data/mmm/model_ready.csv); prepare: the data folder DIR")
    p.add_argument("--target", help="KPI column (default leads; with the mapping flags: guessed from the file)")
    p.add_argument("--date-col", help="date column of a weekly CSV in its own layout (mapped onto the model's)")
    p.add_argument("--spend", metavar="COL[,COL…]", help="spend columns, one per channel (default: guessed)")
    p.add_argument("--controls", metavar="COL[,…]", help="control columns (default: guessed; '' for none)")
    p.add_argument("--value-per-unit", type=float, metavar="X",
                   help="money one KPI unit is worth (default: MIP_VALUE_PER_LEAD)")
    p.add_argument("--currency", help=f"currency of spend and value per unit, e.g. EUR (default {DEFAULT_CURRENCY})")
    p.add_argument("--json", action="store_true", help="JSON output (the default form is indented JSON too)")
    p.add_argument("--set", action="append", default=[], metavar="CH=AMOUNT", help="whatif: plan-year spend")
    p.add_argument("--total", type=float, help="optimize: total budget (default: current)")
    p.add_argument("--bounds", type=float, default=0.3, help="optimize: ± share per channel (default 0.3)")
    p.add_argument("--worlds", type=int, default=20, help="bench: simulated worlds")
    p.add_argument("--seed", type=int, default=0, help="bench: first world seed")
    p.add_argument("--bootstrap", type=int, default=FitConfig().n_bootstrap, help="bootstrap draws per fit (intervals)")
    p.add_argument("--workers", type=int, metavar="N",
                   help="processes for the bootstrap refits (default: the CPUs available; 1: serial)")
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
