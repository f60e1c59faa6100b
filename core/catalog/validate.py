"""Validation of any data folder: generic checks of every file and of the folder, each pass / warn / fail, plus
any whole-folder checks the caller adds (a generated world's own). Nothing raises on bad files or odd data."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from PIL import Image, UnidentifiedImageError

from core.catalog.checks import (
    ABSURD_MAGNITUDE,
    Issue,
    Status,
    csv_issues,
    fail,
    listed,
    number_problems,
    one_line,
    worst,
)
from core.catalog.inventory import scan
from core.catalog.loading import CatalogError, guess_decode, load_csv
from core.catalog.schemas import REQUIRED_COLUMNS

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
TEXT_SUFFIXES = (".md", ".markdown", ".txt")
DOCUMENT_SUFFIXES = (*TEXT_SUFFIXES, ".pdf", ".docx")
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".xlsm", ".ods")
UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))  # the index reads UTF-16 after its mark
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # read no more of one document than this
FOLDER_PREFIX = "folder: "
STATUS_ICONS = {Status.PASS: "✅", Status.WARN: "⚠️", Status.FAIL: "❌"}

__all__ = ["ABSURD_MAGNITUDE", "FileCheck", "Status", "check_file", "document_issues", "number_problems",
           "results_table", "schema_problems", "status_counts", "validate_folder"]


@dataclass(frozen=True)
class FileCheck:
    """One validation verdict: what was checked, pass / warn / fail, and why."""

    name: str
    status: Status
    detail: str

    @property
    def passed(self) -> bool:
        """True unless the check failed (a warning passes): the answer for callers that know only pass/fail."""
        return self.status is not Status.FAIL

    @classmethod
    def of(cls, name: str, issues: Iterable[Issue], ok: str) -> FileCheck:
        """The verdict on a set of issues: the worst status, failures named before warnings, else `ok`."""
        found = sorted(issues, key=lambda i: -i.status.rank)
        status = worst(i.status for i in found)
        mixed = status is Status.FAIL
        texts = [f"warning: {i.text}" if mixed and i.status is Status.WARN else i.text for i in found]
        return cls(name, status, "; ".join(texts) if texts else ok)


def status_counts(results: Iterable[FileCheck]) -> dict[Status, int]:
    """How many checks passed, warned and failed (every status present, zero included)."""
    counts = Counter(r.status for r in results)
    return {s: counts.get(s, 0) for s in Status}


def results_table(results: Iterable[FileCheck], problems_only: bool = False) -> pd.DataFrame:
    """The verdicts as a table (icon, status, check, detail), failures and warnings only when asked."""
    shown = [r for r in results if not problems_only or r.status is not Status.PASS]
    return pd.DataFrame({"": [STATUS_ICONS[r.status] for r in shown], "status": [r.status.value for r in shown],
                         "check": [r.name for r in shown], "detail": [r.detail for r in shown]},
                        columns=["", "status", "check", "detail"])


def schema_problems(name: str, df: pd.DataFrame) -> list[str]:
    """Columns the app expects in a file of this name (an upload replacing one of its own files) that are missing."""
    missing = [c for c in REQUIRED_COLUMNS.get(name, ()) if c not in df.columns]
    return [f"missing columns: {', '.join(missing)}"] if missing else []


def text_issues(name: str, content: bytes, utf16: bool = True) -> list[Issue]:
    """A text document must be UTF-8 (or, when utf16, UTF-16 after its byte-order mark, which the index also reads)
    and not empty."""
    text = None
    for bom, enc in UTF16_BOMS if utf16 else ():
        if content.startswith(bom):
            try:
                text = content[len(bom):].decode(enc)
            except UnicodeDecodeError:
                return [fail(f"{name} starts with a {enc.upper()} byte-order mark but is not {enc.upper()} text")]
    if text is None:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                enc = guess_decode(content)[1]
            except CatalogError:
                enc = "binary or unknown"
            return [fail(f"{name} is {enc} text; save it as UTF-8")]
    if "\x00" in text:
        return [fail(f"{name} contains NUL bytes: it is binary (or UTF-16 without a byte-order mark), not UTF-8 text")]
    return [] if text.strip() else [fail(f"{name} is empty")]


def pdf_issues(name: str, content: bytes) -> list[Issue]:
    """A PDF must open, not be password-protected, and have a text layer the index can read."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            return [fail(f"{name} is password-protected; save an unprotected copy")]
        has_text = any((page.extract_text() or "").strip() for page in reader.pages)
    except Exception as exc:  # pypdf raises its own error classes, zlib and struct errors on damaged files
        return [fail(f"{name} is not a readable PDF ({one_line(exc)})")]
    return [] if has_text else [fail(f"{name} has no text to read (a scanned PDF needs OCR first)")]


def docx_issues(name: str, content: bytes) -> list[Issue]:
    """A Word file must open as .docx and hold some text (paragraphs or table cells)."""
    import docx

    try:
        doc = docx.Document(io.BytesIO(content))
        texts = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    except Exception as exc:  # python-docx raises zipfile, KeyError and lxml errors on damaged packages
        return [fail(f"{name} is not a readable Word document (.docx) ({one_line(exc)})")]
    return [] if any(t.strip() for t in texts) else [fail(f"{name} has no text")]


DOCUMENT_CHECKS: dict[str, Callable[[str, bytes], list[Issue]]] = {".pdf": pdf_issues, ".docx": docx_issues}


