"""Turn data files into chunks: CSV summaries + row groups, document sections and table rows, creative rows.

CSVs are read by the catalog's one reader (core.catalog.load_csv) and rows rendered from the parsed frame as
'header: value' pairs, so a quoted "Printworks, London" stays under its column. Documents (.md, .txt, .pdf,
.docx) are read by core.rag.readers and cut by their own structure in core.rag.chunking.
"""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pandas as pd

from core.catalog import CatalogError, load_csv
from core.catalog.categories import Category, category_of, channel_of
from core.catalog.dates import parse_dates
from core.catalog.manifest import read_frame as read_creatives
from core.catalog.paths import FolderScan, Skipped, check_file, data_files_inside
from core.rag.chunking import Passage, row_text, section_passages, split_sections
from core.rag.readers import READERS, Table, read_document

log = logging.getLogger(__name__)

ID_NAMESPACE = uuid.UUID("6f1c2a54-3d0e-4b8e-9a61-2f7d0c5e8b13")
ROWS_PER_CHUNK = 20
# bump whenever chunk text changes, so built indexes re-embed (4: rows as header: value pairs, min/max and distinct
# summaries, documents by structure with one chunk per table row; 5: '|'-separated text lines are tables, and a
# long clause line ending in ':' is no heading)
CHUNKER_VERSION = "8"
MAX_GROUP_LEVELS = 25  # a column with more distinct values is not a grouping
MONEY_WORDS = ("spend", "cost", "revenue", "value", "price", "budget", "fee", "discount")
# Columns that are rates, levels or prices: their total means nothing, so summaries give the average.
RATIO_WORDS = ("ctr", "cpc", "cpm", "rate", "pct", "share", "rating", "hours", "index", "confidence",
               "avg", "median", "seconds", "inflation", "ppl", "seasonality")
ID_RE = re.compile(r"(?:^|[_\s-])(?:id|uuid|ref|reference|code|key|number|no)$", re.I)  # dealer_id, contract_ref
CAMEL_ID_RE = re.compile(r"[a-z]ID$")  # DealerID
NAME_RE = re.compile(r"(?:^|[_\s-])(?:name|title)$", re.I)  # event_name: what a row is called
MAX_LABEL_GROUPS = 2  # grouping columns that label a row with no name or key column
TEXT_SUFFIXES = (".csv", *READERS)
TEXT_SKIP_DIRS = ("index", "assets", "cache")
SKIP_NAMES = ("README.md", "README.txt")
PREAMBLE = "preamble"


class ChunkKind(str, Enum):
    """What a chunk is, for routing (dense vs BM25) and citations."""

    SUMMARY = "summary"
    ROWS = "rows"
    SECTION = "section"
    TABLE_ROW = "table_row"
    ASSET = "asset"


@dataclass(frozen=True)
class Chunk:
    """A unit of retrieval with a deterministic id."""

    id: str
    text: str
    kind: ChunkKind
    metadata: dict = field(default_factory=dict)
    image_path: str | None = None


