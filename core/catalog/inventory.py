"""What is in a data folder: one row per file with its category, channel, size and shape."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd

from core.catalog.categories import category_of, channel_of
from core.catalog.loading import load_csv
from core.catalog.paths import FolderScan, Skipped, data_files_inside

KINDS = {".csv": "csv", ".md": "markdown", ".png": "image", ".jpg": "image", ".jpeg": "image", ".webp": "image"}
SKIP_DIRS = {"index", "cache"}
COLUMNS = ["file", "category", "channel", "kind", "rows", "columns", "size_bytes", "modified", "error"]


def scan(data_dir: Path) -> FolderScan:
    """The data files under data_dir (not the index, caches or hidden files) and the entries skipped, e.g. a
    symlink whose real path is outside the data folder."""
    return data_files_inside(Path(data_dir), skip_dirs=SKIP_DIRS)


def data_files(data_dir: Path) -> list[Path]:
    """Every file under data_dir whose real path lies inside it, except the index, caches and hidden files, sorted."""
    return scan(data_dir).files


def skipped_files(data_dir: Path) -> list[Skipped]:
    """Entries under data_dir that are not data, with why ('raw/x.csv points outside the data folder')."""
    return scan(data_dir).skipped


def describe(path: Path, data_dir: Path) -> dict:
    """One inventory row: CSVs are parsed for rows/columns, a broken one gets its error."""
    stat = path.stat()
    kind = KINDS.get(path.suffix.lower(), "other")
    row = {"file": str(path.relative_to(data_dir)), "category": category_of(path).value,
           "channel": channel_of(path), "kind": kind, "rows": None, "columns": None,
           "size_bytes": stat.st_size, "modified": datetime.fromtimestamp(stat.st_mtime), "error": None}
    if kind == "csv":
        loaded = load_csv(path)
        row["error"] = loaded.error
        if loaded.error is None:
            row["rows"], row["columns"] = len(loaded.df), len(loaded.df.columns)
    elif kind == "markdown":
        try:
            row["rows"] = len(path.read_text(encoding="utf-8").splitlines())
        except (OSError, UnicodeDecodeError) as exc:
            row["error"] = f"cannot read {path.name} as UTF-8 text: {exc}"
    return row


def inventory(data_dir: Path) -> pd.DataFrame:
    """The inventory table of a data folder (empty, with the same columns, when there is nothing)."""
    data_dir = Path(data_dir)
    rows = [describe(p, data_dir) for p in data_files(data_dir)]
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.astype({"rows": "Int64", "columns": "Int64"})
