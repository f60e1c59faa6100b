"""Uploads are checked before saving, stay inside data/raw, and never overwrite unconfirmed."""

from __future__ import annotations

import pytest

from core.catalog import CatalogError, check_upload, save_upload

GOOD = b"date,campaign_id,impressions,clicks,spend\n2025-01-01,C1,100,5,9.5\n"


@pytest.mark.parametrize("name", ["../evil.csv", "sub/dir.csv", "..\\evil.csv", ".hidden.csv", "/etc/passwd.csv"])
def test_unsafe_names_are_rejected(tmp_path, name):
    check = check_upload(name, GOOD, tmp_path)
    assert not check.ok and check.target is None
    assert not any(tmp_path.parent.glob("evil.csv"))


def test_wrong_type_and_bad_content_are_rejected(tmp_path):
    assert "only .csv and .md" in check_upload("notes.exe", b"x", tmp_path).message
    assert "empty" in check_upload("x.csv", b"", tmp_path).message
    assert "missing columns" in check_upload("meta_ads.csv", b"date,spend\n2025-01-01,1\n", tmp_path).message
    with pytest.raises(CatalogError):
        save_upload(check_upload("x.csv", b"", tmp_path), b"", tmp_path)


def test_save_then_overwrite_needs_confirmation(tmp_path):
    check = check_upload("meta_ads.csv", GOOD, tmp_path)
    assert check.ok and not check.would_overwrite
    assert save_upload(check, GOOD, tmp_path).read_bytes() == GOOD
    again = check_upload("meta_ads.csv", GOOD + b"2025-01-02,C1,10,1,1\n", tmp_path)
    assert again.ok and again.would_overwrite
    with pytest.raises(CatalogError, match="already exists"):
        save_upload(again, GOOD, tmp_path)
    assert (tmp_path / "meta_ads.csv").read_bytes() == GOOD  # nothing lost
    save_upload(again, GOOD + b"2025-01-02,C1,10,1,1\n", tmp_path, overwrite=True)
    assert (tmp_path / "meta_ads.csv").read_bytes().count(b"\n") == 3


def test_markdown_upload(tmp_path):
    check = check_upload("new_contract.md", b"# Deal\n\n## 1. Term\n", tmp_path)
    assert check.ok and check.target == (tmp_path / "new_contract.md").resolve()