def chunk_id(source_file: str, key: str) -> str:
    """uuid5(namespace, source_file#key): stable across rebuilds."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{source_file}#{key}"))


def _fmt(value: float, column: str) -> str:
    """£1,234 for money-like columns, else 1,234 (2 decimals when small)."""
    money = _is_money(column)
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    else:
        if float(value).is_integer():
            text = f"{value:,.0f}"
        else:
            text = f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4f}"
    return f"£{text}" if money else text


def _is_money(column: str) -> bool:
    """True for a column of pounds (spend, price_paid, budget, ...)."""
    return any(w in column.lower() for w in MONEY_WORDS)


def _is_ratio(column: str) -> bool:
    """True for a rate/price/level column that must be averaged, not summed."""
    return any(w in column.lower() for w in RATIO_WORDS)


def is_id_like(column: str) -> bool:
    """True for a key column (dealer_id, contract_ref, DealerID): counted distinct, never summed."""
    return bool(ID_RE.search(column) or CAMEL_ID_RE.search(column))


def _is_date_named(column: str) -> bool:
    """True for a column whose name says it holds dates (date, week_start, month, day)."""
    low = column.lower()
    return "date" in low or "week" in low or low in ("month", "day")


def _base_meta(path: Path, kind: ChunkKind) -> dict:
    """source_file, category, channel, kind."""
    return {"source_file": path.name, "category": category_of(path).value,
            "channel": channel_of(path), "kind": kind.value}


def _totals_line(df: pd.DataFrame, numeric: list[str]) -> str:
    """'col total' for each additive column, 'average col mean' for rates; prices get both."""
    parts = []
    for c in numeric:
        total, mean = _fmt(float(df[c].sum()), c), _fmt(float(df[c].mean()), c)
        if _is_ratio(c):
            parts.append(f"average {c} {mean}")
        elif "price" in c.lower():
            parts.append(f"average {c} {mean}, total {c} {total}")
        else:
            parts.append(f"{c} {total}")
    return "; ".join(parts)


def _label_columns(df: pd.DataFrame, groups: list[str], dates: list[str]) -> list[str]:
    """Columns naming a row in a summary: a name column, else a key unique per row, else groupings; and its date."""
    text = [str(c) for c in df.columns if not pd.api.types.is_numeric_dtype(df[c])]
    names = [c for c in text if NAME_RE.search(c)]
    keys = [c for c in text if is_id_like(c) and df[c].notna().all() and df[c].is_unique]
    chosen = names[:1] or keys[:1] or [g for g in groups if not g.startswith("_")][:MAX_LABEL_GROUPS]
    return chosen + dates[:1]


def _row_label(df: pd.DataFrame, index: object, columns: list[str]) -> str:
    """'event_name Launch showcase Chelmsford, start_date 2024-04-26' for one row."""
    row = df.loc[index]
    return ", ".join(f"{c} {row[c]}" for c in columns if pd.notna(row[c]))


def _range_text(df: pd.DataFrame, column: str, label: list[str], head: str) -> str | None:
    """'<file> spend range: highest £X (<row>), lowest £Y (<row>).' for a money column; None when it is empty."""
    values = df[column]
    if values.notna().sum() == 0:
        return None
    parts = []
    for word, index in (("highest", values.idxmax()), ("lowest", values.idxmin())):
        where = _row_label(df, index, label)
        parts.append(f"{word} {_fmt(float(values[index]), column)}" + (f" ({where})" if where else ""))
    return f"{head} {column} range: {', '.join(parts)}."


def _distinct_text(df: pd.DataFrame, head: str) -> str | None:
    """'<file> distinct values: 50 distinct dealer_id, 2,959 distinct sale_id (one per row).' for key and name
    columns; None when there are none."""
    cols = [str(c) for c in df.columns if not str(c).startswith("_") and (is_id_like(str(c)) or NAME_RE.search(str(c)))]
    parts = []
    for c in cols:
        n = int(df[c].nunique())
        parts.append(f"{n:,} distinct {c}" + (" (one per row)" if n == len(df) and df[c].notna().all() else ""))
    return f"{head} distinct values: {', '.join(parts)}." if parts else None


def row_lines(df: pd.DataFrame) -> list[str]:
    """Each row as 'header: value | header: value' from the parsed frame (empty cells left out)."""
    header = [str(c) for c in df.columns]
    cells = [df[c].astype(str).where(df[c].notna(), "").tolist() for c in df.columns]
    return [row_text(zip(header, values)) for values in zip(*cells)]


def read_frame(path: Path) -> pd.DataFrame:
    """A CSV through the catalog's reader (BOM, cp1252, UTF-16, CR-only newlines); ValueError naming the file."""
    loaded = load_csv(path)
    if loaded.error:
        raise ValueError(loaded.error if path.name in loaded.error else f"{path.name}: {loaded.error}")
    return loaded.df


