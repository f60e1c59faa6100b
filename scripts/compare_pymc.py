"""Fit our MMM and PyMC-Marketing's on the same simulated worlds; print both tools' ROI error, coverage,
Spearman and CPU seconds.

Usage: .venv/bin/python scripts/compare_pymc.py [--worlds 3] [--seed 0] [--draws 500] [--chains 2] [--tune 1000]
       [--pymc-python .venv-pymc/bin/python] [--example mmm_example.csv] [--json]
PyMC-Marketing lives in its own venv (bash scripts/setup_pymc_venv.sh) and runs in a subprocess executing
scripts/pymc_fit_worker.py; ours runs in this process. ROI is the same for both: plan-period (last PLAN_WEEKS
weeks) contribution × value per unit / plan-period spend, scored against the simulator's truth. Not part of
`make test`: one PyMC fit takes minutes of CPU.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.domain import PLAN_WEEKS, SPEND_PREFIX  # noqa: E402
from core.mmm import FitConfig, fit_model, load_weekly, roi_table  # noqa: E402
from core.mmm.simulate import SIM_VALUE_PER_UNIT, simulate_world  # noqa: E402

WORKER = ROOT / "scripts" / "pymc_fit_worker.py"
DEFAULT_PYMC_PYTHON = ROOT / ".venv-pymc" / "bin" / "python"  # not resolved: the venv's python is a symlink
PYMC_PIN = "0.19.2"
OURS, PYMC = "ours", "pymc-marketing"
L_MAX = 8  # PyMC-Marketing's own example: GeometricAdstock(l_max=8), LogisticSaturation(), 2 Fourier orders
YEARLY_SEASONALITY = 2
CPU_TARGET = 3.0  # the bar: ours at ≥ 3× less CPU
VERSION_CHECK_SECONDS = 180  # importing pymc_marketing cold takes a while on a busy machine


@dataclass(frozen=True)
class Estimate:
    """One channel's ROI point and 90% interval."""

    roi: float
    low: float
    high: float


@dataclass(frozen=True)
class ToolRun:
    """What one tool said about one table and what it cost."""

    estimates: dict[str, Estimate]
    cpu_seconds: float
    wall_seconds: float
    diagnostics: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """A weekly table in our format (spend_<channel> columns), its KPI column, true ROIs and how PyMC reads it."""

    name: str
    table: pd.DataFrame
    target: str
    truth: dict[str, float]
    value_per_unit: float
    date_column: str = "week_start"
    controls: tuple[str, ...] = ()
    add_trend: bool = True
    standardise_controls: bool = True


@dataclass(frozen=True)
class Score:
    """One tool on one case: ROI abs % errors, Spearman, interval hits, cost."""

    abs_pct_errors: list[float]
    spearman: float
    covered: list[bool]
    cpu_seconds: float
    wall_seconds: float


@dataclass(frozen=True)
class Summary:
    """One tool over all cases."""

    median_abs_pct_error: float
    mean_abs_pct_error: float
    median_spearman: float
    coverage_90: float
    cpu_seconds: float
    wall_seconds: float


def score(run: ToolRun, truth: dict[str, float]) -> Score:
    """|est/true − 1|·100 per channel, Spearman of estimates vs truth, and whether each interval holds the truth."""
    chans = sorted(truth)
    est = np.array([run.estimates[ch].roi for ch in chans])
    true = np.array([truth[ch] for ch in chans])
    covered = [run.estimates[ch].low <= truth[ch] <= run.estimates[ch].high for ch in chans]
    return Score(list(np.abs(est / true - 1) * 100), float(spearmanr(est, true).statistic), covered,
                 run.cpu_seconds, run.wall_seconds)


def summarise(scores: list[Score]) -> Summary:
    """Median and mean over all channels' errors, median Spearman over cases, pooled coverage, total seconds."""
    errors = np.concatenate([s.abs_pct_errors for s in scores])
    return Summary(float(np.median(errors)), float(np.mean(errors)), float(np.median([s.spearman for s in scores])),
                   float(np.mean(np.concatenate([s.covered for s in scores]))),
                   float(sum(s.cpu_seconds for s in scores)), float(sum(s.wall_seconds for s in scores)))


HEADER = f"{'':<18}{'tool':<16}{'median err %':>13}{'mean err %':>12}{'spearman':>10}{'cover 90':>10}" \
         f"{'CPU s':>9}{'wall s':>9}"


def table_row(label: str, tool: str, s: Score | Summary) -> str:
    """One aligned line of the results table."""
    if isinstance(s, Score):
        s = summarise([s])
    return f"{label:<18}{tool:<16}{s.median_abs_pct_error:>13.1f}{s.mean_abs_pct_error:>12.1f}" \
           f"{s.median_spearman:>10.2f}{s.coverage_90:>10.2f}" \
           f"{s.cpu_seconds:>9.1f}{s.wall_seconds:>9.1f}"