def document_issues(name: str, content: bytes, utf16: bool = True) -> list[Issue]:
    """Why a document (.md, .txt, .pdf, .docx) cannot be read by the index; empty when it can. utf16=False holds
    text files to UTF-8 (uploads: one encoding for new files)."""
    suffix = Path(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return text_issues(name, content, utf16)
    check = DOCUMENT_CHECKS.get(suffix)
    if check is None:
        return [fail(f"{name}: not a document kind the app reads ({', '.join(DOCUMENT_SUFFIXES)})")]
    return check(name, content)


def read_document_bytes(path: Path) -> bytes:
    """A document's bytes, refused beyond MAX_DOCUMENT_BYTES."""
    with path.open("rb") as fh:
        content = fh.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise CatalogError(f"{path.name} is larger than {MAX_DOCUMENT_BYTES // 2**20} MB")
    return content


def _csv_check(name: str, path: Path) -> FileCheck:
    loaded = load_csv(path)
    if loaded.error:
        return FileCheck(name, Status.FAIL, loaded.error)
    issues = csv_issues(loaded.df, loaded.nan_text)
    if path.name == "asset_manifest.csv" and "file" in loaded.df:
        missing = [f for f in loaded.df.file.astype(str) if not (path.parent / f).is_file()]
        issues += [fail(f"{len(missing)} listed images missing, e.g. {missing[0]}")] if missing else []
    return FileCheck.of(name, issues, f"{len(loaded.df):,} rows × {len(loaded.df.columns)} columns")


def _image_check(name: str, path: Path) -> FileCheck:
    try:
        with Image.open(path) as img:
            img.verify()
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as exc:
        return FileCheck(name, Status.FAIL, f"not a readable image ({exc})")
    return FileCheck(name, Status.PASS, "readable image")


def check_file(path: Path, data_dir: Path) -> FileCheck:
    """Generic checks for one file by kind; anything that goes wrong inside is a failure with its reason."""
    name = Path(path).relative_to(data_dir).as_posix()
    try:
        if not Path(path).resolve().is_relative_to(Path(data_dir).resolve()):
            return FileCheck(name, Status.FAIL, "links to a file outside the data folder; not read")
        suffix = path.suffix.lower()
        if suffix == ".csv":
            return _csv_check(name, path)
        if suffix in DOCUMENT_SUFFIXES:
            return FileCheck.of(name, document_issues(path.name, read_document_bytes(path)), "readable document")
        if suffix in IMAGE_SUFFIXES:
            return _image_check(name, path)
        if suffix in SPREADSHEET_SUFFIXES:
            return FileCheck(name, Status.WARN, "spreadsheets are not read; save each sheet as CSV")
        return FileCheck(name, Status.PASS, "not checked (not a data file kind)")
    except Exception as exc:  # the boundary: one odd file is a failed check, never a failed validation
        return FileCheck(name, Status.FAIL, one_line(exc, Path(data_dir)))


def kind_counts(files: Iterable[Path]) -> dict[str, int]:
    """Files by kind: CSV, documents, images, other."""
    def kind(p: Path) -> str:
        s = p.suffix.lower()
        return ("CSV" if s == ".csv" else "documents" if s in DOCUMENT_SUFFIXES
                else "images" if s in IMAGE_SUFFIXES else "other")
    return dict(Counter(kind(p) for p in files))


def folder_overview(data_dir: Path, files: list[Path], skipped: list[str]) -> list[FileCheck]:
    """Whole-folder generic checks: what the folder holds, and the entries that are not read."""
    counts = kind_counts(files)
    contents = (FileCheck(f"{FOLDER_PREFIX}contents", Status.PASS,
                          f"{len(files)} files: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
                if files else FileCheck(f"{FOLDER_PREFIX}contents", Status.WARN,
                                        "the folder holds no data files: upload files or regenerate the data"))
    links = (FileCheck(f"{FOLDER_PREFIX}entries not read", Status.WARN, f"{len(skipped)} not read: {listed(skipped)}")
             if skipped else FileCheck(f"{FOLDER_PREFIX}entries not read", Status.PASS,
                                       "every entry is a file inside the data folder"))
    return [contents, links]


def _guarded(name: str, run: Callable[[], list[FileCheck]], root: Path) -> list[FileCheck]:
    """run(), or one failed check with the reason when it raises."""
    try:
        return run()
    except Exception as exc:  # the boundary: a broken check is reported, the other verdicts stand
        return [FileCheck(name, Status.FAIL, one_line(exc, root))]


def validate_folder(data_dir: Path, folder_checks: Callable[[Path], list[FileCheck]] | None = None
                    ) -> list[FileCheck]:
    """Checks of every file, then of the whole folder, then any whole-folder checks given (e.g. a generated
    world's own); each check that raises becomes a failure with a one-line reason."""
    data_dir = Path(data_dir)
    try:
        folder = scan(data_dir)
        files, skipped = folder.files, [s.message() for s in folder.skipped]
    except Exception as exc:  # the boundary: an unlistable folder is one failed check
        return [FileCheck(f"{FOLDER_PREFIX}listing", Status.FAIL, one_line(exc, data_dir))]
    found = [check_file(p, data_dir) for p in files]
    found += _guarded(f"{FOLDER_PREFIX}overview", lambda: folder_overview(data_dir, files, skipped), data_dir)
    if folder_checks is not None:
        found += _guarded(f"{FOLDER_PREFIX}own checks", lambda: folder_checks(data_dir), data_dir)
    return found
