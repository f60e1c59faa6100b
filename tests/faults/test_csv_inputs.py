"""Hostile CSVs through every door the Data page uses: each gets a message naming the file, none raises."""

from __future__ import annotations

import pandas as pd
import pytest

import core.catalog.loading as loading
from core.catalog import CatalogError, check_upload, inventory, load_csv, preview, profile, validate_folder
from tests.app.conftest import app_data, app_env, open_app  # noqa: F401 - the AppTest world fixtures

GOOD_ROWS = "date,spend\n2025-01-01,10\n2025-01-02,12\n"
# name -> (bytes, None when the file must load, else a phrase its error must contain)
CASES: dict[str, tuple[bytes, str | None]] = {
    "cr_only.csv": (GOOD_ROWS.replace("\n", "\r").encode(), None),
    "crlf.csv": (GOOD_ROWS.replace("\n", "\r\n").encode(), None),
    "utf16_bom.csv": (GOOD_ROWS.encode("utf-16"), None),
    "utf16_no_bom.csv": (GOOD_ROWS.encode("utf-16-le"), None),
    "utf32_bom.csv": (GOOD_ROWS.encode("utf-32"), None),
    "long_header_field.csv": (b"x" * 200_000 + b"\n1\n", "field larger than field limit"),
    "long_header_columns.csv": ((",".join(f"col{i:05d}" for i in range(22_000)) + "\n").encode(), "columns"),
    "undecodable.csv": (b"a,b\n" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) + b",1\n", "encoding"),
    "binary.csv": (b"a,b\n\x00\x01\x02\x03\x04,1\n", "NUL bytes"),
    "bad_bom.csv": (b"\xff\xfe" + b"\x00\xd8", "byte-order mark"),
    "empty.csv": (b"", "empty"),
}
EXTREME = b"date,spend,clicks\n2025-01-01,inf,1\n2025-01-02,1e300,NaN\n2025-01-03,-inf,nan\n"


@pytest.fixture
def folder(tmp_path):
    """A data folder holding every hostile CSV (and the extreme-numbers one) under raw/."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, (content, _) in CASES.items():
        (raw / name).write_bytes(content)
    (raw / "extreme.csv").write_bytes(EXTREME)
    return tmp_path


@pytest.mark.parametrize("name", sorted(CASES))
def test_load_csv_reads_or_names_the_file_and_reason(folder, name):
    loaded = load_csv(folder / "raw" / name)
    expected = CASES[name][1]
    if expected is None:
        assert loaded.error is None, loaded.error
        assert list(loaded.df.columns) == ["date", "spend"]  # no NULs, no BOM, no \r in the names
        assert loaded.df.spend.tolist() == [10, 12]
    else:
        assert loaded.df.empty and name in loaded.error and expected in loaded.error


@pytest.mark.parametrize("name", sorted(CASES))
def test_profile_and_preview_give_a_table_or_a_message(folder, name):
    path = folder / "raw" / name
    table = profile(load_csv(path).df)
    assert isinstance(table, pd.DataFrame)
    if CASES[name][1] is None:
        assert set(table.column) == {"date", "spend"}
        assert len(preview(path)) == 2
    else:
        with pytest.raises(CatalogError, match=name.replace(".", r"\.")):
            preview(path)


def test_validate_folder_names_each_problem(folder):
    results = {r.name: r for r in validate_folder(folder)}
    for name, (_, expected) in CASES.items():
        check = results[f"raw/{name}"]
        assert check.passed == (expected is None), (name, check.detail)
        assert expected is None or expected in check.detail
    extreme = results["raw/extreme.csv"]
    assert not extreme.passed
    for problem in ("2 infinite values in spend", "1 values beyond ±1e+15 in spend", "2 NaN values in clicks"):
        assert problem in extreme.detail


def test_inventory_lists_every_file_with_its_error(folder):
    inv = inventory(folder).set_index("file")
    for name, (_, expected) in CASES.items():
        error = inv.loc[f"raw/{name}", "error"]
        assert pd.isna(error) if expected is None else (expected in error), (name, error)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_upload_accepts_or_says_why(tmp_path, name):
    content, expected = CASES[name]
    check = check_upload(name, content, tmp_path)
    assert check.ok == (expected is None), check.message
    assert expected is None or expected in check.message


def test_upload_of_impossible_numbers_is_refused_with_column_and_count(tmp_path):
    check = check_upload("extreme.csv", EXTREME, tmp_path)
    assert not check.ok and "2 infinite values in spend" in check.message and "NaN values in clicks" in check.message
    assert not any(tmp_path.iterdir())  # checking writes nothing


def test_finite_large_but_plausible_numbers_pass(tmp_path):
    check = check_upload("big.csv", b"date,spend\n2025-01-01,999999999999999\n2025-01-02,NaNcy\n", tmp_path)
    assert check.ok, check.message  # 1e15 - 1 is allowed; "NaNcy" is text, not a NaN


def test_size_cap_is_reported_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(loading, "MAX_CSV_BYTES", 1024)
    path = tmp_path / "big.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 1000)
    loaded = load_csv(path)
    assert loaded.df.empty and "big.csv is" in loaded.error and "larger than" in loaded.error
    assert "larger than" in loading.parse_csv(path.read_bytes(), "big.csv").error


def test_markdown_upload_in_utf16_is_refused_clearly(tmp_path):
    check = check_upload("notes.md", "# Notes\n\nhello\n".encode("utf-16"), tmp_path)
    assert not check.ok and "utf-16" in check.message and "UTF-8" in check.message


def test_data_page_renders_with_a_cr_only_csv(app_env):  # noqa: F811 - the fixture imported above
    bad = app_env / "raw" / "cr_only_export.csv"
    bad.write_bytes(b"week,spend\r2025-01-06,10\r2025-01-13,11\r")
    try:
        at = open_app("pages/data.py")
        inv = at.dataframe[0].value.set_index("file")
        assert inv.loc["raw/cr_only_export.csv", "rows"] == 2
        at.selectbox(key="explore_file").set_value("raw/cr_only_export.csv").run()
        assert not at.exception, [e.value for e in at.exception]
        profiles = [df.value for df in at.dataframe if "null_pct" in df.value.columns]
        assert profiles and set(profiles[0].column) == {"week", "spend"}
        at.button(key="run_validation").click().run()
        assert not at.exception
    finally:
        bad.unlink()
