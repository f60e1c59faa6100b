"""Never lose a user's file: earlier versions and quarantined files are kept on shelves inside the data folder,
and the generator's ownership stamp says which files it wrote (anything else, or anything changed since, is the
user's).

A shelved copy of ``raw/meta_ads.csv`` lives at ``<data>/.versions/raw/meta_ads.csv/<UTC time>-meta_ads.csv.bak``
(or under ``.quarantine``). The shelves are hidden folders and the copies end in ``.bak``, so the inventory,
validation and the search index (which pick files by suffix) never read them as data.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from pathlib import Path, PurePath

from core.atomic import write_atomic
from core.catalog.loading import CatalogError

SHELF_SUFFIX = ".bak"
TIME_FORMAT = "%Y%m%dT%H%M%S%fZ"
HASH_CHUNK = 1 << 20
GENERATED_STAMP = ".mip-generated.json"  # <data>/.mip-generated.json: {"files": {rel: sha256}, ...}
STAMP_SCHEMA = 1


class Shelf(str, Enum):
    """Where kept copies go: earlier versions of a file, or files taken out of use."""

    VERSIONS = ".versions"
    QUARANTINE = ".quarantine"


SHELF_DIRS = frozenset(s.value for s in Shelf)


@dataclass(frozen=True)
class Version:
    """One kept copy of a data file: which file it was (relative to the data folder), where it is, when and size."""

    rel: str
    path: Path
    saved_at: datetime
    size: int

    @property
    def label(self) -> str:
        """A one-line description for a picker: time and size."""
        return f"{self.saved_at:%Y-%m-%d %H:%M:%S} UTC · {self.size:,} bytes"


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_stamp(data_dir: Path, files: Iterable[Path], generator: str, seed: int) -> Path:
    """Record the files a generator wrote (relative name → SHA-256), deterministically (no times) and atomically."""
    root = Path(data_dir).resolve()
    owned = {rel_name(Path(f).resolve().relative_to(root)): file_sha256(f) for f in files}
    stamp = {"schema": STAMP_SCHEMA, "generator": generator, "seed": seed, "files": dict(sorted(owned.items()))}
    return write_atomic(root / GENERATED_STAMP, json.dumps(stamp, indent=2) + "\n")


def read_stamp(data_dir: Path) -> dict[str, str]:
    """The generator-owned files (relative name → SHA-256); empty when there is no readable stamp."""
    try:
        stamp = json.loads((Path(data_dir) / GENERATED_STAMP).read_text(encoding="utf-8"))
        files = stamp["files"] if stamp.get("schema") == STAMP_SCHEMA else {}
        return {str(k): str(v) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def data_path(data_dir: Path, rel: str | PurePath) -> Path:
    """The file `rel` inside data_dir; CatalogError for absolute paths, `..`, shelf folders or a way outside."""
    parts = PurePath(rel).parts
    if not parts or PurePath(rel).is_absolute() or ".." in parts or parts[0] in SHELF_DIRS:
        raise CatalogError(f"{rel} is not a file of the data folder")
    root = Path(data_dir).resolve()
    target = root.joinpath(*parts)
    if not target.parent.resolve().is_relative_to(root):
        raise CatalogError(f"{rel} lies outside the data folder")
    return target


def rel_name(rel: str | PurePath) -> str:
    """The canonical relative name (forward slashes), as the inventory shows it."""
    return PurePath(rel).as_posix()


def shelf_folder(data_dir: Path, shelf: Shelf, rel: str | PurePath) -> Path:
    """The folder holding a file's copies on a shelf: <data>/<shelf>/<rel>/."""
    return Path(data_dir).resolve() / shelf.value / PurePath(rel)


def _slot(folder: Path, name: str, now: datetime | None) -> tuple[Path, datetime]:
    """A free <time>-<name>.bak path in folder (the time moves on by 1 µs while a name is taken)."""
    when = (now or datetime.now(UTC)).astimezone(UTC)
    while (path := folder / f"{when.strftime(TIME_FORMAT)}-{name}{SHELF_SUFFIX}").exists():
        when += timedelta(microseconds=1)
    return path, when