def csv_chunks(path: Path) -> list[Chunk]:
    """Summary chunks (overview, distinct keys, min/max of money columns, totals by each low-cardinality column,
    year and month) plus row groups of ROWS_PER_CHUNK rows rendered as 'header: value' pairs."""
    df = read_frame(path)
    df.columns = [str(c) for c in df.columns]
    name = path.stem.replace("_", " ")
    dates = [c for c in df.columns if _is_date_named(c) and not pd.api.types.is_numeric_dtype(df[c])]
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])
               and not is_id_like(c) and not _is_date_named(c)]
    out: list[Chunk] = []
    head = f"{name} ({path.name})"
    overview = f"{head}, {len(df):,} rows. Columns: {', '.join(df.columns)}."
    derived = ("_year", "_month")
    if dates:
        d = parse_dates(df[dates[0]]).dates
        if d.notna().any():
            overview += f" Date range {d.min().date()} to {d.max().date()}."
            df = df.assign(_year=d.dt.strftime("%Y"), _month=d.dt.strftime("%Y-%m"))
    if numeric:
        overview += f" Totals: {_totals_line(df, numeric)}."
    meta = _base_meta(path, ChunkKind.SUMMARY)
    out.append(Chunk(chunk_id(path.name, "summary"), overview, ChunkKind.SUMMARY, {**meta, "group": "overview"}))
    groups = [c for c in df.columns if c not in numeric and c not in dates and c not in derived
              and 1 < df[c].nunique() <= MAX_GROUP_LEVELS]
    if distinct := _distinct_text(df, head):
        out.append(Chunk(chunk_id(path.name, "distinct"), distinct, ChunkKind.SUMMARY, {**meta, "group": "distinct"}))
    label = _label_columns(df, groups, dates)
    for c in (c for c in numeric if _is_money(c)):
        if text := _range_text(df, c, label, head):
            out.append(Chunk(chunk_id(path.name, f"range:{c}"), text, ChunkKind.SUMMARY,
                             {**meta, "group": "range", "level": c}))
    groups += [c for c in derived if c in df.columns]
    for g in groups:
        level_name = g.lstrip("_")
        for level, part in df.groupby(g, sort=True):
            text = f"{head} {level_name} {level}: {len(part):,} rows; {_totals_line(part, numeric)}."
            out.append(Chunk(chunk_id(path.name, f"by:{level_name}:{level}"), text, ChunkKind.SUMMARY,
                             {**meta, "group": level_name, "level": str(level)}))
    rmeta = _base_meta(path, ChunkKind.ROWS)
    lines = row_lines(df.drop(columns=list(derived), errors="ignore"))
    for start in range(0, len(lines), ROWS_PER_CHUNK):
        part_lines = lines[start:start + ROWS_PER_CHUNK]
        rows = f"{start + 1}-{start + len(part_lines)}"
        text = f"{path.name} rows {rows}\n" + "\n".join(part_lines)
        out.append(Chunk(chunk_id(path.name, f"rows:{rows}"), text, ChunkKind.ROWS, {**rmeta, "rows": rows}))
    return out


def _passage_chunk(path: Path, meta: dict, ordinal: int, p: Passage) -> Chunk:
    """The chunk of one passage: a section window or definition (SECTION) or a table row (TABLE_ROW), cited by
    section path."""
    sec = p.section
    preamble = sec.number is None and not sec.path
    key = PREAMBLE if preamble else f"section:{ordinal}:{sec.number or sec.label}"
    extra: dict = {"section": PREAMBLE if preamble else sec.label,
                   "clause": "0" if preamble else (sec.number or ""), "section_path": list(sec.path)}
    if p.row is not None:
        extra["table_row"] = p.row + 1
        return Chunk(chunk_id(path.name, f"{key}:table:{p.table}:row:{p.row}"), p.text, ChunkKind.TABLE_ROW,
                     {**meta, **extra, "kind": ChunkKind.TABLE_ROW.value})
    if p.definition is not None:
        key = f"{key}:definition:{p.definition}"
    elif p.parts > 1:
        key, extra["part"] = f"{key}:part:{p.part}", f"{p.part + 1}/{p.parts}"
    return Chunk(chunk_id(path.name, key), p.text, ChunkKind.SECTION, {**meta, **extra})


