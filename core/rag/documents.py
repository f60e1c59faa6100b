"""Turn data files into chunks: CSV summaries + row groups, contract sections, creative manifest rows."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pandas as pd

from core.catalog.categories import Category, category_of, channel_of
from core.catalog.paths import FolderScan, Skipped, SkipReason, check_file, data_files_inside

log = logging.getLogger(__name__)

ID_NAMESPACE = uuid.UUID("6f1c2a54-3d0e-4b8e-9a61-2f7d0c5e8b13")
ROWS_PER_CHUNK = 20
CHUNKER_VERSION = "3"  # bump whenever chunk text changes, so built indexes re-embed (3: rows pointing outside dropped)
MAX_GROUP_LEVELS = 25  # a column with more distinct values is not a grouping
MONEY_WORDS = ("spend", "cost", "revenue", "value", "price", "budget", "fee", "discount")
# Columns that are rates, levels or prices: their total means nothing, so summaries give the average.
RATIO_WORDS = ("ctr", "cpc", "cpm", "rate", "pct", "share", "rating", "hours", "index", "confidence",
               "avg", "median", "seconds", "inflation", "ppl", "seasonality")
TEXT_SUFFIXES = (".csv", ".md")
TEXT_SKIP_DIRS = ("index", "assets", "cache")
SKIP_NAMES = ("README.md",)
SECTION_RE = re.compile(r"^#{1,3}\s*(\d+(?:\.\d+)*)[.)]?\s+(.*)$", re.M)


class ChunkKind(str, Enum):
    """What a chunk is, for routing (dense vs BM25) and citations."""

    SUMMARY = "summary"
    ROWS = "rows"
    SECTION = "section"
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
    money = any(w in column.lower() for w in MONEY_WORDS)
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    else:
        if float(value).is_integer():
            text = f"{value:,.0f}"
        else:
            text = f"{value:,.2f}" if abs(value) >= 1 else f"{value:.4f}"
    return f"£{text}" if money else text


def _is_ratio(column: str) -> bool:
    """True for a rate/price/level column that must be averaged, not summed."""
    return any(w in column.lower() for w in RATIO_WORDS)


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


def csv_chunks(path: Path) -> list[Chunk]:
    """Summary chunks (overview, totals by each low-cardinality column and month) plus row groups."""
    df = pd.read_csv(path)
    name = path.stem.replace("_", " ")
    numeric = [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    dates = [c for c in df.columns if "date" in c.lower() or "week" in c.lower() or c.lower() in ("month", "day")]
    out: list[Chunk] = []
    head = f"{name} ({path.name}), {len(df):,} rows. Columns: {', '.join(map(str, df.columns))}."
    if dates:
        d = pd.to_datetime(df[dates[0]], errors="coerce")
        if d.notna().any():
            head += f" Date range {d.min().date()} to {d.max().date()}."
            df = df.assign(_year=d.dt.strftime("%Y"), _month=d.dt.strftime("%Y-%m"))
    if numeric:
        head += f" Totals: {_totals_line(df, numeric)}."
    meta = _base_meta(path, ChunkKind.SUMMARY)
    out.append(Chunk(chunk_id(path.name, "summary"), head, ChunkKind.SUMMARY, {**meta, "group": "overview"}))
    derived = ("_year", "_month")
    groups = [c for c in df.columns if c not in numeric and c not in dates and c not in derived
              and 1 < df[c].nunique() <= MAX_GROUP_LEVELS]
    groups += [c for c in derived if c in df.columns]
    for g in groups:
        label = g.lstrip("_")
        for level, part in df.groupby(g, sort=True):
            text = f"{name} ({path.name}) {label} {level}: {len(part):,} rows; {_totals_line(part, numeric)}."
            out.append(Chunk(chunk_id(path.name, f"by:{label}:{level}"), text, ChunkKind.SUMMARY,
                             {**meta, "group": label, "level": str(level)}))
    rmeta = _base_meta(path, ChunkKind.ROWS)
    raw = df.drop(columns=list(derived), errors="ignore")
    cols = ",".join(map(str, raw.columns))
    for start in range(0, len(raw), ROWS_PER_CHUNK):
        part = raw.iloc[start:start + ROWS_PER_CHUNK]
        rows = f"{start + 1}-{start + len(part)}"
        body = part.to_csv(index=False, header=False)
        out.append(Chunk(chunk_id(path.name, f"rows:{rows}"), f"{path.name} rows {rows}\n{cols}\n{body}",
                         ChunkKind.ROWS, {**rmeta, "rows": rows}))
    return out


def markdown_chunks(path: Path) -> list[Chunk]:
    """One chunk per numbered section, prefixed with the document title (vendor, reference)."""
    text = path.read_text(encoding="utf-8")
    title = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.strip()), path.stem)
    ref = re.search(r"[Rr]eference[:\s*]+([A-Z0-9][\w-]+)", text)
    vendor = re.search(r"[Vv]endor[:\s*]+([^\n|]+)", text)
    meta = {**_base_meta(path, ChunkKind.SECTION), "title": title,
            "reference": ref.group(1) if ref else None,
            "vendor": vendor.group(1).strip(" *") if vendor else None}
    marks = list(SECTION_RE.finditer(text))
    if not marks:
        return [Chunk(chunk_id(path.name, "all"), text, ChunkKind.SECTION, {**meta, "section": title})]
    out = [Chunk(chunk_id(path.name, "preamble"), f"{title}\n{text[:marks[0].start()]}", ChunkKind.SECTION,
                 {**meta, "section": "preamble", "clause": "0"})]
    for m, nxt in zip(marks, marks[1:] + [None]):
        body = text[m.start(): nxt.start() if nxt else len(text)].strip()
        out.append(Chunk(chunk_id(path.name, f"section:{m.group(1)}"), f"{title}\n{body}", ChunkKind.SECTION,
                         {**meta, "section": m.group(2).strip(), "clause": m.group(1)}))
    return out


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
    """One chunk per creative row, with image_path; a row whose file resolves outside the manifest's folder
    (`../../x.png`, an absolute path elsewhere, a symlink out) or names a folder is skipped, and so is a
    manifest that is itself a link out of its folder. A row naming a missing image keeps its searchable text
    but has no image_path."""
    root = manifest.parent
    itself = check_file(root, manifest.name)
    if not isinstance(itself, Path):
        log.warning("asset manifest %s %s (not indexed)", manifest, itself.value)
        return AssetScan([], [Skipped(manifest.name, itself)])
    df = pd.read_csv(manifest).fillna("")
    chunks, skipped = [], []
    for row in df.to_dict("records"):
        name = str(row.get("file", ""))
        checked = check_file(root, name) if name else SkipReason.MISSING
        if isinstance(checked, Path):
            chunks.append(_asset_chunk(manifest, row, (root / name).absolute()))
        elif checked is SkipReason.MISSING:
            chunks.append(_asset_chunk(manifest, row, None))
        else:
            skipped.append(Skipped(name, checked))
    for s in skipped:
        log.warning("asset manifest %s: %s (not indexed)", manifest, s.message())
    return AssetScan(chunks, skipped)


def asset_chunks(manifest: Path) -> list[Chunk]:
    """One chunk per creative from its manifest row, with image_path (rows pointing outside skipped)."""
    return scan_assets(manifest).chunks


def scan_text_sources(data_dir: Path) -> FolderScan:
    """CSV and markdown files inside data_dir (not assets, the index or caches), and the entries skipped."""
    found = data_files_inside(Path(data_dir), skip_dirs=TEXT_SKIP_DIRS, suffixes=TEXT_SUFFIXES)
    for s in found.skipped:
        log.warning("data folder %s: %s (not indexed)", data_dir, s.message())
    return FolderScan([p for p in found.files if p.name not in SKIP_NAMES], found.skipped)


def text_sources(data_dir: Path) -> list[Path]:
    """CSV and markdown files under data_dir whose real path lies inside it, excluding assets and the index."""
    return scan_text_sources(data_dir).files


def file_chunks(path: Path) -> list[Chunk]:
    """Chunks of one text source by suffix."""
    return csv_chunks(path) if path.suffix.lower() == ".csv" else markdown_chunks(path)
