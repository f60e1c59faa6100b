"""What one KPI unit is worth and in which currency, kept beside a mapped table as a small JSON sidecar.

A mapped upload is saved as `upload_<hash>.csv` (core.mmm.mapping.save); its units go to
`upload_<hash>.units.json` next to it. The sidecar is JSON with a schema version and exactly the expected
fields, checked on load: never a pickle, so a file someone else wrote can at worst be refused.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from core.atomic import write_atomic
from core.mmm.data import MmmDataError

UNITS_SCHEMA = 1  # layout of the sidecar; bump when its fields change
UNITS_SUFFIX = ".units.json"
DEFAULT_CURRENCY = "GBP"  # the currency of the default world (a lead's value is set in £)
MAX_CURRENCY_CHARS = 8  # "GBP", "£", "US$", "EUR": a code or a symbol, not a sentence
MAX_KPI_NAME_CHARS = 200
MAX_SIDECAR_BYTES = 64 * 2**10  # a real sidecar is under 200 bytes; a bigger file is not ours and is not read
FIELDS = frozenset({"schema", "value_per_unit", "currency", "kpi_name"})


@dataclass(frozen=True)
class DatasetUnits:
    """Money per KPI unit (value_per_unit, in `currency`) and the KPI's own name, checked on construction."""

    value_per_unit: float
    currency: str
    kpi_name: str

    def __post_init__(self) -> None:
        """Refuse values that would make every ROI wrong or a label unreadable."""
        value = self.value_per_unit
        number = isinstance(value, int | float) and not isinstance(value, bool)
        try:
            positive = number and math.isfinite(value) and value > 0
        except OverflowError:  # an integer with hundreds of digits
            positive = False
        if not positive:
            raise MmmDataError(f"value per KPI unit must be a positive number, got {value!r}")
        currency = self.currency
        if (not isinstance(currency, str) or not currency or len(currency) > MAX_CURRENCY_CHARS
                or not currency.isprintable() or any(ch.isspace() for ch in currency)):
            raise MmmDataError(f"currency must be a code or symbol of 1–{MAX_CURRENCY_CHARS} characters without "
                               f"spaces (e.g. GBP, EUR, $), got {currency!r}")
        name = self.kpi_name
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_KPI_NAME_CHARS or not name.isprintable():
            raise MmmDataError(f"KPI name must be printable text of 1–{MAX_KPI_NAME_CHARS} characters, got {name!r}")
        object.__setattr__(self, "value_per_unit", float(value))


def units_path(csv_path: Path) -> Path:
    """The sidecar of a saved table: upload_<hash>.csv → upload_<hash>.units.json."""
    csv_path = Path(csv_path)
    return csv_path.with_name(csv_path.stem + UNITS_SUFFIX)


def save_units(csv_path: Path, units: DatasetUnits) -> Path:
    """Write the units beside the table (atomically) and return the sidecar's path."""
    payload = {"schema": UNITS_SCHEMA, "value_per_unit": units.value_per_unit, "currency": units.currency,
               "kpi_name": units.kpi_name}
    return write_atomic(units_path(csv_path), json.dumps(payload, allow_nan=False, ensure_ascii=False))


def _reject_constant(name: str) -> float:
    """json.loads hook: NaN and Infinity are not JSON and never written by save_units."""
    raise ValueError(f"non-standard number {name}")


def _reason(exc: BaseException) -> str:
    """A short cause: our own NaN/Infinity refusal says which, anything else gives its type."""
    return str(exc) if str(exc).startswith("non-standard number") else exc.__class__.__name__


def _read_sidecar(path: Path) -> object:
    """The parsed JSON of a sidecar, or MmmDataError naming the file when it is not readable JSON of ours."""
    try:
        size = path.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            raise MmmDataError(f"{path.name} is {size} bytes, larger than any units file; delete it and set the "
                               "units again")
        return json.loads(path.read_text(encoding="utf-8"), parse_constant=_reject_constant)
    except MmmDataError:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:  # unreadable, binary, bad JSON, NaN
        raise MmmDataError(f"{path.name} is not a readable units file ({_reason(exc)}); delete it and set the "
                           "units again") from exc


def load_units(csv_path: Path) -> DatasetUnits | None:
    """The units saved beside a table; None when it has none; MmmDataError when the sidecar is not valid."""
    path = units_path(csv_path)
    if not path.is_file():
        return None
    entry = _read_sidecar(path)
    if not isinstance(entry, dict) or set(entry) != FIELDS:
        raise MmmDataError(f"{path.name} does not hold the expected fields {sorted(FIELDS)}")
    if entry["schema"] != UNITS_SCHEMA or isinstance(entry["schema"], bool):
        raise MmmDataError(f"{path.name} has schema {entry['schema']!r}, not {UNITS_SCHEMA}; set the units again")
    try:
        return DatasetUnits(entry["value_per_unit"], entry["currency"], entry["kpi_name"])
    except MmmDataError as exc:
        raise MmmDataError(f"{path.name}: {exc}") from exc
