"""Validation names each file's problems and adds the world checks for a generated world."""

from __future__ import annotations

from core.catalog import validate_folder
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
