"""The creatives of an assets folder as they come: any team's manifest columns, and images with no row at all.

A manifest's columns are mapped by alias to the canonical ones (`image_path` → file, `vehicle_model` → model,
`creative_type` → format, …, matched case- and separator-insensitively). Every image under the folder that no
row names is added, its channel read from its folder name, its model and format from its file name and its
dimensions from its header. A row whose file is missing, a folder or outside the folder is skipped with why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from PIL import Image

from core.catalog.loading import load_csv
from core.catalog.paths import Skipped, SkipReason, check_file, data_files_inside
from core.domain import channel_of_word

MANIFEST_NAME = "asset_manifest.csv"
CANONICAL = ("file", "channel", "model", "format", "headline", "description", "campaign", "dimensions")
ALIASES: Mapping[str, tuple[str, ...]] = {
    "file": ("file", "image_path", "path", "image", "filename"),
    "model": ("model", "vehicle_model", "car", "product"),
    "format": ("format", "creative_type", "type", "size_name"),
    "description": ("description", "alt_text", "alt", "caption"),
    "channel": ("channel", "platform", "media"),
    "headline": ("headline", "title"),
    "campaign": ("campaign", "campaign_id"),
    "dimensions": ("dimensions", "size"),
}
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")
# Formats a file name may spell when the manifest has none to match ("avatr12_story_04.png" → story).
KNOWN_FORMATS = ("story", "stories", "feed", "reel", "reels", "square", "banner", "carousel", "post", "spot",
                 "video", "mpu", "leaderboard", "skyscraper", "billboard", "poster", "portrait", "landscape",
                 "endcard", "storyboard", "display", "pin", "short", "shorts", "thumbnail", "hero")
_SEP = re.compile(r"[\s_\-./]+")
# What Pillow raises on a file it cannot read the header of (UnidentifiedImageError is an OSError).
_HEADER_ERRORS = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)


def _key(text: object) -> str:
    """Case- and separator-insensitive form of a column name or value: 'Vehicle-Model' → 'vehiclemodel'."""
    return _SEP.sub("", str(text)).lower()


@dataclass(frozen=True)
class ManifestRead:
    """The creatives of an assets folder.

    df: one row per creative, canonical columns first (blank when unknown), then the manifest's other columns;
    rows from the manifest first, in order, then added images, sorted.
    skipped: rows (and links) not used, with why. aliases: canonical column → the manifest column it came
    from. added: files that had no manifest row. error: why the manifest could not be read, if it could not.
    """

    df: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    error: str | None = None


def map_columns(columns: Iterable[object]) -> dict[str, str]:
    """Canonical column → the first column (in alias order) naming it; a column is used for one name only."""
    by_key: dict[str, str] = {}
    for c in columns:
        by_key.setdefault(_key(c), str(c))
    found: dict[str, str] = {}
    used: set[str] = set()
    for canon, aliases in ALIASES.items():
        col = next((by_key[_key(a)] for a in aliases if _key(a) in by_key and by_key[_key(a)] not in used), None)
        if col is not None:
            found[canon] = col
            used.add(col)
    return found


def channel_key(text: str) -> str:
    """The channel key a value or folder name names ('Paid Search' → 'google', 'Facebook/Instagram' → 'meta'):
    the whole text, else its one channel word; '' when it names none or several."""
    if whole := channel_of_word(text.strip()):
        return whole
    found = {key for word in _SEP.split(text) if word and (key := channel_of_word(word))}
    return found.pop() if len(found) == 1 else ""


def canonical_frame(table: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The table as text with canonical columns (mapped by alias, blank when absent) then its other columns;
    a channel written in a team's words reads as its key, as images with no row get it from their folder."""
    aliases = map_columns(table.columns)
    text = table.fillna("").astype(str)
    text.columns = [str(c) for c in text.columns]
    out = pd.DataFrame({canon: text[aliases[canon]] if canon in aliases else "" for canon in CANONICAL},
                       index=text.index)
    out["channel"] = out["channel"].map(lambda v: channel_key(v) or v)
    extra = [c for c in text.columns if c not in aliases.values() and c not in CANONICAL]
    return pd.concat([out, text[extra]], axis=1).reset_index(drop=True), aliases


def _image_size(path: Path) -> str:
    """'1080x1920' from the image header (pixels are not decoded), or '' for a file Pillow cannot read."""
    try:
        with Image.open(path) as img:
            width, height = img.size
    except _HEADER_ERRORS:
        return ""
    return f"{width}x{height}"


def _channel_of_folder(rel: Path) -> str:
    """The channel of the nearest folder whose name (or its one channel word) names one: 'meta/x.png' → 'meta'."""
    return next((key for folder in reversed(rel.parts[:-1]) if (key := channel_key(folder))), "")


