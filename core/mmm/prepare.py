"""`prepare`: a folder of raw exports (DIR/raw/*.csv) → the weekly MMM table and a mapping.json of every decision.

The decisions are made from the data (core.mmm.prepare_plan), applied by core.mmm.prepare_build, and recorded
as a PrepareMapping a user may correct and re-run (`--mapping FILE`). Only this module reads and writes files.
A model_ready.csv prepare did not write (no mapping.json beside it recording its SHA-256) is never replaced
unless asked (`force`), and then the old file is kept as model_ready.csv.bak.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from core.atomic import write_atomic
from core.catalog.loading import load_csv
from core.mmm.data import MmmDataError
from core.mmm.prepare_build import build
from core.mmm.prepare_plan import KpiChoice, plan
from core.mmm.prepare_types import PrepareMapping, SkippedFile, load_mapping

RAW_DIR = "raw"
MMM_DIR = "mmm"
MODEL_READY = "model_ready.csv"
MAPPING_FILE = "mapping.json"  # beside model_ready.csv; any other output FILE gets FILE's stem + MAPPING_SUFFIX
MAPPING_SUFFIX = ".mapping.json"
BACKUP_SUFFIX = ".bak"
NOT_IN_MAPPING = "not in the mapping (new since it was made); run prepare without --mapping to consider it"

__all__ = ["KpiChoice", "PrepareMapping", "PrepareResult", "load_mapping", "mapping_path_for", "prepare_frames",
           "read_raw", "run_prepare", "written_by_prepare"]


@dataclass(frozen=True)
class PrepareResult:
    """What run_prepare wrote: the table, its mapping, and the backup of a replaced user file (if any)."""

    table_path: Path
    mapping_path: Path
    mapping: PrepareMapping
    backup_path: Path | None = None

    def to_dict(self) -> dict:
        """JSON-ready: the paths and the mapping."""
        return {"table": str(self.table_path), "mapping_file": str(self.mapping_path),
                "backup": None if self.backup_path is None else str(self.backup_path), **self.mapping.to_dict()}


def read_raw(raw_dir: Path) -> tuple[dict[str, pd.DataFrame], tuple[SkippedFile, ...]]:
    """Every readable CSV directly in raw_dir by file name, and the unreadable ones with the catalog's reason."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise MmmDataError(f"{raw_dir} is not a folder; put the raw exports (CSV files) in DIR/{RAW_DIR} and pass "
                           "--data DIR")
    frames, unreadable = {}, []
    for path in sorted(raw_dir.glob("*.csv")):
        loaded = load_csv(path)
        if loaded.error:
            unreadable.append(SkippedFile(path.name, f"unreadable: {loaded.error}"))
        else:
            frames[path.name] = loaded.df
    return frames, tuple(unreadable)


def _rebased(mapping: PrepareMapping, frames: Mapping[str, pd.DataFrame],
             unreadable: Sequence[SkippedFile]) -> PrepareMapping:
    """A loaded mapping's skipped list brought up to date with the folder: unreadable and new files named."""
    bad = {s.file: s for s in unreadable}
    used = set(mapping.files)
    kept = [bad.get(s.file, s) for s in mapping.skipped if s.file in frames or s.file in bad]
    listed = {s.file for s in kept} | used
    new = [SkippedFile(f, NOT_IN_MAPPING) for f in frames if f not in listed]
    extra_bad = [s for s in unreadable if s.file not in listed]
    missing = [f for f in mapping.files if f not in frames]
    if missing:
        why = "; ".join(f"{f}: {bad[f].reason}" if f in bad else f"{f}: not in the folder" for f in missing)
        raise MmmDataError(f"the mapping uses files that cannot be read ({why}); restore them or correct the mapping")
    return replace(mapping, skipped=tuple(sorted(kept + new + extra_bad, key=lambda s: s.file)), warnings=(), sha256="")


