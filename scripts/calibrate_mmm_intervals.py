"""Measure how much the MMM's bootstrap ROI intervals must widen to cover the truth at their nominal 90%.

Usage: .venv/bin/python scripts/calibrate_mmm_intervals.py [--first-seed 1000] [--worlds 30]
Fits simulated worlds whose seeds are disjoint from the benchmark's (0–19), widens each interval about its
point estimate by a factor c, and prints coverage for a range of c; core.mmm.outputs.INTERVAL_SCALE is the
smallest c reaching 90% here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.mmm.data import load_weekly  # noqa: E402
from core.mmm.fit import fit_model  # noqa: E402
from core.mmm.outputs import raw_roi_intervals  # noqa: E402
from core.mmm.simulate import SIM_VALUE_PER_UNIT, simulate_world  # noqa: E402
from core.mmm.types import FitConfig  # noqa: E402

SCALES = np.round(np.arange(1.0, 3.01, 0.1), 2)


def main(argv: list[str] | None = None) -> int:
    """Fit the calibration worlds and print coverage per widening factor."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--first-seed", type=int, default=1000)
    p.add_argument("--worlds", type=int, default=30)
    args = p.parse_args(argv)
    rows = []
    for seed in range(args.first_seed, args.first_seed + args.worlds):
        world = simulate_world(seed)
        fit = fit_model(load_weekly(world.table, target="leads"), FitConfig(seed=seed))
        table = raw_roi_intervals(fit, SIM_VALUE_PER_UNIT).set_index("channel")
        for ch, r in table.iterrows():
            rows.append((world.truth[ch]["roi"], r.roi, r.roi_low, r.roi_high))
        print(f"seed {seed}: {len(table)} channels", file=sys.stderr)
    truth, est, low, high = map(np.array, zip(*rows))
    below, above = np.maximum(est - low, 0), np.maximum(high - est, 0)
    for c in SCALES:
        covered = (est - c * below <= truth) & (truth <= est + c * above)
        print(f"scale {c:.1f}: coverage {covered.mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
