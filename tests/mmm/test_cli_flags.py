"""`python -m core.mmm` on any weekly file: column flags, value per unit and currency; bad flags are one line, exit 2."""

from __future__ import annotations

import json

import pytest

from core.mmm.__main__ import main
from core.mmm.pymc_example import simulate_pymc_example

FLAGS = ["--date-col", "date_week", "--spend", "x1,x2", "--controls", "event_1,event_2,t", "--target", "y"]
FAST = ["--bootstrap", "0"]  # every call maps to the same table and config, so the module fits once


@pytest.fixture(scope="module")
def example_csv(tmp_path_factory):
    """PyMC-Marketing's example (simulated at the published seed) as a CSV in its own layout."""
    path = tmp_path_factory.mktemp("pymc") / "mmm_example.csv"
    simulate_pymc_example().table.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    """One data folder for the module, so the fit cache is shared by its tests."""
    return tmp_path_factory.mktemp("data")


def _run(argv: list[str], capsys, monkeypatch, data_dir) -> tuple[int, str, list[str]]:
    monkeypatch.setenv("MIP_DATA_DIR", str(data_dir))
    monkeypatch.delenv("MIP_VALUE_PER_LEAD", raising=False)
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def _json(argv, capsys, monkeypatch, data_dir) -> dict:
    code, out, err = _run([*argv, "--json"], capsys, monkeypatch, data_dir)
    assert code == 0, err
    return json.loads(out)


def test_roi_reads_the_example_in_its_own_columns_units_and_currency(example_csv, data_dir, capsys, monkeypatch):
    out = _json(["roi", "--data", str(example_csv), *FLAGS, "--value-per-unit", "2", "--currency", "EUR", *FAST],
                capsys, monkeypatch, data_dir)
    assert out["kpi"] == "y" and out["currency"] == "EUR" and out["value_per_unit"] == 2.0
    assert set(out["channels"]) == {"x1", "x2"}
    assert out["mapping"] == {"date": "date_week", "dates_read": "ISO (YYYY-MM-DD)", "kpi": "y",
                              "spend": {"x1": "x1", "x2": "x2"}, "controls": ["event_1", "event_2", "t"]}
    assert out["periods"] == {"roi": "last 52 weeks", "contribution_per_unit": "all 179 weeks"}
    for row in out["channels"].values():
        assert row["roi"] == pytest.approx(row["contribution"] * 2.0 / row["spend"], rel=1e-9)
        assert row["contribution_per_unit"] > 0
    saved = list((data_dir / "cache" / "uploads").glob("upload_*.csv"))
    assert len(saved) == 1 and saved[0].read_text().startswith("week_start,spend_x1,spend_x2,event_1,event_2,t,kpi")


def test_value_per_unit_scales_money_and_nothing_else(example_csv, data_dir, capsys, monkeypatch):
    low = _json(["roi", "--data", str(example_csv), *FLAGS, "--value-per-unit", "2", *FAST], capsys, monkeypatch,
                data_dir)
    high = _json(["roi", "--data", str(example_csv), *FLAGS, "--value-per-unit", "3", *FAST], capsys, monkeypatch,
                 data_dir)
    assert low["currency"] == high["currency"] == "GBP"  # the default currency
    for ch in ("x1", "x2"):
        assert high["channels"][ch]["roi"] / low["channels"][ch]["roi"] == pytest.approx(1.5)
        assert high["channels"][ch]["marginal_roi"] / low["channels"][ch]["marginal_roi"] == pytest.approx(1.5)
        assert high["channels"][ch]["contribution_per_unit"] == low["channels"][ch]["contribution_per_unit"]