def prepare_frames(frames: Mapping[str, pd.DataFrame], kpi: KpiChoice | None = None,
                   mapping: PrepareMapping | None = None,
                   unreadable: Sequence[SkippedFile] = ()) -> tuple[pd.DataFrame, PrepareMapping]:
    """The weekly table and its mapping from raw frames: decided from the data, or from a (corrected) mapping."""
    chosen = plan(frames, kpi, unreadable) if mapping is None else _rebased(mapping, frames, unreadable)
    return build(frames, chosen)


def mapping_path_for(table_path: Path) -> Path:
    """Where the mapping of a table lives: mapping.json beside model_ready.csv, else <stem>.mapping.json."""
    table_path = Path(table_path)
    if table_path.name == MODEL_READY:
        return table_path.with_name(MAPPING_FILE)
    return table_path.with_name(table_path.stem + MAPPING_SUFFIX)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def written_by_prepare(table_path: Path) -> bool:
    """True when the mapping beside the table records the table's SHA-256 (prepare wrote it, nobody changed it)."""
    try:
        recorded = json.loads(mapping_path_for(table_path).read_text(encoding="utf-8")).get("sha256")
        return bool(recorded) and recorded == _sha256(Path(table_path).read_bytes())
    except (OSError, ValueError, AttributeError):
        return False


def _backup_path(table_path: Path) -> Path:
    """model_ready.csv.bak, or .bak.2, .bak.3 ... so an earlier backup is never replaced."""
    candidate, n = table_path.with_name(table_path.name + BACKUP_SUFFIX), 2
    while candidate.exists():
        candidate, n = table_path.with_name(f"{table_path.name}{BACKUP_SUFFIX}.{n}"), n + 1
    return candidate


def write_prepared(table: pd.DataFrame, mapping: PrepareMapping, table_path: Path,
                   force: bool = False) -> tuple[PrepareMapping, Path | None]:
    """Write the table and its mapping (atomically); refuse to replace a table prepare did not write unless force.

    Returns the mapping as written (with the table's SHA-256) and the backup of a replaced file, if any.
    """
    table_path = Path(table_path)
    if table_path.is_dir():
        raise MmmDataError(f"{table_path} is a folder; pass --out FILE.csv")
    backup = None
    if table_path.exists() and not written_by_prepare(table_path):
        if not force:
            raise MmmDataError(f"{table_path} exists and was not written by prepare (no {mapping_path_for(table_path).name}"
                               " beside it records its SHA-256); pass --out FILE to write elsewhere, or --force to "
                               f"replace it (the old file is kept as {table_path.name}{BACKUP_SUFFIX})")
        backup = _backup_path(table_path)
        write_atomic(backup, table_path.read_bytes())
    data = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    done = replace(mapping, sha256=_sha256(data))
    write_atomic(table_path, data)
    write_atomic(mapping_path_for(table_path), json.dumps(done.to_dict(), indent=2) + "\n")
    return done, backup


def run_prepare(data_dir: Path, out: Path | None = None, kpi: str | None = None, mapping_file: Path | None = None,
                force: bool = False) -> PrepareResult:
    """Read DIR/raw, decide (or apply mapping_file), write DIR/mmm/model_ready.csv (or out) and its mapping."""
    data_dir = Path(data_dir)
    frames, unreadable = read_raw(data_dir / RAW_DIR)
    mapping = None if mapping_file is None else load_mapping(mapping_file)
    if mapping is not None and kpi is not None:
        raise MmmDataError("--kpi and --mapping cannot be combined: set the KPI in the mapping's 'kpi' entry")
    table, done = prepare_frames(frames, None if kpi is None else KpiChoice.parse(kpi), mapping, unreadable)
    table_path = Path(out) if out is not None else data_dir / MMM_DIR / MODEL_READY
    written, backup = write_prepared(table, done, table_path, force)
    return PrepareResult(table_path, mapping_path_for(table_path), written, backup)


def kpi_of(table_path: Path, default: str = "leads") -> str:
    """The KPI column of a weekly table: the one its prepare mapping names, else the generated world's."""
    mapping = mapping_path_for(Path(table_path))
    if not written_by_prepare(Path(table_path)) or not mapping.exists():
        return default
    return load_mapping(mapping).kpi.name
