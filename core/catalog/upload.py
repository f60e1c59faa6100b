"""Checked uploads into data/raw: CSV tables and documents (markdown, text, PDF, Word). Type, safe name, size,
parse, schema and readability are checked first; there is no silent overwrite, and a replaced file is kept as a
version."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from core.atomic import write_atomic
from core.catalog.checks import Status, csv_issues
from core.catalog.loading import MAX_CSV_BYTES, CatalogError, parse_csv
from core.catalog.validate import document_issues, schema_problems
from core.catalog.versions import keep_version

DOCUMENT_UPLOADS = (".md", ".txt", ".pdf", ".docx")  # the documents the index reads (core.rag.readers)
ALLOWED_SUFFIXES = (".csv", *DOCUMENT_UPLOADS)
MAX_BYTES = MAX_CSV_BYTES
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}$")


@dataclass(frozen=True)
class UploadCheck:
    """The verdict on an upload: where it would go, whether it is acceptable, and what is wrong."""

    name: str
    ok: bool
    target: Path | None = None
    would_overwrite: bool = False
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # accepted, but worth a look (duplicate rows, gaps in weeks)

    @property
    def message(self) -> str:
        """The problems as one sentence."""
        return "; ".join(self.problems) if self.problems else "ready to save"


def name_problems(name: str) -> list[str]:
    """Why a file name is unsafe or of the wrong type (no folders, no traversal, CSV or a document only)."""
    if not name or name != os.path.basename(name) or "\\" in name or ".." in name:
        return ["the file name must be a plain name without folders"]
    if not SAFE_NAME.match(name):
        return ["use letters, digits, spaces, dots, dashes and underscores in the file name"]
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        return [f"only {', '.join(ALLOWED_SUFFIXES[:-1])} and {ALLOWED_SUFFIXES[-1]} files can be uploaded"]
    return []


def content_verdict(name: str, content: bytes) -> tuple[list[str], list[str]]:
    """(problems, warnings) of the bytes: problems make a CSV or document unusable (unparsable, impossible
    numbers, unreadable, password-protected, no text); warnings are worth a look (duplicate rows, gaps in weeks)."""
    if len(content) > MAX_BYTES:
        return [f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB"], []
    if Path(name).suffix.lower() != ".csv":
        return [i.text for i in document_issues(name, content, utf16=False) if i.status is Status.FAIL], []
    loaded = parse_csv(content, name)
    if loaded.error:
        return [loaded.error], []
    issues = csv_issues(loaded.df, loaded.nan_text)
    problems = schema_problems(name, loaded.df) + [i.text for i in issues if i.status is Status.FAIL]
    return problems, [] if problems else [i.text for i in issues if i.status is Status.WARN]


def check_upload(name: str, content: bytes, raw_dir: Path) -> UploadCheck:
    """Check an upload before anything is written."""
    problems = name_problems(name)
    if problems:
        return UploadCheck(name, False, None, False, problems)
    raw_dir = Path(raw_dir).resolve()
    target = (raw_dir / name).resolve()
    if target.parent != raw_dir:
        return UploadCheck(name, False, None, False, ["the file must go directly into data/raw"])
    problems, warnings = content_verdict(name, content)
    return UploadCheck(name, not problems, target, target.exists(), problems, warnings)


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
