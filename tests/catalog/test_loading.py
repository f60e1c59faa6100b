"""Broken CSVs are reported per file with a clear reason, never raised."""

from __future__ import annotations

import pytest

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


def test_a_utf8_bom_is_not_part_of_the_first_column():
    loaded = parse_csv(b"\xef\xbb\xbfdate,spend\n2025-01-01,10\n", "bom.csv")
    assert loaded.encoding == "utf-8-sig" and list(loaded.df.columns) == ["date", "spend"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_wide_encodings_are_decoded_with_or_without_a_bom(encoding):
    loaded = parse_csv("région,spend\nCôte,5\n".encode(encoding), "wide.csv")
    assert loaded.error is None and list(loaded.df.columns) == ["région", "spend"] and loaded.df.région[0] == "Côte"
    assert loaded.encoding.startswith(encoding.split("-le")[0].split("-be")[0])


def test_cr_only_and_mixed_line_ends_are_normalised():
    loaded = parse_csv(b"a,b\r1,2\r\n3,4\n5,6\r", "mac.csv")
    assert loaded.error is None and loaded.df.a.tolist() == [1, 3, 5]


def test_nan_spelled_cells_are_counted_per_column_only_when_present():
    loaded = parse_csv(b"a,b,name\nNaN,1,Nan\n-nan,,x\n2,3,y\n", "n.csv")
    assert loaded.df.a.isna().sum() == 2 and dict(loaded.nan_text) == {"a": 2, "name": 1}
    assert parse_csv(b"a,b\n1,\n", "blank.csv").nan_text == {}  # an empty cell is not a NaN spelling


def test_a_parser_failure_past_the_header_is_a_message():
    loaded = parse_csv(b'a,b\n1,"unterminated\n', "quote.csv")
    assert loaded.df.empty and loaded.error.startswith("quote.csv has a quote that is never closed")
