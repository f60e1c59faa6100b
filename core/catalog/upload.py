"""Checked uploads into data/raw: type, safe name, size, parse and schema first; no silent overwrite, and a
replaced file is kept as a version."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from core.atomic import write_atomic
from core.catalog.loading import MAX_CSV_BYTES, CatalogError, decode, parse_csv
from core.catalog.validate import loaded_problems
from core.catalog.versions import keep_version

ALLOWED_SUFFIXES = (".csv", ".md")
MAX_BYTES = MAX_CSV_BYTES
TEXT_ENCODINGS = ("utf-8", "utf-8-sig")  # what the index reads markdown as
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}$")


@dataclass(frozen=True)
class UploadCheck:
    """The verdict on an upload: where it would go, whether it is acceptable, and what is wrong."""

    name: str
    ok: bool
    target: Path | None = None
    would_overwrite: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """The problems as one sentence."""
        return "; ".join(self.problems) if self.problems else "ready to save"


def name_problems(name: str) -> list[str]:
    """Why a file name is unsafe or of the wrong type (no folders, no traversal, csv/md only)."""
    if not name or name != os.path.basename(name) or "\\" in name or ".." in name:
        return ["the file name must be a plain name without folders"]
    if not SAFE_NAME.match(name):
        return ["use letters, digits, spaces, dots, dashes and underscores in the file name"]
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        return [f"only {' and '.join(ALLOWED_SUFFIXES)} files can be uploaded"]
    return []


def markdown_problems(name: str, content: bytes) -> list[str]:
    """Why the bytes are not a non-empty UTF-8 markdown document (the only encoding the index reads)."""
    try:
        text, enc = decode(content)
    except CatalogError as exc:
        return [f"{name}: {exc}"]
    if enc not in TEXT_ENCODINGS:
        return [f"{name} is {enc} text; save it as UTF-8 and upload it again"]
    return [] if text.strip() else [f"{name} is empty"]


def content_problems(name: str, content: bytes) -> list[str]:
    """Why the bytes are not a usable CSV or markdown file."""
    if len(content) > MAX_BYTES:
        return [f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB"]
    if Path(name).suffix.lower() == ".csv":
        return loaded_problems(name, parse_csv(content, name))
    return markdown_problems(name, content)


def check_upload(name: str, content: bytes, raw_dir: Path) -> UploadCheck:
    """Check an upload before anything is written."""
    problems = name_problems(name)
    if problems:
        return UploadCheck(name, False, None, False, problems)
    raw_dir = Path(raw_dir).resolve()
    target = (raw_dir / name).resolve()
    if target.parent != raw_dir:
        return UploadCheck(name, False, None, False, ["the file must go directly into data/raw"])
    problems = content_problems(name, content)
    return UploadCheck(name, not problems, target, target.exists(), problems)


def save_upload(check: UploadCheck, content: bytes, raw_dir: Path, overwrite: bool = False,
                data_dir: Path | None = None) -> Path:
    """Write a checked upload atomically, first keeping any file it replaces as a version under data_dir
    (default: raw_dir's parent); CatalogError if unchecked, rejected, or an unconfirmed overwrite."""
    if not check.ok or check.target is None:
        raise CatalogError(f"{check.name} was not accepted: {check.message}")
    raw_dir = Path(raw_dir).resolve()
    if raw_dir != check.target.parent:
        raise CatalogError("the upload check was made for another folder")
    if check.target.exists() and not overwrite:
        raise CatalogError(f"{check.name} already exists; confirm to replace it")
    root = Path(data_dir).resolve() if data_dir is not None else raw_dir.parent
    if not check.target.is_relative_to(root):
        raise CatalogError("data/raw must lie inside the data folder")
    if check.target.exists():
        keep_version(root, check.target.relative_to(root))  # raises (writing nothing) if it cannot
    return write_atomic(check.target, content)
