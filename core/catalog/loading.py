"""Reading CSV files defensively: every failure becomes a clear, per-file message."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252")


class CatalogError(ValueError):
    """A file the catalog cannot use, with a message meant for the user."""


@dataclass(frozen=True)
class LoadedCsv:
    """A parsed CSV, or the reason it could not be parsed (df is then empty)."""

    df: pd.DataFrame
    error: str | None = None
    encoding: str | None = None


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding) trying UTF-8 first; CatalogError when no encoding fits."""
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise CatalogError("the file is not text in UTF-8 or Windows-1252 encoding")


def parse_csv(raw: bytes, name: str = "file") -> LoadedCsv:
    """Parse CSV bytes: empty files, bad encodings, missing headers and ragged rows are reported, not raised."""
    try:
        if not raw.strip():
            raise CatalogError(f"{name} is empty")
        text, enc = decode(raw)
        header = next(csv.reader(io.StringIO(text)), [])
        if not any(h.strip() for h in header):
            raise CatalogError(f"{name} has no header row")
        if len(set(header)) != len(header):
            dupes = sorted({h for h in header if header.count(h) > 1})
            raise CatalogError(f"{name} repeats column names: {', '.join(dupes)}")
        try:
            df = pd.read_csv(io.StringIO(text), low_memory=False)
        except pd.errors.ParserError as exc:
            raise CatalogError(f"{name} has rows with more fields than its header ({str(exc).strip()})") from None
        except pd.errors.EmptyDataError:
            raise CatalogError(f"{name} has no data") from None
        return LoadedCsv(df, None, enc)
    except CatalogError as exc:
        return LoadedCsv(pd.DataFrame(), str(exc), None)


def load_csv(path: Path) -> LoadedCsv:
    """Read and parse a CSV file (see parse_csv); an unreadable file is reported the same way."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return LoadedCsv(pd.DataFrame(), f"cannot read {path.name}: {exc.strerror or exc}")
    return parse_csv(raw, path.name)
