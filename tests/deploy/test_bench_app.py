"""scripts/bench_app.py's percentile is numpy's default (linear) percentile."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from bench_app import percentile  # noqa: E402


@pytest.mark.parametrize("n", [1, 2, 5, 30, 101])
def test_percentile_matches_numpy(n):
    values = list(np.random.default_rng(n).lognormal(size=n))
    for q in (0, 50, 95, 100):
        assert percentile(values, q) == pytest.approx(float(np.percentile(values, q)))


def test_percentile_of_known_values():
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5 and percentile([1.0, 2.0], 95) == pytest.approx(1.95)
