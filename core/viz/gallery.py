"""Creative gallery shaping: manifest rows → cards, facet values, filters, search-hit ordering."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.catalog.manifest import CANONICAL, map_columns, read_frame
from core.catalog.paths import Skipped
from core.viz.markdown import strip_remote_images

log = logging.getLogger(__name__)

MANIFEST_COLUMNS = CANONICAL


@dataclass(frozen=True)
class Creative:
    """One creative as the gallery shows it."""

    file: str
    path: Path
    channel: str
    model: str
    format: str
    headline: str
    description: str
    campaign: str
    dimensions: str

    def details(self) -> list[tuple[str, str]]:
        """(label, value) pairs for the large view."""
        return [("Channel", self.channel), ("Model", self.model), ("Format", self.format),
                ("Campaign", self.campaign), ("Dimensions", self.dimensions), ("File", self.file)]


@dataclass(frozen=True)
class Facets:
    """The distinct filter values present in the manifest."""

    channels: list[str]
    models: list[str]
    formats: list[str]


@dataclass(frozen=True)
class Gallery:
    """The cards of a manifest and the rows that got none (outside the assets folder, missing, a folder)."""

    items: list[Creative] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def warning(self) -> str:
        """One line for the page: '2 manifest rows skipped: ../x.png points outside the data folder; …'."""
        if not self.skipped:
            return ""
        rows = "row" if len(self.skipped) == 1 else "rows"
        return f"{len(self.skipped)} manifest {rows} skipped: " + "; ".join(s.message() for s in self.skipped)


class ManifestError(ValueError):
    """The asset manifest is unusable; the message is for the user."""


def _card(row: dict[str, str], path: Path) -> Creative:
    """One card, its text stripped of remote images (the page renders it as markdown); file is kept verbatim,
    it is the card's key."""
    clean = {k: v if k == "file" else strip_remote_images(v) for k, v in row.items()}
    return Creative(path=path, **clean)


def read_gallery(manifest: pd.DataFrame, assets_dir: Path) -> Gallery:
    """Cards from the manifest table (file paths relative to assets_dir; columns mapped by alias, so
    `image_path`/`vehicle_model`/`creative_type` work; missing optional columns blank), then a card for every
    image under assets_dir that no row names (see `core.catalog.manifest`).

    A row gets a card only if its file is a regular file whose real path lies inside assets_dir; the others
    are returned as skipped with the reason and logged, never raised. A file named twice gets one card.
    """
    if "file" not in map_columns(manifest.columns):
        raise ManifestError("the asset manifest has no 'file' column (nor image_path, path, image or filename)")
    read = read_frame(manifest, assets_dir)
    items, seen = [], set()
    for row in read.df.reindex(columns=list(MANIFEST_COLUMNS)).to_dict("records"):
        if row["file"] in seen:  # a repeated row would be a second card with the same key
            continue
        seen.add(row["file"])
        items.append(_card(row, assets_dir / row["file"]))
    if read.skipped:
        log.warning("asset manifest in %s: %s", assets_dir, Gallery(items, read.skipped).warning())
    return Gallery(items, read.skipped)


def creatives(manifest: pd.DataFrame, assets_dir: Path) -> list[Creative]:
    """The cards of `read_gallery` (rows outside the assets folder, missing or folders get none)."""
    return read_gallery(manifest, assets_dir).items


def facets(items: Iterable[Creative]) -> Facets:
    """Sorted distinct non-empty channel, model and format values."""
    items = list(items)
    values = lambda attr: sorted({getattr(c, attr) for c in items if getattr(c, attr)})
    return Facets(values("channel"), values("model"), values("format"))


def filter_creatives(items: Iterable[Creative], channels: Sequence[str] = (), models: Sequence[str] = (),
                     formats: Sequence[str] = ()) -> list[Creative]:
    """Creatives matching every non-empty filter (a filter is a set of allowed values)."""
    return [c for c in items if (not channels or c.channel in channels) and (not models or c.model in models)
            and (not formats or c.format in formats)]


def order_by_hits(items: Iterable[Creative], hit_files: Sequence[str]) -> list[Creative]:
    """The creatives named by search hits (manifest-relative file paths), in hit order; unknown files dropped."""
    by_file = {c.file: c for c in items}
    seen: dict[str, Creative] = {}
    for f in hit_files:
        if f in by_file and f not in seen:
            seen[f] = by_file[f]
    return list(seen.values())
