"""Recovery against known truth on PyMC-Marketing's example, read through the CLI flags as a user would.

The simulated file at the notebook's seed is the published `mmm_example.csv` value for value, so this is the
published example fitted as published: contribution per unit of x1 and x2 within 10% of the recipe's truth.
"""

from __future__ import annotations

import json

import pytest

from core.mmm.__main__ import main
from core.mmm.pymc_example import EXAMPLE_CHANNELS, PUBLISHED_SEED, simulate_pymc_example

TOLERANCE = 0.10  # the bar: within 10% of the truth


def test_contribution_per_unit_of_x1_and_x2_is_within_ten_percent_of_the_truth(tmp_path, monkeypatch, capsys):
    example = simulate_pymc_example(PUBLISHED_SEED)
    path = tmp_path / "mmm_example.csv"
    example.table.to_csv(path, index=False)
    monkeypatch.setenv("MIP_DATA_DIR", str(tmp_path / "data"))
    code = main(["roi", "--data", str(path), "--date-col", "date_week", "--spend", "x1,x2",
                 "--controls", "event_1,event_2,t", "--target", "y", "--json", "--bootstrap", "0"])
    assert code == 0
    channels = json.loads(capsys.readouterr().out)["channels"]
    for ch in EXAMPLE_CHANNELS:
        truth = example.contribution_per_unit[ch]
        assert channels[ch]["contribution_per_unit"] == pytest.approx(truth, rel=TOLERANCE), ch