def document_chunks(path: Path) -> list[Chunk]:
    """Chunks of a document (.md, .txt, .pdf, .docx): its sections (long ones in overlapping windows) and every
    table row, each carrying the document title, vendor/reference when stated, clause number and section path."""
    doc = read_document(path)
    full = "\n".join(" | ".join(b.header) if isinstance(b, Table) else b.text for b in doc.blocks)
    ref = re.search(r"[Rr]eference[:\s*]+([A-Z0-9][\w-]+)", full)
    vendor = re.search(r"[Vv]endor[:\s*]+([^\n|]+)", full)
    meta = {**_base_meta(path, ChunkKind.SECTION), "title": doc.title,
            "reference": ref.group(1) if ref else None,
            "vendor": vendor.group(1).strip(" *") if vendor else None}
    return [_passage_chunk(path, meta, i, p)
            for i, sec in enumerate(split_sections(doc)) for p in section_passages(doc, sec)]


@dataclass(frozen=True)
class AssetScan:
    """The creative chunks of a manifest and the rows skipped (a file outside the assets folder)."""

    chunks: list[Chunk]
    skipped: list[Skipped]


def _asset_chunk(manifest: Path, row: dict, image: Path | None) -> Chunk:
    """The chunk of one manifest row (image_path only for an image file inside the assets folder)."""
    text = "; ".join(f"{k}: {v}" for k, v in row.items() if v != "")
    name = str(row.get("file", ""))
    meta = {"source_file": Path(name).name, "category": Category.ASSETS.value,
            "channel": str(row.get("channel") or "") or None, "model": str(row.get("model") or "") or None,
            "kind": ChunkKind.ASSET.value, "file": name}
    return Chunk(chunk_id(manifest.name, str(row.get("file"))), text, ChunkKind.ASSET, meta,
                 str(image) if image else None)


def scan_assets(manifest: Path) -> AssetScan:
    """One chunk per creative, with image_path: the manifest's rows (columns mapped by alias, see
    `core.catalog.manifest`), then every image in the manifest's folder that no row names. A row whose file
    resolves outside the manifest's folder (`../../x.png`, an absolute path elsewhere, a symlink out) or names
    a folder is skipped, and so is a manifest that is itself a link out of its folder. A row naming a missing
    image keeps its searchable text but has no image_path."""
    root = manifest.parent
    itself = check_file(root, manifest.name)
    if not isinstance(itself, Path):
        log.warning("asset manifest %s %s (not indexed)", manifest, itself.value)
        return AssetScan([], [Skipped(manifest.name, itself)])
    loaded = load_csv(manifest)
    if loaded.error:
        raise CatalogError(loaded.error)
    read = read_creatives(loaded.df, root, keep_missing=True)
    chunks = []
    for row in read.df.to_dict("records"):
        name = str(row.get("file", ""))
        image = (root / name).absolute() if name and isinstance(check_file(root, name), Path) else None
        chunks.append(_asset_chunk(manifest, row, image))
    for s in read.skipped:
        log.warning("asset manifest %s: %s (not indexed)", manifest, s.message())
    return AssetScan(chunks, read.skipped)


def asset_chunks(manifest: Path) -> list[Chunk]:
    """One chunk per creative from its manifest row, with image_path (rows pointing outside skipped)."""
    return scan_assets(manifest).chunks


def scan_text_sources(data_dir: Path) -> FolderScan:
    """CSV and document files inside data_dir (not assets, the index or caches), and the entries skipped."""
    found = data_files_inside(Path(data_dir), skip_dirs=TEXT_SKIP_DIRS, suffixes=TEXT_SUFFIXES)
    for s in found.skipped:
        log.warning("data folder %s: %s (not indexed)", data_dir, s.message())
    return FolderScan([p for p in found.files if p.name not in SKIP_NAMES], found.skipped)


def text_sources(data_dir: Path) -> list[Path]:
    """CSV and document files under data_dir whose real path lies inside it, excluding assets and the index."""
    return scan_text_sources(data_dir).files


def file_chunks(path: Path) -> list[Chunk]:
    """Chunks of one text source by suffix: CSV, or a document any reader knows."""
    return csv_chunks(path) if path.suffix.lower() == ".csv" else document_chunks(path)