def _model_of_name(words: list[str], models: Mapping[str, str]) -> tuple[str, set[int]]:
    """The manifest model a run of the name's words spells ('avatr', '12' → 'AVATR 12'), and those words."""
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            if (model := models.get("".join(words[start:start + size]))) is not None:
                return model, set(range(start, start + size))
    return "", set()


def _format_of_name(words: list[str], taken: set[int], formats: Mapping[str, str]) -> str:
    """The first word of the name that is a manifest format or a known one ('story'), else ''."""
    for i, word in enumerate(words):
        if i not in taken and (fmt := formats.get(word) or (word if word in KNOWN_FORMATS else None)):
            return fmt
    return ""


def infer_row(root: Path, rel: Path, models: Mapping[str, str], formats: Mapping[str, str]) -> dict[str, str]:
    """The canonical row of an image with no manifest row (models/formats: key form → manifest spelling)."""
    words = [w.lower() for w in _SEP.split(rel.stem) if w]
    model, taken = _model_of_name(words, models)
    row = dict.fromkeys(CANONICAL, "")
    row.update(file=rel.as_posix(), channel=_channel_of_folder(rel), model=model,
               format=_format_of_name(words, taken, formats), dimensions=_image_size(root / rel))
    return row


def _listed_name(root: Path, file: str) -> str:
    """The path a row names, relative to root and normalised without following links ('./a/../b.png' → 'b.png')."""
    return os.path.relpath(os.path.normpath(os.path.join(os.path.abspath(root), file)), os.path.abspath(root))


def _values(df: pd.DataFrame, column: str) -> dict[str, str]:
    """Key form → first spelling of the non-blank values of a column."""
    out: dict[str, str] = {}
    for v in df[column]:
        if v.strip():
            out.setdefault(_key(v), v)
    return out


def read_frame(table: pd.DataFrame, assets_dir: Path, *, keep_missing: bool = False, add_unlisted: bool = True
               ) -> ManifestRead:
    """The creatives of a manifest table already read (file paths relative to assets_dir) and of the folder.

    A row whose file is outside assets_dir or a folder is skipped; so is a missing file (or a row naming no
    file), unless keep_missing (the index keeps such a row's text). With add_unlisted, every image under the
    folder no row names is added.
    """
    df, aliases = canonical_frame(table)
    keep, skipped = [], []
    for i, name in enumerate(df["file"]):
        checked = check_file(assets_dir, name) if name else SkipReason.MISSING
        if isinstance(checked, Path) or (keep_missing and checked is SkipReason.MISSING):
            keep.append(i)
        else:
            skipped.append(Skipped(name or f"row {i + 2} (no file)", checked))
    listed = {_listed_name(assets_dir, f) for f in df["file"] if f}
    rows = df.iloc[keep].reset_index(drop=True)
    added: list[str] = []
    if add_unlisted:
        scan = data_files_inside(assets_dir, suffixes=IMAGE_SUFFIXES)
        skipped += [s for s in scan.skipped if _listed_name(assets_dir, s.name) not in listed]
        models, formats = _values(df, "model"), _values(df, "format")
        new = [infer_row(assets_dir, p.relative_to(assets_dir), models, formats) for p in scan.files
               if _listed_name(assets_dir, str(p.relative_to(assets_dir))) not in listed]
        added = [r["file"] for r in new]
        if new:
            rows = pd.concat([rows, pd.DataFrame(new)], ignore_index=True).fillna("")
    return ManifestRead(rows, skipped, aliases, added)


def read_manifest(assets_dir: Path, *, keep_missing: bool = False) -> ManifestRead:
    """The creatives of assets_dir: its asset_manifest.csv rows (if it has one), mapped to canonical columns,
    then every image no row names. A manifest that is unreadable or links out of the folder is not read (its
    reason in `error`, and in skipped for a link out) and the folder's images are still listed."""
    assets_dir = Path(assets_dir)
    manifest = assets_dir / MANIFEST_NAME
    if not manifest.exists() and not manifest.is_symlink():
        return _images_only(assets_dir)
    itself = check_file(assets_dir, MANIFEST_NAME)  # resolve_inside: a manifest linking out is not read
    if not isinstance(itself, Path):
        return _images_only(assets_dir, f"{MANIFEST_NAME} {itself.value}", [Skipped(MANIFEST_NAME, itself)])
    loaded = load_csv(itself)
    if loaded.error:
        return _images_only(assets_dir, loaded.error)
    return read_frame(loaded.df, assets_dir, keep_missing=keep_missing)


def _images_only(assets_dir: Path, error: str | None = None, skipped: Iterable[Skipped] = ()) -> ManifestRead:
    """The folder's images alone (no manifest, or one that cannot be read)."""
    got = read_frame(pd.DataFrame(columns=list(CANONICAL)), assets_dir)
    return ManifestRead(got.df, [*skipped, *got.skipped], {}, got.added, error)
