"""Validation of any data folder: generic per-file checks, plus the world's own checks when it is one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from PIL import Image, UnidentifiedImageError

from core.catalog.inventory import data_files
from core.catalog.loading import load_csv
from core.catalog.schemas import NON_NEGATIVE, REQUIRED_COLUMNS

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class FileCheck:
    """One validation verdict: what was checked, whether it passed, and why not."""

    name: str
    passed: bool
    detail: str


def csv_problems(name: str, df: pd.DataFrame) -> list[str]:
    """Problems of a parsed CSV: no rows, missing expected columns, unparsable dates, negatives, clicks > impressions."""
    problems = []
    if df.empty:
        problems.append("no data rows")
    missing = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in df.columns]
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    for col in [c for c in df.columns if "date" in c.lower() or c.lower() in ("week_start", "date")]:
        bad = pd.to_datetime(df[col], errors="coerce", format="mixed").isna() & df[col].notna()
        if bad.any():
            problems.append(f"{int(bad.sum())} unparsable dates in {col}")
    for col in [c for c in df.columns if c.lower() in NON_NEGATIVE]:
        values = pd.to_numeric(df[col], errors="coerce")
        if (values < 0).any():
            problems.append(f"{int((values < 0).sum())} negative values in {col}")
    if {"clicks", "impressions"} <= set(df.columns):
        over = pd.to_numeric(df.clicks, errors="coerce") > pd.to_numeric(df.impressions, errors="coerce")
        if over.any():
            problems.append(f"clicks exceed impressions in {int(over.sum())} rows")
    return problems


def check_file(path: Path, data_dir: Path) -> FileCheck:
    """Generic checks for one file by kind."""
    name = str(path.relative_to(data_dir))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        loaded = load_csv(path)
        problems = [loaded.error] if loaded.error else csv_problems(path.name, loaded.df)
        if not problems and path.name == "asset_manifest.csv" and "file" in loaded.df:
            missing = [f for f in loaded.df.file.astype(str) if not (path.parent / f).is_file()]
            problems += [f"{len(missing)} listed images missing, e.g. {missing[0]}"] if missing else []
        ok = f"{len(loaded.df):,} rows × {len(loaded.df.columns)} columns"
    elif suffix == ".md":
        try:
            text = path.read_text(encoding="utf-8")
            problems = [] if text.strip() else ["empty document"]
        except (OSError, UnicodeDecodeError) as exc:
            problems = [f"not readable as UTF-8 text ({exc})"]
        ok = "readable text"
    elif suffix in IMAGE_SUFFIXES:
        try:
            with Image.open(path) as img:
                img.verify()
            problems = []
        except (OSError, UnidentifiedImageError) as exc:
            problems = [f"not a readable image ({exc})"]
        ok = "readable image"
    else:
        return FileCheck(name, True, "not checked (unknown kind)")
    return FileCheck(name, not problems, "; ".join(problems) if problems else ok)


def validate_folder(data_dir: Path, folder_checks: Callable[[Path], list[FileCheck]] | None = None
                    ) -> list[FileCheck]:
    """Per-file checks for every file, then any whole-folder checks given (e.g. a generated world's own);
    nothing raises on bad files."""
    data_dir = Path(data_dir)
    files = [check_file(p, data_dir) for p in data_files(data_dir)]
    return files + (folder_checks(data_dir) if folder_checks else [])
