"""Validation names each file's problems as pass / warn / fail, and adds the world checks only for a world the
generator wrote and nobody changed."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from core.catalog import validate_folder
from core.catalog.checks import Issue
from core.catalog.validate import (
    ABSURD_MAGNITUDE,
    FileCheck,
    Status,
    check_file,
    document_issues,
    number_problems,
    results_table,
    status_counts,
)
from core.catalog.versions import write_stamp
from core.synth.checks import CHECKS, WORLD_STATE, world_checks
from core.synth.world import GENERATOR
from tests.fakes import docx_bytes
from tests.rag.test_readers import pdf_bytes


def _by_name(results):
    return {r.name: r for r in results}


def test_problems_are_named_per_file(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "meta_ads.csv").write_text("date,impressions,clicks,spend\n2025-01-01,10,50,-3\nnot-a-date,1,0,1\n")
    (raw / "ok.csv").write_text("week,value\n1,2\n")
    (raw / "empty.md").write_text("  \n")
    res = _by_name(validate_folder(tmp_path))
    meta = res["raw/meta_ads.csv"]
    assert not meta.passed and meta.status is Status.FAIL
    assert "missing columns" not in meta.detail  # a file of ours by name is not held to our columns: the data speaks
    assert "1 negative values in spend" in meta.detail
    assert "clicks exceed impressions in 1 rows" in meta.detail
    assert "1 unparsable dates in date" in meta.detail
    assert res["raw/ok.csv"].passed and not res["raw/empty.md"].passed
    assert not any(n.startswith("world:") for n in res)  # not a generated world


def test_manifest_with_missing_image_fails(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "asset_manifest.csv").write_text("file,channel,model,description\nmeta/x.png,meta,A,d\n")
    res = _by_name(validate_folder(tmp_path))
    assert "1 listed images missing" in res["assets/asset_manifest.csv"].detail


def test_generated_world_passes_including_world_checks(world_dir):
    results = validate_folder(world_dir, world_checks)
    assert [r.name for r in results if not r.passed] == []
    assert sum(r.name.startswith("world:") for r in results) == len(CHECKS)
    state = next(r for r in results if r.name == WORLD_STATE)
    assert state.status is Status.PASS and f"as {GENERATOR} wrote them" in state.detail


def _world_names(results):
    return [r.name for r in results if r.name.startswith("world:")]


def test_a_stray_ground_truth_is_no_generated_world(tmp_path):
    (tmp_path / "mmm").mkdir()
    (tmp_path / "mmm" / "ground_truth.json").write_text(json.dumps({"channels": {}}))
    [state] = world_checks(tmp_path)
    assert state.name == WORLD_STATE and state.status is Status.PASS and "not a generated world" in state.detail


def test_a_stamp_of_another_generator_is_no_generated_world(tmp_path):
    (tmp_path / "mmm").mkdir()
    (tmp_path / "mmm" / "ground_truth.json").write_text("{}")
    write_stamp(tmp_path, [tmp_path / "mmm" / "ground_truth.json"], "someone-else", 1)
    [state] = world_checks(tmp_path)
    assert "stamped by 'someone-else'" in state.detail


def test_our_stamp_with_unchanged_files_runs_the_world_checks_and_they_fail_with_reasons(tmp_path):
    (tmp_path / "mmm").mkdir()
    (tmp_path / "mmm" / "ground_truth.json").write_text("{}")
    write_stamp(tmp_path, [tmp_path / "mmm" / "ground_truth.json"], GENERATOR, 42)
    results = world_checks(tmp_path)
    assert len(_world_names(results)) == len(CHECKS)
    world = [r for r in results if r.name.startswith("world:")]
    assert all(r.status is Status.FAIL and r.detail and "\n" not in r.detail for r in world)
    assert not any("could not run" in r.detail for r in world)


def test_a_changed_generated_world_warns_and_skips_its_own_checks(world_dir, tmp_path):
    data = tmp_path / "world"
    shutil.copytree(world_dir, data, ignore=shutil.ignore_patterns("index", "cache"))
    assert len(_world_names(world_checks(data))) == len(CHECKS)  # a copy with the same bytes is still ours
    (data / "raw" / "meta_ads.csv").write_text("date,spend\n2025-01-06,1\n")
    results = validate_folder(data, world_checks)
    state = next(r for r in results if r.name == WORLD_STATE)
    assert state.status is Status.WARN and "raw/meta_ads.csv" in state.detail and "1 of its" in state.detail
    assert _world_names(results) == []


def test_a_folder_check_that_raises_is_one_failure_and_the_rest_stands(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "ok.csv").write_text("week,value\n1,2\n")

    def broken(data_dir):
        raise OSError("disk on fire")

    results = {r.name: r for r in validate_folder(tmp_path, broken)}
    assert results["raw/ok.csv"].passed
    assert results["folder: own checks"].status is Status.FAIL
    assert results["folder: own checks"].detail == "OSError: disk on fire"


def test_warnings_pass_and_failures_are_named_first():
    check = FileCheck.of("x.csv", [Issue(Status.WARN, "2 duplicate rows"), Issue(Status.FAIL, "3 negative")], "ok")
    assert check.status is Status.FAIL and not check.passed
    assert check.detail == "3 negative; warning: 2 duplicate rows"
    warned = FileCheck.of("y.csv", [Issue(Status.WARN, "2 duplicate rows")], "ok")
    assert warned.passed and warned.status is Status.WARN and warned.detail == "2 duplicate rows"
    assert FileCheck.of("z.csv", [], "10 rows").detail == "10 rows"


def test_counts_and_table_agree():
    results = [FileCheck("a", Status.PASS, ""), FileCheck("b", Status.WARN, "w"), FileCheck("c", Status.FAIL, "f"),
               FileCheck("d", Status.PASS, "")]
    assert status_counts(results) == {Status.PASS: 2, Status.WARN: 1, Status.FAIL: 1}
    assert status_counts([]) == {Status.PASS: 0, Status.WARN: 0, Status.FAIL: 0}
    assert list(results_table(results).status) == ["pass", "warn", "fail", "pass"]
    assert list(results_table(results, problems_only=True).check) == ["b", "c"]


def test_the_folder_overview_counts_kinds_and_an_empty_folder_warns(tmp_path):
    assert {r.name: r.status for r in validate_folder(tmp_path)}["folder: contents"] is Status.WARN
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.csv").write_text("x\n1\n")
    (tmp_path / "raw" / "b.txt").write_text("notes")
    (tmp_path / "raw" / "c.xlsx").write_bytes(b"PK")
    results = {r.name: r for r in validate_folder(tmp_path)}
    assert results["folder: contents"].detail == "3 files: 1 CSV, 1 documents, 1 other"
    assert results["raw/c.xlsx"].status is Status.WARN and "save each sheet as CSV" in results["raw/c.xlsx"].detail


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("terms.pdf", pdf_bytes(["1. Fees", "The fee is 3%."]), None),
    ("scan.pdf", pdf_bytes([]), "has no text to read"),
    ("cut.pdf", pdf_bytes(["Hello"])[:40], "is not a readable PDF"),
    ("plan.docx", docx_bytes("Budget: £2,000,000"), None),
    ("blank.docx", docx_bytes(None), "has no text"),
    ("renamed.docx", b"plain text", "is not a readable Word document"),
    ("notes.txt", "Côte d'Azur".encode("utf-16"), None),  # the index reads UTF-16 after its byte-order mark
    ("notes.md", "Côte".encode("cp1252"), "is cp1252 text; save it as UTF-8"),
    ("empty.md", b"  \n", "is empty"),
])
def test_documents_are_checked_as_the_index_reads_them(tmp_path, name, content, problem):
    issues = document_issues(name, content)
    assert [i.text for i in issues if problem and problem in i.text] or (problem is None and not issues), issues
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / name).write_bytes(content)
    check = check_file(tmp_path / "raw" / name, tmp_path)
    assert check.passed == (problem is None) and (problem is None or problem in check.detail)


def test_number_problems_name_column_and_count():
    df = pd.DataFrame({"spend": [1.0, np.inf, -np.inf, 2e15], "ok": [1e15, -1e15, 0.0, np.nan],
                       "flag": [True, False, True, False], "label": ["inf", "x", "y", "z"],
                       "as_text": ["1e300", "2", "3", None]})
    assert number_problems(df, {"ok": 1}) == [
        "2 infinite values in spend", f"1 values beyond ±{ABSURD_MAGNITUDE:.0e} in spend",
        "1 NaN values in ok", f"1 values beyond ±{ABSURD_MAGNITUDE:.0e} in as_text"]
    assert number_problems(df[["ok", "flag", "label"]]) == []  # the limit itself, bools and words pass


def test_an_extreme_value_fails_validation(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "spend.csv").write_text("week,spend\n1,1e300\n2,inf\n")
    check = _by_name(validate_folder(tmp_path))["raw/spend.csv"]
    assert not check.passed and "1 infinite values in spend" in check.detail and "beyond" in check.detail


def test_a_link_out_of_the_data_folder_is_not_read(tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("a\n1\n")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "link.csv").symlink_to(outside)
    assert "raw/link.csv" not in _by_name(validate_folder(tmp_path / "data"))  # not listed as data at all
    check = check_file(tmp_path / "data" / "raw" / "link.csv", tmp_path / "data")  # and not read if it were
    assert not check.passed and "outside the data folder" in check.detail
