"""Per-column profiles and previews of data files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
from PIL import Image, UnidentifiedImageError

from core.catalog.loading import CatalogError, load_csv

MARKDOWN_PREVIEW_CHARS = 4000
IMAGE_ERRORS = (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError)


def column_type(s: pd.Series) -> str:
    """numeric, bool, date or text."""
    if pd.api.types.is_bool_dtype(s):
        return "bool"
    if pd.api.types.is_numeric_dtype(s):
        return "numeric"
    sample = s.dropna().astype(str).head(50)
    if len(sample) and pd.to_datetime(sample, errors="coerce", format="mixed").notna().all():
        return "date"
    return "text"


def profile(df: pd.DataFrame) -> pd.DataFrame:
    """One row per column: type, nulls, null %, min, max, distinct values, an example."""
    rows = []
    for name in df.columns:
        s = df[name]
        kind = column_type(s)
        present = s.dropna()
        lo = hi = None
        if len(present) and kind in ("numeric", "date"):
            vals = present if kind == "numeric" else pd.to_datetime(present, errors="coerce", format="mixed")
            lo, hi = str(vals.min()), str(vals.max())
        rows.append({"column": str(name), "type": kind, "nulls": int(s.isna().sum()),
                     "null_pct": round(100 * float(s.isna().mean()), 1) if len(s) else 0.0,
                     "min": lo, "max": hi, "distinct": int(s.nunique()),
                     "example": str(present.iloc[0]) if len(present) else None})
    return pd.DataFrame(rows, columns=["column", "type", "nulls", "null_pct", "min", "max", "distinct", "example"])


def text_head(path: Path, chars: int = MARKDOWN_PREVIEW_CHARS) -> str:
    """The first `chars` characters of a UTF-8 text file, reading only that much; CatalogError when unreadable."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4 * chars)  # a UTF-8 character is at most 4 bytes
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(head) < 4 * chars)
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read {path.name} as UTF-8 text: {exc}") from None
    if "\x00" in text:
        raise CatalogError(f"cannot read {path.name} as UTF-8 text: it contains NUL bytes (binary or UTF-16)")
    return text[:chars]


def preview(path: Path, n: int = 20) -> pd.DataFrame | str:
    """First n rows of a CSV, the start of a text file, or an image's size; CatalogError (a message naming the
    file, nothing else) when unreadable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        loaded = load_csv(path)
        if loaded.error:
            raise CatalogError(loaded.error)
        return loaded.df.head(n)
    if suffix in (".png", ".jpg", ".jpeg", ".webp"):
        try:
            with Image.open(path) as img:
                return f"{path.name}: {img.width}×{img.height} {img.format} image"
        except IMAGE_ERRORS as exc:
            raise CatalogError(f"{path.name} is not a readable image: {exc}") from None
    return text_head(path)
