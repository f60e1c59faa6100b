"""Benchmark: fit simulated worlds with known truth and score ROI recovery, ranking, coverage and speed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.stats import spearmanr

from core.mmm.data import load_weekly
from core.mmm.fit import fit_model
from core.mmm.outputs import roi_table
from core.mmm.simulate import SIM_VALUE_PER_UNIT, SimWorld, simulate_world
from core.mmm.types import AdstockKind, ChannelHyper, FitConfig


@dataclass(frozen=True)
class WorldScore:
    """One world's recovery: ROI abs % errors, Spearman, interval hits, fit seconds."""

    abs_pct_errors: list[float]
    spearman: float
    covered: list[bool]
    seconds: float


def score_world(world: SimWorld, config: FitConfig, true_transforms: bool = False) -> WorldScore:
    """Fit one world (searching transforms, or given the true ones) and compare ROIs with the truth."""
    data = load_weekly(world.table, target="leads")
    fixed = None
    if true_transforms:
        fixed = {ch: ChannelHyper(AdstockKind.GEOMETRIC, t["decay"], t["half_sat"], t["slope"])
                 for ch, t in world.truth.items()}
    started = time.perf_counter()
    fit = fit_model(data, config, fixed=fixed)
    seconds = time.perf_counter() - started
    table = roi_table(fit, SIM_VALUE_PER_UNIT).set_index("channel")
    true = np.array([world.truth[ch]["roi"] for ch in table.index])
    est = table["roi"].to_numpy()
    covered = ((table["roi_low"] <= true) & (true <= table["roi_high"])).tolist()
    return WorldScore(list(np.abs(est / true - 1) * 100), float(spearmanr(est, true).statistic), covered, seconds)


def summarise(scores: list[WorldScore]) -> dict:
    """Median/mean ROI abs % error, median Spearman, 90% coverage, median and max fit seconds."""
    errors = np.concatenate([s.abs_pct_errors for s in scores])
    covered = np.concatenate([s.covered for s in scores])
    secs = [s.seconds for s in scores]
    return {
        "median_roi_abs_pct_error": float(np.median(errors)), "mean_roi_abs_pct_error": float(np.mean(errors)),
        "median_spearman": float(np.median([s.spearman for s in scores])),
        "mean_spearman": float(np.mean([s.spearman for s in scores])),
        "coverage_90": float(np.mean(covered)) if len(covered) else float("nan"),
        "median_fit_seconds": float(np.median(secs)), "max_fit_seconds": float(np.max(secs)),
    }


def run_bench(n_worlds: int, seed: int = 0, config: FitConfig | None = None,
              progress: Callable[[str], None] | None = None) -> dict:
    """Score n worlds with the searched fit and with the true transforms (the floor)."""
    config = config or FitConfig(seed=seed)
    fitted, floor = [], []
    for i in range(n_worlds):
        world = simulate_world(seed + i)
        fitted.append(score_world(world, config))
        floor.append(score_world(world, config, true_transforms=True))
        if progress:
            progress(f"world {i + 1}/{n_worlds}: median err {np.median(fitted[-1].abs_pct_errors):.0f}% "
                     f"rho {fitted[-1].spearman:.2f} cover {np.mean(fitted[-1].covered):.2f} {fitted[-1].seconds:.1f}s")
    return {"worlds": n_worlds, "seed": seed, "n_bootstrap": config.n_bootstrap,
            "fit": summarise(fitted), "true_transforms_floor": summarise(floor)}
