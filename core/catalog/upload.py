"""Checked uploads into data/raw: type, safe name, size, parse and schema first; no silent overwrite."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from core.catalog.loading import CatalogError, decode, parse_csv
from core.catalog.validate import csv_problems

ALLOWED_SUFFIXES = (".csv", ".md")
MAX_BYTES = 50 * 1024 * 1024
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


def content_problems(name: str, content: bytes) -> list[str]:
    """Why the bytes are not a usable CSV or markdown file."""
    if len(content) > MAX_BYTES:
        return [f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"]
    if Path(name).suffix.lower() == ".csv":
        loaded = parse_csv(content, name)
        return [loaded.error] if loaded.error else csv_problems(name, loaded.df)
    try:
        text, _ = decode(content)
    except CatalogError as exc:
        return [str(exc)]
    return [] if text.strip() else [f"{name} is empty"]


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


def save_upload(check: UploadCheck, content: bytes, raw_dir: Path, overwrite: bool = False) -> Path:
    """Write a checked upload atomically; CatalogError if unchecked, rejected, or an unconfirmed overwrite."""
    if not check.ok or check.target is None:
        raise CatalogError(f"{check.name} was not accepted: {check.message}")
    if Path(raw_dir).resolve() != check.target.parent:
        raise CatalogError("the upload check was made for another folder")
    if check.target.exists() and not overwrite:
        raise CatalogError(f"{check.name} already exists; confirm to replace it")
    check.target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=check.target.parent, prefix=".upload-")
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
    os.replace(tmp, check.target)
    return check.target