def verdict(ours: Summary, theirs: Summary) -> str:
    """The issue's done-when in one line: both errors below PyMC-Marketing's at ≥ CPU_TARGET× less CPU."""
    ratio = theirs.cpu_seconds / ours.cpu_seconds if ours.cpu_seconds > 0 else float("inf")
    yes = lambda ok: "yes" if ok else "no"
    return (f"CPU ratio (PyMC-Marketing / ours): {ratio:.1f}x. Ours lower on median error: "
            f"{yes(ours.median_abs_pct_error < theirs.median_abs_pct_error)}, on mean error: "
            f"{yes(ours.mean_abs_pct_error < theirs.mean_abs_pct_error)}; "
            f">= {CPU_TARGET:.0f}x less CPU: {yes(ratio >= CPU_TARGET)}")


def read_worker_output(path: Path) -> tuple[dict[str, Estimate], dict[str, float]]:
    """The worker's JSON as estimates keyed by channel (spend_ prefix dropped) and its diagnostics."""
    raw = json.loads(path.read_text())
    est = {col.removeprefix(SPEND_PREFIX): Estimate(v["roi"], v["roi_low"], v["roi_high"])
           for col, v in raw["channels"].items()}
    return est, {k: float(raw[k]) for k in ("divergences", "max_rhat") if k in raw}


