"""Creative gallery shaping: manifest rows → cards, facet values, filters, search-hit ordering."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

MANIFEST_COLUMNS = ("file", "channel", "model", "format", "headline", "description", "campaign", "dimensions")


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


class ManifestError(ValueError):
    """The asset manifest is unusable; the message is for the user."""


def creatives(manifest: pd.DataFrame, assets_dir: Path) -> list[Creative]:
    """Cards from the manifest table (file paths relative to assets_dir); missing optional columns are blank."""
    if "file" not in manifest.columns:
        raise ManifestError("the asset manifest has no 'file' column")
    table = manifest.reindex(columns=list(MANIFEST_COLUMNS)).fillna("").astype(str)
    return [Creative(path=assets_dir / row["file"], **row) for row in table.to_dict("records") if row["file"]]


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