def test_without_a_value_flag_money_uses_the_setting(example_csv, data_dir, capsys, monkeypatch):
    monkeypatch.setenv("MIP_VALUE_PER_LEAD", "40")
    monkeypatch.setenv("MIP_DATA_DIR", str(data_dir))
    assert main(["roi", "--data", str(example_csv), *FLAGS, *FAST, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["value_per_unit"] == 40.0


def test_flags_left_out_are_guessed_from_the_file(example_csv, data_dir, capsys, monkeypatch):
    out = _json(["roi", "--data", str(example_csv), "--spend", "x1,x2", *FAST], capsys, monkeypatch, data_dir)
    assert out["kpi"] == "y" and out["mapping"]["date"] == "date_week"
    assert out["mapping"]["controls"] == ["event_1", "event_2", "t"]  # dayofyear is the date again: left out
    none = _json(["summary", "--data", str(example_csv), *FLAGS[:4], "--controls", ""], capsys, monkeypatch,
                 data_dir)
    assert none["mapping"]["controls"] == []


def test_whatif_optimize_and_summary_report_the_currency(example_csv, data_dir, capsys, monkeypatch):
    table = simulate_pymc_example().table
    base = ["--data", str(example_csv), *FLAGS, "--value-per-unit", "0.5", "--currency", "USD", *FAST]
    what = _json(["whatif", *base, "--set", "x1=20"], capsys, monkeypatch, data_dir)
    assert what["currency"] == "USD" and what["revenue"] == pytest.approx(what["kpi"] * 0.5)
    plan = _json(["optimize", *base], capsys, monkeypatch, data_dir)
    assert plan["currency"] == "USD" and set(plan["optimal"]) == set(plan["current"]) == {"x1", "x2"}
    for ch, now in plan["current"].items():  # within the default ±30% of each channel's spend, in the file's units
        assert 0.7 * now - 1 <= plan["optimal"][ch] <= 1.3 * now + 1
    summary = _json(["summary", *base], capsys, monkeypatch, data_dir)
    assert summary["currency"] == "USD" and summary["weeks_of_data"] == 179
    assert summary["channel_breakdown"] == pytest.approx({"x1": table.x1.sum(), "x2": table.x2.sum()})


def test_without_mapping_flags_the_file_must_already_be_in_model_layout(example_csv, data_dir, capsys, monkeypatch):
    code, _, err = _run(["roi", "--data", str(example_csv), *FAST], capsys, monkeypatch, data_dir)
    assert code == 2 and len(err) == 1 and "no date column found" in err[0]


def test_a_mapped_table_that_cannot_be_saved_is_used_from_memory(example_csv, tmp_path, capsys, monkeypatch):
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data folder should be")
    code, out, err = _run(["summary", "--data", str(example_csv), *FLAGS, "--json"], capsys, monkeypatch,
                          not_a_folder)
    assert code == 0 and json.loads(out)["channel_breakdown"].keys() == {"x1", "x2"}
    assert len(err) == 1 and err[0].startswith("warning: ") and "could not be saved" in err[0]


@pytest.mark.parametrize("extra,message", [
    (["--spend", "x1,x9"], "--spend: no column 'x9' in the file; its columns are date_week, y, x1"),
    (["--date-col", "when"], "--date-col: no column 'when'"),
    (["--spend", "x1", "--target", "sales"], "--target: no column 'sales'"),
    (["--controls", "event_1,,t"], "--controls 'event_1,,t' has an empty column name"),
    (["--spend", "x1,x1"], "--spend names 'x1' twice"),
    (["--spend", "x1,x2", "--controls", "x1"], "'x1' is given to both --spend and --controls"),
    (["--spend", "y,x1", "--target", "y"], "'y' is given to both --target and --spend"),
    (["--date-col", "y", "--target", "x1", "--spend", "x2"], "date column 'y' holds numbers (e.g. 3984.66), not dates"),
    (["--spend", "x1", "--value-per-unit", "0"], "value per KPI unit must be a positive number"),
    (["--spend", "x1", "--value-per-unit", "nan"], "value per KPI unit must be a positive number"),
    (["--spend", "x1", "--currency", ""], "currency must be a code or symbol"),
    (["--spend", "x1", "--currency", "euro notes"], "currency must be a code or symbol"),
])
def test_bad_flags_are_one_line_and_exit_2(example_csv, data_dir, capsys, monkeypatch, extra, message):
    code, out, err = _run(["roi", "--data", str(example_csv), *extra, *FAST], capsys, monkeypatch, data_dir)
    assert code == 2 and out == ""
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0], err


@pytest.mark.parametrize("argv", [["bench", "--spend", "x1"], ["prepare", "--currency", "EUR"]])
def test_table_flags_on_commands_without_a_table_are_refused(argv, data_dir, capsys, monkeypatch):
    code, _, err = _run(argv, capsys, monkeypatch, data_dir)
    assert code == 2 and len(err) == 1 and "only apply to regression|roi|optimize|adstock|summary|whatif" in err[0]


def test_a_missing_file_with_flags_is_one_line(tmp_path, data_dir, capsys, monkeypatch):
    code, _, err = _run(["roi", "--data", str(tmp_path / "nope.csv"), *FLAGS], capsys, monkeypatch, data_dir)
    assert code == 2 and len(err) == 1 and "does not exist" in err[0]