def pymc_python_problem(python: Path) -> str | None:
    """One line saying why this python cannot run the worker, or None if it imports pymc_marketing."""
    fix = "run `bash scripts/setup_pymc_venv.sh` or pass --pymc-python PATH"
    if not python.is_file():
        return f"compare_pymc: no PyMC-Marketing python at {python}: {fix}"
    try:
        done = subprocess.run([str(python), "-c", "import pymc_marketing; print(pymc_marketing.__version__)"],
                              capture_output=True, text=True, timeout=VERSION_CHECK_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"compare_pymc: {python} did not run ({type(e).__name__}): {fix}"
    if done.returncode != 0:
        return f"compare_pymc: {python} cannot import pymc_marketing: {fix}"
    return None


def children_cpu() -> float:
    """User + system CPU seconds of every finished child process (and their children)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_ours(case: Case, seed: int) -> ToolRun:
    """Fit our model in this process; CPU is this process's (all threads) plus any children it waits for."""
    cpu0, wall0 = time.process_time() + children_cpu(), time.perf_counter()
    fit = fit_model(load_weekly(case.table, target=case.target), FitConfig(seed=seed))
    t = roi_table(fit, case.value_per_unit).set_index("channel")
    est = {ch: Estimate(float(r.roi), float(r.roi_low), float(r.roi_high)) for ch, r in t.iterrows()}
    return ToolRun(est, time.process_time() + children_cpu() - cpu0, time.perf_counter() - wall0)


def pymc_spec(case: Case, csv: Path, args: argparse.Namespace, seed: int) -> dict:
    """The worker's SPEC for one case."""
    return {"csv": str(csv), "date_column": case.date_column, "target_column": case.target,
            "channel_columns": [c for c in case.table.columns if c.startswith(SPEND_PREFIX)],
            "control_columns": list(case.controls), "add_trend": case.add_trend,
            "standardise_controls": case.standardise_controls, "plan_weeks": PLAN_WEEKS,
            "value_per_unit": case.value_per_unit, "draws": args.draws, "chains": args.chains, "tune": args.tune,
            "seed": seed, "yearly_seasonality": YEARLY_SEASONALITY, "l_max": L_MAX}


def run_pymc(python: Path, spec: dict, workdir: Path, worker: Path = WORKER) -> ToolRun:
    """Run the worker in the other venv; CPU is what that child (and its sampler processes) used."""
    spec_path, out, log = workdir / "spec.json", workdir / "pymc_out.json", workdir / "pymc.log"
    spec_path.write_text(json.dumps(spec))
    out.unlink(missing_ok=True)
    cpu0, wall0 = children_cpu(), time.perf_counter()
    with log.open("w") as fh:
        done = subprocess.run([str(python), str(worker), str(spec_path), str(out)], stdout=fh, stderr=fh)
    cpu, wall = children_cpu() - cpu0, time.perf_counter() - wall0
    if done.returncode != 0 or not out.exists():
        tail = log.read_text().strip().splitlines()[-15:]
        raise RuntimeError(f"PyMC-Marketing worker failed (exit {done.returncode}):\n" + "\n".join(tail))
    est, diag = read_worker_output(out)
    return ToolRun(est, cpu, wall, diag)


def world_case(seed: int) -> Case:
    """A simulated world: leads valued as the app's default; PyMC gets the controls standardised and a trend."""
    w = simulate_world(seed)
    controls = tuple(c for c in w.table.columns if c not in ("week_start", "leads") and not c.startswith(SPEND_PREFIX))
    return Case(f"world seed {seed}", w.table, "leads", {ch: t["roi"] for ch, t in w.truth.items()},
                SIM_VALUE_PER_UNIT, controls=controls)


def example_truth(raw: pd.DataFrame, contribution: Callable[[np.ndarray, str], np.ndarray],
                  channels: tuple[str, ...]) -> dict[str, float]:
    """Plan-period ROI per channel: Σ_{last PLAN_WEEKS} contribution(x, ch) / Σ_{last PLAN_WEEKS} x (value 1/unit)."""
    out = {}
    for ch in channels:
        x = raw[ch].to_numpy(dtype=float)
        out[ch] = float(contribution(x, ch)[-PLAN_WEEKS:].sum() / x[-PLAN_WEEKS:].sum())
    return out


def example_case(path: Path) -> Case | str:
    """PyMC-Marketing's example CSV with truth from core.mmm.pymc_example, or a note saying why it is skipped.

    The truth is the recipe's weekly channel_contribution(x, ch) applied to the file's own spend. PyMC gets
    the example's own controls (event_1, event_2, t) unscaled, as in its notebook.
    """
    try:
        mod = importlib.import_module("core.mmm.pymc_example")
        contribution, channels = mod.channel_contribution, tuple(mod.EXAMPLE_CHANNELS)
    except (ImportError, AttributeError) as e:
        return f"skipping the example: no truth from core.mmm.pymc_example ({type(e).__name__}: {e})"
    raw = pd.read_csv(path).sort_values("date_week").reset_index(drop=True)
    truth = example_truth(raw, contribution, channels)
    # dayofyear is the seasonality itself: both tools bring their own Fourier terms
    table = raw.drop(columns=["dayofyear"], errors="ignore").rename(
        columns={"date_week": "week_start", **{ch: SPEND_PREFIX + ch for ch in channels}})
    return Case("pymc example", table, "y", truth, 1.0,
                controls=("event_1", "event_2", "t"), add_trend=False, standardise_controls=False)


def compare(case: Case, args: argparse.Namespace, python: Path, seed: int) -> dict[str, tuple[ToolRun, Score]]:
    """Both tools on one case, scored against its truth."""
    with tempfile.TemporaryDirectory(prefix="compare_pymc_") as tmp:
        csv = Path(tmp) / "weekly.csv"
        case.table.to_csv(csv, index=False)
        runs = {OURS: run_ours(case, seed), PYMC: run_pymc(python, pymc_spec(case, csv, args, seed), Path(tmp))}
    return {tool: (run, score(run, case.truth)) for tool, run in runs.items()}


def main(argv: list[str] | None = None) -> int:
    """Compare on N worlds (and the example if given); print a table or JSON."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--worlds", type=int, default=3)
    p.add_argument("--seed", type=int, default=0, help="first world's seed; world i uses seed + i")
    p.add_argument("--pymc-python", type=Path, default=DEFAULT_PYMC_PYTHON)
    p.add_argument("--draws", type=int, default=500)
    p.add_argument("--chains", type=int, default=2)
    p.add_argument("--tune", type=int, default=1000, help="NUTS tuning steps per chain (pm.sample's default)")
    p.add_argument("--example", type=Path, help="PyMC-Marketing's mmm_example.csv, scored separately")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    python = args.pymc_python.absolute()
    if problem := pymc_python_problem(python):
        print(problem, file=sys.stderr)
        return 2
    cases: list[Case] = [world_case(args.seed + i) for i in range(args.worlds)]
    example = example_case(args.example) if args.example else None
    if isinstance(example, str):
        print(example, file=sys.stderr)
    results: dict[str, dict[str, tuple[ToolRun, Score]]] = {}
    for case in [*cases, *([example] if isinstance(example, Case) else [])]:
        try:
            results[case.name] = compare(case, args, python, args.seed)
        except RuntimeError as e:
            print(f"compare_pymc: {case.name}: {e}", file=sys.stderr)
            return 1
        print(f"{case.name}: done", file=sys.stderr)
    worlds = [c.name for c in cases]
    summary = {tool: summarise([results[w][tool][1] for w in worlds]) for tool in (OURS, PYMC)}
    if args.json:
        print(json.dumps({
            "pymc_marketing": PYMC_PIN, "draws": args.draws, "chains": args.chains, "tune": args.tune,
            "cases": {name: {tool: {"score": asdict(s), "diagnostics": r.diagnostics,
                                    "estimates": {ch: asdict(e) for ch, e in r.estimates.items()}}
                             for tool, (r, s) in res.items()} for name, res in results.items()},
            "summary": {tool: asdict(s) for tool, s in summary.items()},
            "verdict": verdict(summary[OURS], summary[PYMC])}, indent=2, default=float))
        return 0
    print(f"PyMC-Marketing {PYMC_PIN}: {args.chains} chains x {args.draws} draws ({args.tune} tune); "
          f"ROI over the last {PLAN_WEEKS} weeks\n{HEADER}")
    for name, res in results.items():
        for tool, (_, one) in res.items():
            print(table_row(name, tool, one))
    print(f"\nAll {len(worlds)} worlds")
    for tool, s in summary.items():
        print(table_row("summary", tool, s))
    print(verdict(summary[OURS], summary[PYMC]))
    for name, res in results.items():
        d = res[PYMC][0].diagnostics
        print(f"PyMC-Marketing {name}: {d.get('divergences', float('nan')):.0f} divergences, "
              f"max R-hat {d.get('max_rhat', float('nan')):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
