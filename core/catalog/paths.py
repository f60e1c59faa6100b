"""The one path guard every reader uses: a file is data only if its real path lies inside the data folder.

`Path.rglob` follows file symlinks and a manifest can name any path, so every path is resolved (symlinks
fully) and checked against the resolved root before anything reads it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

RESOLVE_ERRORS = (OSError, RuntimeError, ValueError)  # symlink loops (RuntimeError in 3.11), NUL bytes (ValueError)


class SkipReason(str, Enum):
    """Why a listed path is not treated as data."""

    OUTSIDE = "points outside the data folder"
    BROKEN = "is a broken or looping link"
    MISSING = "is missing"
    FOLDER = "is a folder, not a file"
    NOT_A_FILE = "is not a regular file"


@dataclass(frozen=True)
class Skipped:
    """A path that was listed (or named) but not used, and why."""

    name: str
    reason: SkipReason

    def message(self) -> str:
        """'raw/leak.csv points outside the data folder'."""
        return f"{self.name} {self.reason.value}"


@dataclass(frozen=True)
class FolderScan:
    """The files of a folder that are safe to read, and the ones skipped."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def real_path(path: Path | str) -> Path | None:
    """The path with every symlink resolved, or None for a link loop or an unusable name."""
    try:
        return Path(path).resolve()
    except RESOLVE_ERRORS:
        return None


def resolve_inside(root: Path, candidate: str | Path) -> Path | None:
    """The real path of candidate if it lies inside root's real path, else None.

    A relative candidate is relative to root; an absolute one is allowed only if it resolves inside root.
    Existence is not checked (see `check_file`).
    """
    real_root, real = real_path(root), real_path(Path(root) / candidate)
    if real_root is None or real is None or not real.is_relative_to(real_root):
        return None
    return real


def check_file(root: Path, candidate: str | Path) -> Path | SkipReason:
    """The real path of a regular file inside root, or the reason it cannot be read as one."""
    real = resolve_inside(root, candidate)
    if real is None:
        return SkipReason.BROKEN if real_path(Path(root) / candidate) is None else SkipReason.OUTSIDE
    if real.is_file():
        return real
    if real.is_dir():
        return SkipReason.FOLDER
    return SkipReason.NOT_A_FILE if real.exists() else SkipReason.MISSING


def _excluded(parts: tuple[str, ...], skip_dirs: Collection[str]) -> bool:
    """True for hidden entries and anything under a skipped folder name."""
    return bool(set(skip_dirs) & set(parts[:-1])) or any(p.startswith(".") for p in parts)


def data_files_inside(root: Path, skip_dirs: Collection[str] = (), suffixes: Collection[str] | None = None
                      ) -> FolderScan:
    """Regular files under root (sorted, named as listed), skipping hidden entries, skip_dirs and other suffixes.

    A listed entry whose real path is outside root (a symlink to /etc/passwd) is skipped with its reason;
    folders, and symlinks to folders inside root, are silently walked past.
    """
    root = Path(root)
    if not root.is_dir():
        return FolderScan()
    wanted = {s.lower() for s in suffixes} if suffixes is not None else None
    files, skipped = [], []
    for p in sorted(root.rglob("*")):
        parts = p.relative_to(root).parts
        if _excluded(parts, skip_dirs) or (wanted is not None and p.suffix.lower() not in wanted):
            continue
        name = Path(*parts)
        checked = check_file(root, name)
        if isinstance(checked, Path):
            files.append(p)
        elif checked is not SkipReason.FOLDER:  # a listed name that is missing is a dangling link
            skipped.append(Skipped(str(name), SkipReason.BROKEN if checked is SkipReason.MISSING else checked))
    return FolderScan(files, skipped)
