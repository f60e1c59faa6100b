"""How well could any estimator recover the bench worlds' ROIs? An oracle that knows the truth's shape.

Usage: .venv/bin/python scripts/mmm_oracle_floor.py [--first-seed 0] [--worlds 20] [--draws 2500]

For each simulated world the oracle is given every channel's true adstock and saturation and the prior the
world drew ROIs from (uniform on simulate.TRUE_ROI_RANGE), and samples the exact posterior of the media
coefficients: Gaussian likelihood with the baseline profiled out (solver.make_system), truncated to the
prior's range, by Gibbs sampling. It prints the benchmark's scores for least squares and for the posterior's
mean and median, so the bench's targets can be read against what the data allow.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from scipy.special import ndtr, ndtri
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.mmm.data import load_weekly  # noqa: E402
from core.mmm.search import make_problem  # noqa: E402
from core.mmm.simulate import SIM_VALUE_PER_UNIT, TRUE_ROI_RANGE, SimWorld, simulate_world  # noqa: E402
from core.mmm.solver import make_system  # noqa: E402
from core.mmm.types import AdstockKind, ChannelHyper, FitConfig, plan_rows  # noqa: E402

BURN_IN = 500


def truncated_normal(rng: np.random.Generator, mean: float, sd: float, lo: float, hi: float) -> float:
    """One draw from N(mean, sd²) restricted to [lo, hi], by inverting the CDF."""
    a, b = ndtr((lo - mean) / sd), ndtr((hi - mean) / sd)
    u = np.clip(a + rng.random() * (b - a), 1e-300, 1 - 1e-16)
    return float(np.clip(mean + sd * ndtri(u), lo, hi))


def posterior_rois(world: SimWorld, draws: int, rng: np.random.Generator
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True ROIs, least-squares ROIs and Gibbs draws of ROI (draws × channels) given the true transforms and prior."""
    data = load_weekly(world.table, target="leads")
    config = FitConfig(n_bootstrap=0)
    fixed = {ch: ChannelHyper(AdstockKind.GEOMETRIC, t["decay"], t["half_sat"], t["slope"])
             for ch, t in world.truth.items()}
    problem = make_problem(data, config, fixed)
    system = make_system(problem.y, problem.base, problem.cands.columns, np.ones(data.weeks),
                         np.array([], dtype=int), config.baseline_ridge)
    a = system.lm[:, 0, :].T  # one candidate per channel: the truth
    b_ls = np.linalg.lstsq(a, system.ly, rcond=None)[0]
    n, c = a.shape
    sigma2 = float(np.sum((system.ly - a @ b_ls) ** 2)) / (n - c - problem.base.shape[1])
    precision = a.T @ a / sigma2
    plan = plan_rows(data.weeks)
    # A coefficient of 1 is the reference ROI (candidates.build_candidates): plan KPI per plan £, valued.
    to_roi = data.target[plan].sum() / data.spend.to_numpy()[plan].sum() * SIM_VALUE_PER_UNIT
    lo, hi = TRUE_ROI_RANGE[0] / to_roi, TRUE_ROI_RANGE[1] / to_roi
    b = np.clip(b_ls, lo, hi)
    out = []
    for it in range(BURN_IN + draws):
        for k in range(c):
            others = precision[k] @ (b - b_ls) - precision[k, k] * (b[k] - b_ls[k])
            b[k] = truncated_normal(rng, b_ls[k] - others / precision[k, k], precision[k, k] ** -0.5, lo, hi)
        if it >= BURN_IN:
            out.append(b * to_roi)
    truth = np.array([world.truth[ch]["roi"] for ch in data.channels])
    return truth, b_ls * to_roi, np.array(out)


def scores(estimates: list[np.ndarray], truths: list[np.ndarray]) -> dict:
    """The bench's measures: median and mean absolute % ROI error, median per-world Spearman."""
    errors = np.concatenate([np.abs(e / t - 1) * 100 for e, t in zip(estimates, truths)])
    rho = [spearmanr(e, t).statistic for e, t in zip(estimates, truths)]
    return {"median_roi_abs_pct_error": round(float(np.median(errors)), 1),
            "mean_roi_abs_pct_error": round(float(np.mean(errors)), 1),
            "median_spearman": round(float(np.median(rho)), 3)}


def main(argv: list[str] | None = None) -> int:
    """Sample every world's oracle posterior and print the scores of its estimates as JSON."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--worlds", type=int, default=20)
    p.add_argument("--draws", type=int, default=2500)
    args = p.parse_args(argv)
    rng = np.random.default_rng(args.first_seed)
    truths, least_squares, means, medians = [], [], [], []
    for seed in range(args.first_seed, args.first_seed + args.worlds):
        world = simulate_world(seed)
        truth, ls, draws = posterior_rois(world, args.draws, rng)
        truths.append(truth)
        least_squares.append(ls)
        means.append(draws.mean(axis=0))
        medians.append(np.median(draws, axis=0))
    print(json.dumps({"worlds": args.worlds, "first_seed": args.first_seed,
                      "least_squares": scores(least_squares, truths),
                      "posterior_mean": scores(means, truths),
                      "posterior_median": scores(medians, truths)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