def _parse(rel: str, path: Path) -> Version | None:
    """The Version a shelved file stands for, or None when its name is not ours."""
    stamp, sep, _ = path.name.partition("-")
    if not sep or not path.name.endswith(SHELF_SUFFIX) or not path.is_file():
        return None
    try:
        when = datetime.strptime(stamp, TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return None
    return Version(rel, path, when, path.stat().st_size)


def _shelved(data_dir: Path, shelf: Shelf, rel: str) -> list[Version]:
    """Copies of one file on a shelf, newest first."""
    folder = shelf_folder(data_dir, shelf, rel)
    if not folder.is_dir():
        return []
    found = [v for p in folder.iterdir() if (v := _parse(rel, p)) is not None]
    return sorted(found, key=lambda v: v.saved_at, reverse=True)


def keep_version(data_dir: Path, rel: str | PurePath, now: datetime | None = None) -> Version | None:
    """Copy the current bytes of `rel` onto the versions shelf (atomically); None when there is no such file."""
    source = data_path(data_dir, rel)
    if not source.is_file():
        return None
    name = rel_name(rel)
    dest, when = _slot(shelf_folder(data_dir, Shelf.VERSIONS, name), source.name, now)
    try:
        write_atomic(dest, source.read_bytes())
    except OSError as exc:
        raise CatalogError(f"could not keep a copy of {name} ({exc.strerror or exc}); nothing was changed") from None
    return Version(name, dest, when, dest.stat().st_size)


def list_versions(data_dir: Path, rel: str | PurePath) -> list[Version]:
    """The kept earlier versions of `rel`, newest first."""
    return _shelved(data_dir, Shelf.VERSIONS, rel_name(rel))


def versioned_files(data_dir: Path) -> list[str]:
    """Every file (relative name, including deleted ones) with at least one kept version, sorted."""
    root = Path(data_dir).resolve() / Shelf.VERSIONS.value
    if not root.is_dir():
        return []
    folders = {p.parent for p in root.rglob(f"*{SHELF_SUFFIX}") if p.is_file()}
    return sorted(rel_name(f.relative_to(root)) for f in folders)


def _check_kept(data_dir: Path, shelf: Shelf, version: Version) -> Path:
    """The kept copy's path after checking it really lies on that shelf for that file."""
    folder = shelf_folder(data_dir, shelf, version.rel)
    path = Path(version.path).resolve()
    if path.parent != folder or not path.is_file():
        raise CatalogError(f"that copy of {version.rel} is no longer kept")
    return path


def restore_version(data_dir: Path, version: Version, now: datetime | None = None) -> Version | None:
    """Put a kept version back in place; the file it replaces is kept as a version first (returned, or None)."""
    source = _check_kept(data_dir, Shelf.VERSIONS, version)
    target = data_path(data_dir, version.rel)
    kept = keep_version(data_dir, version.rel, now)
    write_atomic(target, source.read_bytes())
    return kept


def delete_file(data_dir: Path, rel: str | PurePath, now: datetime | None = None) -> Version:
    """Remove a data file, keeping its last bytes as a version (restorable from the versions list)."""
    target = data_path(data_dir, rel)
    kept = keep_version(data_dir, rel, now)
    if kept is None:
        raise CatalogError(f"{rel_name(rel)} does not exist")
    target.unlink()
    return kept


def quarantine(data_dir: Path, rel: str | PurePath, now: datetime | None = None) -> Version:
    """Move a data file to the quarantine shelf, out of the inventory, validation and index."""
    source = data_path(data_dir, rel)
    name = rel_name(rel)
    if not source.is_file():
        raise CatalogError(f"{name} does not exist")
    dest, when = _slot(shelf_folder(data_dir, Shelf.QUARANTINE, name), source.name, now)
    dest.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, dest)
    return Version(name, dest, when, dest.stat().st_size)


def list_quarantined(data_dir: Path) -> list[Version]:
    """Every quarantined file, newest first."""
    root = Path(data_dir).resolve() / Shelf.QUARANTINE.value
    if not root.is_dir():
        return []
    found = [v for p in root.rglob(f"*{SHELF_SUFFIX}")
             if (v := _parse(rel_name(p.parent.relative_to(root)), p)) is not None]
    return sorted(found, key=lambda v: v.saved_at, reverse=True)


def release(data_dir: Path, entry: Version, now: datetime | None = None) -> Version | None:
    """Move a quarantined file back; a file now in its place is kept as a version first (returned, or None)."""
    source = _check_kept(data_dir, Shelf.QUARANTINE, entry)
    target = data_path(data_dir, entry.rel)
    kept = keep_version(data_dir, entry.rel, now)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    return kept
