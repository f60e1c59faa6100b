"""Atomic writes leave the old file whole until the new one is complete."""

from __future__ import annotations

import os

import pytest

from core.atomic import write_atomic


def test_writes_text_and_bytes_and_creates_the_folder(tmp_path):
    target = tmp_path / "sub" / "a.json"
    write_atomic(target, '{"a": 1}')
    assert target.read_text() == '{"a": 1}'
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in target.parent.iterdir()] == ["a.json"]  # no temporary left behind


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "manifest.json"
    target.write_text("old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
