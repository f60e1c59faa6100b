"""Broken CSVs are reported per file with a clear reason, never raised."""

from __future__ import annotations

from core.catalog import load_csv, parse_csv


def test_good_csv_parses():
    loaded = parse_csv(b"date,spend\n2025-01-01,10\n", "x.csv")
    assert loaded.error is None and loaded.encoding == "utf-8" and loaded.df.spend.tolist() == [10]


def test_empty_file():
    assert "empty" in parse_csv(b"", "empty.csv").error
    assert "empty" in parse_csv(b"\n  \n", "blank.csv").error


def test_windows_1252_is_read_and_named():
    loaded = parse_csv("region,spend\nCôte,£5\n".encode("cp1252"), "legacy.csv")
    assert loaded.error is None and loaded.encoding == "cp1252" and loaded.df.region[0] == "Côte"


def test_undecodable_bytes_get_an_encoding_message():
    loaded = parse_csv(b"a,b\n" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) + b",1\n", "bad.csv")
    assert "encoding" in loaded.error and loaded.df.empty


def test_ragged_rows_and_duplicate_headers():
    assert "more fields" in parse_csv(b"a,b\n1,2\n1,2,3,4\n", "ragged.csv").error
    assert "repeats column names: a" in parse_csv(b"a,a,b\n1,2,3\n", "dupe.csv").error


def test_unreadable_path_is_reported(tmp_path):
    loaded = load_csv(tmp_path / "missing.csv")
    assert loaded.error.startswith("cannot read missing.csv")
