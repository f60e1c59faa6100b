"""Reading CSV files defensively: every failure becomes a clear, per-file message, never an exception."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

MAX_CSV_BYTES = 50 * 1024 * 1024  # the most the catalog reads of one file (uploads share the limit)
MAX_COLUMNS = 2_000  # wider "CSVs" are almost always a broken export, and too wide to profile or preview
# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
)
FALLBACK_ENCODINGS = ("utf-8", "cp1252")  # tried in order when there is no byte-order mark and no NUL byte
WIDE_NUL_SHARE = 0.5  # NULs in at least this share of one byte lane mark UTF-16/32 text without a BOM
NAN_CELL = re.compile(r'(?im)(?:^|,)[ \t]*"?[+-]?nan"?[ \t]*(?=,|$)')
NAN_SPELLINGS = frozenset({"nan", "-nan", "+nan"})
# A column of numbers as a formatted spreadsheet exports them ("1,624.84"): every value plain or grouped by
# thousands, at least one grouped. Currency marks are left alone: the column's name, not a stripped £, says money.
GROUPED_NUMBER = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?"
PLAIN_NUMBER = r"[+-]?\d+(?:\.\d+)?"
NUL_MESSAGE = ("the file contains NUL bytes: it is binary, or UTF-16/UTF-32 text without a byte-order mark; "
               "save it as UTF-8 CSV")


class CatalogError(ValueError):
    """A file the catalog cannot use, with a message meant for the user."""


@dataclass(frozen=True)
class LoadedCsv:
    """A parsed CSV, or the reason it could not be parsed (df is then empty).

    nan_text counts, per column, cells literally spelled NaN (pandas reads them as missing values).
    """

    df: pd.DataFrame
    error: str | None = None
    encoding: str | None = None
    nan_text: Mapping[str, int] = field(default_factory=dict)


def failed(message: str) -> LoadedCsv:
    """A LoadedCsv carrying only an error message."""
    return LoadedCsv(pd.DataFrame(), message, None)


def too_large(name: str, size: int) -> str:
    """The message for a file over MAX_CSV_BYTES."""
    return (f"{name} is {size / 2**20:.1f} MB, larger than the {MAX_CSV_BYTES // 2**20} MB "
            "the catalog reads; split it into smaller files")


def wide_encoding(raw: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, guessed from which byte lanes hold the NULs (ASCII-heavy text)."""
    def lane_share(step: int, lanes: tuple[int, ...]) -> float:
        cells = [raw[i::step] for i in lanes]
        return min(c.count(0) / len(c) for c in cells) if all(cells) else 0.0

    if len(raw) % 4 == 0:
        if lane_share(4, (1, 2, 3)) >= WIDE_NUL_SHARE and lane_share(4, (0,)) < WIDE_NUL_SHARE:
            return "utf-32-le"
        if lane_share(4, (0, 1, 2)) >= WIDE_NUL_SHARE and lane_share(4, (3,)) < WIDE_NUL_SHARE:
            return "utf-32-be"
    if len(raw) % 2 == 0:
        if lane_share(2, (1,)) >= WIDE_NUL_SHARE > lane_share(2, (0,)):
            return "utf-16-le"
        if lane_share(2, (0,)) >= WIDE_NUL_SHARE > lane_share(2, (1,)):
            return "utf-16-be"
    return None


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding), see guess_decode; CatalogError also when the text still holds NULs (binary data)."""
    text, enc = guess_decode(raw)
    if "\x00" in text:
        raise CatalogError(NUL_MESSAGE)
    return text, enc


def guess_decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): a byte-order mark decides, else NUL bytes mean UTF-16/32, else UTF-8 then Windows-1252."""
    for bom, enc in BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(enc.removesuffix("-sig")), enc
            except UnicodeDecodeError:
                raise CatalogError(f"the file starts with a {enc.upper()} byte-order mark but is not valid "
                                   f"{enc.upper()} text") from None
    if b"\x00" in raw:
        wide = wide_encoding(raw)
        if wide is None:
            raise CatalogError(NUL_MESSAGE)
        try:
            return raw.decode(wide), wide
        except UnicodeDecodeError:
            raise CatalogError(NUL_MESSAGE) from None
    for enc in FALLBACK_ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise CatalogError("the file is not text in UTF-8, UTF-16 or Windows-1252 encoding")


