"""Validation of any data folder: generic per-file checks, plus the world's own checks when it is one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, UnidentifiedImageError

from core.catalog.inventory import data_files
from core.catalog.loading import LoadedCsv, load_csv
from core.catalog.schemas import NON_NEGATIVE, REQUIRED_COLUMNS

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
ABSURD_MAGNITUDE = 1e15  # no spend, count or price in this domain comes near a quadrillion
NUMERIC_SHARE = 0.5  # a text column counts as numeric when at least this share of its values parse as numbers


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


def numeric_values(s: pd.Series) -> pd.Series | None:
    """The column as floats when it is numeric (or mostly numbers stored as text), else None; bools are not."""
    if pd.api.types.is_bool_dtype(s):
        return None
    if pd.api.types.is_numeric_dtype(s):
        return s.astype(float)
    present = s.dropna()
    values = pd.to_numeric(present.astype(str).str.strip(), errors="coerce")
    return values if len(present) and values.notna().mean() >= NUMERIC_SHARE else None


def number_problems(df: pd.DataFrame, nan_text: Mapping[str, int] | None = None,
                    limit: float = ABSURD_MAGNITUDE) -> list[str]:
    """Numeric columns holding infinities, cells spelled NaN, or values with |x| > limit, with column and count."""
    problems = []
    for col in df.columns:
        values = numeric_values(df[col])
        if values is None:
            continue
        arr = values.to_numpy(dtype=float, na_value=np.nan)
        infinite = int(np.isinf(arr).sum())
        absurd = int((np.isfinite(arr) & (np.abs(arr) > limit)).sum())
        spelled_nan = int((nan_text or {}).get(str(col), 0))
        if infinite:
            problems.append(f"{infinite} infinite values in {col}")
        if spelled_nan:
            problems.append(f"{spelled_nan} NaN values in {col}")
        if absurd:
            problems.append(f"{absurd} values beyond ±{limit:.0e} in {col}")
    return problems


def loaded_problems(name: str, loaded: LoadedCsv) -> list[str]:
    """Everything wrong with a loaded CSV: its parse error, or its content and number problems."""
    if loaded.error:
        return [loaded.error]
    return csv_problems(name, loaded.df) + number_problems(loaded.df, loaded.nan_text)


def check_file(path: Path, data_dir: Path) -> FileCheck:
    """Generic checks for one file by kind."""
    name = str(path.relative_to(data_dir))
    if not path.resolve().is_relative_to(Path(data_dir).resolve()):
        return FileCheck(name, False, "links to a file outside the data folder; not read")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        loaded = load_csv(path)
        problems = loaded_problems(path.name, loaded)
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
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as exc:
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
