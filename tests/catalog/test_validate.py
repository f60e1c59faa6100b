"""Validation names each file's problems and adds the world checks for a generated world."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.catalog import validate_folder
from core.catalog.validate import ABSURD_MAGNITUDE, check_file, number_problems
from core.synth.checks import world_checks


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
    assert not meta.passed
    assert "missing columns: campaign_id" in meta.detail
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
    assert sum(r.name.startswith("world:") for r in results) >= 10


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