def normalise_newlines(text: str) -> str:
    """CRLF and old-Mac CR-only line ends become LF (the csv module rejects a bare CR inside a line)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def nan_cells(text: str) -> dict[str, int]:
    """Per column, how many cells are literally NaN/nan/-nan (only parsed again when the text has any)."""
    if not NAN_CELL.search(text):
        return {}
    try:
        cells = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, low_memory=False)
    except (ValueError, OverflowError, csv.Error):
        return {}
    counts = {str(c): int(cells[c].str.strip().str.strip('"').str.lower().isin(NAN_SPELLINGS).sum())
              for c in cells.columns}
    return {c: n for c, n in counts.items() if n}


def read_header(text: str, name: str) -> list[str]:
    """The header row, checked: present, not too wide, no repeated names."""
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:
        raise CatalogError(f"{name} could not be read as CSV ({exc})") from None
    if not any(h.strip() for h in header):
        raise CatalogError(f"{name} has no header row")
    if len(header) > MAX_COLUMNS:
        raise CatalogError(f"{name} has {len(header):,} columns, more than the {MAX_COLUMNS:,} the catalog "
                           "reads; is it really a CSV with one header row?")
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        raise CatalogError(f"{name} repeats column names: {', '.join(dupes)}")
    return header


def read_frame(text: str, name: str) -> pd.DataFrame:
    """The CSV text as a DataFrame; parser failures become CatalogError."""
    try:
        return pd.read_csv(io.StringIO(text), low_memory=False)
    except pd.errors.EmptyDataError:
        raise CatalogError(f"{name} has no data") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip()
        what = ("has a quote that is never closed" if "EOF inside string" in detail
                else "has rows with more fields than its header" if "Expected" in detail
                else "could not be parsed as CSV")
        raise CatalogError(f"{name} {what} ({detail})") from None
    except (ValueError, OverflowError, csv.Error, MemoryError) as exc:
        raise CatalogError(f"{name} could not be parsed as CSV: {str(exc).strip() or type(exc).__name__}") from None


def separated_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns holding only numbers, some with thousands separators ('1,624.84'), as numbers; others as read."""
    out = df
    for col in df.columns:
        values = df[col]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        text = values.dropna().astype(str).str.strip()
        grouped = text.str.fullmatch(GROUPED_NUMBER)
        if text.empty or not grouped.any() or not (grouped | text.str.fullmatch(PLAIN_NUMBER)).all():
            continue
        out = out.copy() if out is df else out
        out[col] = pd.to_numeric(values.astype(str).str.strip().str.replace(",", "", regex=False).where(
            values.notna()), errors="coerce")
    return out


def parse_csv(raw: bytes, name: str = "file") -> LoadedCsv:
    """Parse CSV bytes: empty, oversized, wrongly encoded, headerless, ragged or otherwise broken files are
    reported in `error` (naming the file), never raised; numbers written with thousands separators read as numbers."""
    try:
        if len(raw) > MAX_CSV_BYTES:
            raise CatalogError(too_large(name, len(raw)))
        if not raw.strip():
            raise CatalogError(f"{name} is empty")
        try:
            text, enc = decode(raw)
        except CatalogError as exc:
            raise CatalogError(f"{name}: {exc}") from None
        text = normalise_newlines(text)
        if not text.strip():
            raise CatalogError(f"{name} is empty")
        read_header(text, name)
        df = separated_numbers(read_frame(text, name))
        return LoadedCsv(df, None, enc, nan_cells(text))
    except CatalogError as exc:
        return failed(str(exc))


def load_csv(path: Path) -> LoadedCsv:
    """Read (at most MAX_CSV_BYTES) and parse a CSV file (see parse_csv); an unreadable file is reported the
    same way."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_CSV_BYTES + 1)
        if len(raw) > MAX_CSV_BYTES:
            return failed(too_large(path.name, max(len(raw), path.stat().st_size)))
    except OSError as exc:
        return failed(f"cannot read {path.name}: {exc.strerror or exc}")
    return parse_csv(raw, path.name)
