"""Value per KPI unit and currency kept beside a mapped table as a validated JSON sidecar (never a pickle)."""

from __future__ import annotations

import json
import pickle

import pandas as pd
import pytest

from core.mmm.data import MmmDataError
from core.mmm.mapping import save
from core.mmm.units import (
    MAX_SIDECAR_BYTES,
    UNITS_SCHEMA,
    DatasetUnits,
    load_units,
    save_units,
    units_path,
)


@pytest.fixture
def saved_table(tmp_path):
    """A mapped table saved the way the dashboard saves uploads: upload_<hash>.csv."""
    table = pd.DataFrame({"week_start": ["2024-01-01", "2024-01-08"], "spend_x1": [0.3, 0.0], "kpi": [5.0, 6.0]})
    return save(table, tmp_path / "uploads")


def test_units_round_trip_beside_the_table(saved_table):
    units = DatasetUnits(value_per_unit=2.5, currency="EUR", kpi_name="y")
    path = save_units(saved_table, units)
    assert path == saved_table.with_name(saved_table.stem + ".units.json") == units_path(saved_table)
    assert path.name.startswith("upload_") and path.name.endswith(".units.json")
    assert load_units(saved_table) == units
    assert json.loads(path.read_text())["schema"] == UNITS_SCHEMA


def test_a_table_without_units_has_none(saved_table):
    assert load_units(saved_table) is None


def test_saving_again_replaces_the_units(saved_table):
    save_units(saved_table, DatasetUnits(150.0, "GBP", "leads"))
    save_units(saved_table, DatasetUnits(0.75, "$", "orders"))
    assert load_units(saved_table) == DatasetUnits(0.75, "$", "orders")
    assert [p.name for p in saved_table.parent.iterdir() if p.name.endswith(".tmp")] == []  # atomic: no leftovers


def test_an_integer_value_is_stored_as_a_float(saved_table):
    save_units(saved_table, DatasetUnits(200, "GBP", "leads"))
    loaded = load_units(saved_table)
    assert loaded is not None and isinstance(loaded.value_per_unit, float) and loaded.value_per_unit == 200.0


@pytest.mark.parametrize("value,currency,kpi,message", [
    (0.0, "GBP", "leads", "positive number"),
    (-3.0, "GBP", "leads", "positive number"),
    (float("nan"), "GBP", "leads", "positive number"),
    (float("inf"), "GBP", "leads", "positive number"),
    (True, "GBP", "leads", "positive number"),
    ("150", "GBP", "leads", "positive number"),
    (10**400, "GBP", "leads", "positive number"),
    (1.0, "", "leads", "currency"),
    (1.0, "pounds sterling", "leads", "currency"),
    (1.0, "EURO_LONG", "leads", "currency"),
    (1.0, "GBP", "", "KPI name"),
    (1.0, "GBP", "   ", "KPI name"),
    (1.0, "GBP", "x" * 201, "KPI name"),
    (1.0, "GBP", "lead\ns", "KPI name"),
])
def test_nonsense_units_are_refused_when_made(value, currency, kpi, message):
    with pytest.raises(MmmDataError, match=message):
        DatasetUnits(value, currency, kpi)


def _write_sidecar(table_path, text: str | bytes) -> None:
    path = units_path(table_path)
    path.write_bytes(text.encode() if isinstance(text, str) else text)


GOOD = {"schema": UNITS_SCHEMA, "value_per_unit": 2.0, "currency": "EUR", "kpi_name": "y"}


@pytest.mark.parametrize("content,message", [
    ("not json", "not a readable units file"),
    (json.dumps([1, 2]), "expected fields"),
    (json.dumps({**GOOD, "extra": 1}), "expected fields"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "currency"}), "expected fields"),
    (json.dumps({**GOOD, "schema": 99}), "schema 99"),
    (json.dumps({**GOOD, "schema": True}), "schema True"),
    (json.dumps({**GOOD, "value_per_unit": -1}), "positive number"),
    (json.dumps({**GOOD, "value_per_unit": "2"}), "positive number"),
    ('{"schema": 1, "value_per_unit": NaN, "currency": "EUR", "kpi_name": "y"}', "non-standard number NaN"),
    (json.dumps({**GOOD, "currency": 5}), "currency"),
    (b"\xff\xfe\x00binary", "not a readable units file"),
])
def test_a_bad_sidecar_is_refused_with_its_name(saved_table, content, message):
    _write_sidecar(saved_table, content)
    with pytest.raises(MmmDataError, match=message) as err:
        load_units(saved_table)
    assert units_path(saved_table).name in str(err.value)


def test_a_pickle_in_the_sidecar_is_refused_not_run(saved_table, tmp_path):
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (marker.write_text, ("pickle ran",))

    _write_sidecar(saved_table, pickle.dumps(Payload()))
    with pytest.raises(MmmDataError, match="not a readable units file"):
        load_units(saved_table)
    assert not marker.exists()


def test_an_oversized_sidecar_is_not_read(saved_table):
    padding = " " * (MAX_SIDECAR_BYTES + 1)
    _write_sidecar(saved_table, json.dumps(GOOD) + padding)  # valid JSON, but no units file is this big
    with pytest.raises(MmmDataError, match="larger than any units file"):
        load_units(saved_table)
