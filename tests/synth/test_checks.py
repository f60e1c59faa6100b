"""World checks pass on a generated world and name what breaks on a damaged one."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from core.synth.__main__ import main
from core.synth.checks import CHECKS, run_checks


@pytest.fixture
def damaged(world_dir, tmp_path):
    """A writable copy of the world to break."""
    dest = tmp_path / "world"
    shutil.copytree(world_dir, dest, ignore=shutil.ignore_patterns("index", "cache"))
    return dest


def _failed(data_dir) -> dict[str, str]:
    return {r.name: r.detail for r in run_checks(data_dir) if not r.passed}


def test_every_check_passes_on_the_generated_world(world_dir):
    results = run_checks(world_dir)
    assert len(results) >= 10
    assert [r.name for r in results if not r.passed] == []


def test_cli_json_exit_zero(world_dir, capsys):
    assert main(["--check", "--data", str(world_dir), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["passed"] is True and len(out["checks"]) == len(CHECKS)


def test_edited_spend_breaks_budget_and_agreement(damaged):
    path = damaged / "raw" / "meta_ads.csv"
    df = pd.read_csv(path)
    df.loc[df.date == "2025-06-03", "spend"] += 500.0
    df.to_csv(path, index=False)
    failed = _failed(damaged)
    assert "meta" in failed["budget_totals"]
    assert "spend_meta" in failed["spend_agreement"]
    assert "ground_truth" not in failed


def test_orphan_test_drive_breaks_foreign_keys(damaged):
    path = damaged / "raw" / "test_drives.csv"
    df = pd.read_csv(path)
    df.loc[0, "lead_id"] = "L999999"
    df.to_csv(path, index=False)
    assert "test_drives.lead_id" in _failed(damaged)["foreign_keys"]


def test_missing_file_fails_by_name_without_raising(damaged):
    (damaged / "raw" / "leads.csv").unlink()
    failed = _failed(damaged)
    assert "raw/leads.csv" in failed["files_present"]
    assert failed["kpi_agreement"] == "raw/leads.csv is missing"  # one line naming the file, not "could not run"
    assert main(["--check", "--data", str(damaged)]) == 1


def test_tampered_truth_is_caught(damaged):
    path = damaged / "mmm" / "ground_truth.json"
    gt = json.loads(path.read_text())
    gt["channels"]["tv"]["roi"] *= 2
    path.write_text(json.dumps(gt))
    assert "tv" in _failed(damaged)["ground_truth"]
