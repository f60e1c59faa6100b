"""The index's files on disk: digests, the manifest, the bm25s folder, folder identity and opening the store.

Every file written here is replaced atomically, and every piece read may be missing or damaged: readers
return None or a reason instead of raising, so the index can say it needs a rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np
from qdrant_client import QdrantClient, models

from core.atomic import write_atomic
from core.config import Settings
from core.domain import Progress
from core.rag.documents import CHUNKER_VERSION, Chunk
from core.rag.sparse import doc_sparse
from core.rag.types import (
    IndexLockedError,
    IndexPathError,
)

DENSE, SPARSE = "dense", "sparse"
FILES_SHARE = 0.95  # of a build's progress; the bm25s row index takes the rest
ROWS_KEY_FILE = "rows.json"
FOLDER_ID_FILE = "folder-id"  # <index>/folder-id: the index folder's random id, written once by the first build
MANIFEST_FORMAT = 2  # 2: {"format", "built_for", "folder_id", "files"}; 1 was the bare files dict
HASH_BLOCK = 1 << 20
LEFTOVER_AGE_S = 3600.0  # temporary manifest files and bm25s folders older than this are from a killed build
LOCKED_MARK = "already accessed by another instance"  # embedded Qdrant's RuntimeError when a folder is held
BM25_ERRORS: tuple[type[Exception], ...] = (OSError, ValueError, EOFError, KeyError, TypeError)


# ---- files on disk: digests, manifest, bm25s folder, folder identity ---------------------------------------
def file_digest(path: Path) -> str:
    """sha256 of the chunker version and the file's bytes (streamed): new chunk text re-embeds, as new data does."""
    h = hashlib.sha256(CHUNKER_VERSION.encode())
    with path.open("rb") as fh:
        while block := fh.read(HASH_BLOCK):
            h.update(block)
    return h.hexdigest()


def _valid_entry(entry: object) -> bool:
    """True for a manifest entry {hash: str, ids: list, collection: str, ...}."""
    return (isinstance(entry, dict) and isinstance(entry.get("hash"), str)
            and isinstance(entry.get("ids"), list) and isinstance(entry.get("collection"), str))


@dataclass(frozen=True)
class Manifest:
    """A manifest's file entries (keyed by data-relative path) and the data folder it was built for.

    built_for is the data folder's resolved path at build time and folder_id the random id of the index folder
    (its folder-id file) the manifest was written with: a copied, moved or borrowed index differs in one.
    """

    entries: dict[str, dict] = field(default_factory=dict)
    built_for: str | None = None
    folder_id: str | None = None


def read_manifest(path: Path) -> tuple[Manifest, str | None]:
    """(manifest, None) for a readable manifest or none at all; (empty, why) for an empty, cut, foreign one or
    one from before MANIFEST_FORMAT (it does not say which folder it was built for)."""
    if not path.exists():
        return Manifest(), None
    try:
        raw = path.read_bytes()
        data = json.loads(raw)
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        what = "is empty" if path.is_file() and not path.stat().st_size else f"is unreadable ({exc})"
        return Manifest(), f"{path.name} {what}, probably from an interrupted build"
    if isinstance(data, dict) and "format" not in data and all(_valid_entry(v) for v in data.values()):
        return Manifest(), (f"{path.name} is from an older index format that does not record which data folder "
                            "it was built for")
    files, built_for, fid = (data.get("files"), data.get("built_for"), data.get("folder_id")) \
        if isinstance(data, dict) else (None, None, None)
    if (not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or not isinstance(files, dict)
            or not all(_valid_entry(v) for v in files.values())
            or not isinstance(built_for, str) or not isinstance(fid, str)):
        return Manifest(), f"{path.name} does not hold an index manifest of format {MANIFEST_FORMAT}"
    return Manifest(files, built_for, fid), None


def save_manifest(path: Path, entries: dict[str, dict], built_for: str, folder: str) -> None:
    """Write the manifest atomically: a reader or a kill -9 sees the old file or the new one, never half."""
    sweep_leftovers(path)
    write_atomic(path, json.dumps({"format": MANIFEST_FORMAT, "built_for": built_for, "folder_id": folder,
                                   "files": entries}))


def data_identity(data: Path) -> str:
    """The resolved path of a data folder: what a manifest records as the folder it was built for."""
    return str(Path(data).resolve())


def read_folder_id(index: Path) -> str | None:
    """The random id in <index>/folder-id, None when it is missing or unreadable."""
    try:
        text = (index / FOLDER_ID_FILE).read_text().strip()
    except (OSError, ValueError):
        return None
    return text or None


def ensure_folder_id(index: Path) -> str:
    """The index folder's random id, written once (atomically) when it has none."""
    if (found := read_folder_id(index)) is not None:
        return found
    index.mkdir(parents=True, exist_ok=True)
    new = uuid.uuid4().hex
    write_atomic(index / FOLDER_ID_FILE, new)
    return new


def folder_problem(manifest: Manifest, data: Path, index: Path) -> str | None:
    """Why a readable manifest does not belong to this data folder and index (copied, moved, or an index dir
    pointing at another folder's index), else None."""
    here = data_identity(data)
    if manifest.built_for != here:
        return f"the index was built for {manifest.built_for}; this is {here} — rebuild"
    if manifest.folder_id != read_folder_id(index):
        return f"the index in {index} was written by another index folder (its folder-id differs) — rebuild"
    return None


def to_data_relative(path: str | None, data: Path) -> str | None:
    """A path stored in the index as data-relative (POSIX); one outside the data folder is kept as given."""
    if not path:
        return path
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    for root in (Path(data).absolute(), Path(data).resolve()):
        try:
            return p.relative_to(root).as_posix()
        except ValueError:
            continue
    return path


def from_data_relative(path: str | None, data: Path) -> str | None:
    """A stored data-relative path resolved against the current data folder (absolute ones as stored)."""
    if not path or Path(path).is_absolute():
        return path
    return str(Path(data).absolute() / path)


def _rows_key(rows: list[dict]) -> str:
    """sha256 of the row chunk ids, in order: tells whether a saved bm25s index is current."""
    return hashlib.sha256("\n".join(r["id"] for r in rows).encode()).hexdigest()


def sweep_leftovers(target: Path, max_age_s: float = LEFTOVER_AGE_S) -> None:
    """Remove the temporary siblings (.name.*) of a file or folder left by a build killed mid-write; only old
    ones, since a server-mode build in another process may be writing a fresh one."""
    now = time.time()
    for p in target.parent.glob(f".{target.name}.*"):
        try:
            if now - p.lstat().st_mtime <= max_age_s:
                continue
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p, ignore_errors=True)
            else:
                p.unlink()
        except OSError:
            continue


def replace_folder(new: Path, dest: Path) -> None:
    """Put folder new at dest: the old dest is renamed aside, new renamed in, the old copy removed.

    A crash leaves dest whole (old or new) or absent, never a mix; readers rebuild an absent one.
    """
    old = dest.with_name(f".{dest.name}.old-{uuid.uuid4().hex}")
    if dest.exists():
        os.replace(dest, old)
    os.replace(new, dest)
    shutil.rmtree(old, ignore_errors=True)


def save_bm25(retriever: bm25s.BM25, key: str, folder: Path) -> None:
    """Save a bm25s index and its rows key into a temporary sibling folder, then swap it in."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(folder)
    tmp = folder.with_name(f".{folder.name}.tmp-{uuid.uuid4().hex}")
    try:
        retriever.save(str(tmp), show_progress=False)
        write_atomic(tmp / ROWS_KEY_FILE, json.dumps(key))
        replace_folder(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_bm25(folder: Path, rows: list[dict]) -> bm25s.BM25 | None:
    """The saved bm25s index when it is whole and was built from exactly these rows, else None."""
    try:
        if json.loads((folder / ROWS_KEY_FILE).read_text()) != _rows_key(rows):
            return None
        retriever = bm25s.BM25.load(str(folder), show_progress=False)
    except BM25_ERRORS:  # missing, empty or cut files: rebuilt by the caller
        return None
    return retriever if retriever.scores.get("num_docs") == len(rows) else None


def hold_folder(path: Path) -> int | None:
    """An open descriptor of a folder: while held, its inode cannot be reused by a folder created in its
    place, so folder_id tells a replaced folder from the original. None where folders cannot be opened."""
    try:
        return os.open(path, os.O_RDONLY)
    except OSError:
        return None


def folder_id(path: Path) -> tuple[int, int] | None:
    """(device, inode) of a folder, None when it is gone: a deleted-and-recreated folder gets a new id."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino) if path.is_dir() else None


def index_fingerprint(settings: Settings) -> str:
    """A cheap stamp of the index folder (store and collection folder ids, manifest times and sizes): it changes
    when the index is rebuilt, damaged, deleted or replaced, so a cached status can key on it."""
    store = settings.qdrant_path
    parts = [f"store:{folder_id(store)}"]
    try:
        parts += [f"{p.name}:{folder_id(p)}" for p in sorted((store / "collection").glob("*"))]
        for p in sorted(settings.index_path.glob("manifest*.json")):
            st = p.stat()
            parts.append(f"{p.name}:{st.st_mtime_ns}:{st.st_size}")
    except OSError:
        parts.append("unreadable")
    return "|".join(parts)


def _reason(exc: BaseException) -> str:
    """One line naming what went wrong reading a file."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _too_large(size: int, limit: int, kind: str) -> str:
    """The skip reason of a file over its size limit."""
    return (f"{size / 2**20:.1f} MB is over the {limit / 2**20:.0f} MB limit for {kind} files, so none of it "
            "was indexed — split it into smaller files")


def _source_key(path: Path, data: Path) -> str | None:
    """The manifest key of a source: its path relative to the data folder (as given or resolved)."""
    for root in (data, data.resolve()):
        try:
            return str(path.relative_to(root))
        except ValueError:
            continue
    return None


def _point(chunk: Chunk, vector: np.ndarray, data: Path) -> models.PointStruct:
    """A chunk as a Qdrant point: dense vector, BM25 sparse weights, payload (image_path data-relative)."""
    idx, val = doc_sparse(chunk.text)
    payload = {"text": chunk.text, "image_path": to_data_relative(chunk.image_path, data), **chunk.metadata}
    return models.PointStruct(id=chunk.id, payload=payload, vector={
        DENSE: vector.tolist(), SPARSE: models.SparseVector(indices=idx, values=val)})


def _file_progress(note: Progress, i: int, total: int) -> Callable[[float, str], object]:
    """Progress of file i of total: its own 0..1 mapped onto [i/total, (i+1)/total] of the files' share."""
    return lambda f, msg: note(FILES_SHARE * (i + max(0.0, min(1.0, f))) / total, msg)


def _chunk_progress(step: Callable[[float, str], object], key: str) -> Callable[[int, int], object]:
    """Progress inside one file: (done, total) chunks as 'embedding file: done/total chunks'."""
    return lambda done, total: step(done / max(total, 1), f"embedding {key}: {done}/{total} chunks")


# ---- opening -------------------------------------------------------------------------------------------------
def _lock_free(store: Path) -> bool:
    """True when no client holds the embedded store's lock file (probed, then released)."""
    import portalocker  # qdrant's own locking library; it checks writable folders on import

    lock = store / ".lock"
    if not lock.exists():
        return True
    with lock.open("r+") as fh:
        try:
            portalocker.lock(fh, portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING)
        except portalocker.exceptions.LockException:
            return False
        portalocker.unlock(fh)
    return True


def _open_local(settings: Settings) -> tuple[QdrantClient, list[str]]:
    """The embedded client of settings.qdrant_path and what had to be repaired to open it.

    An unreadable store (Qdrant's meta.json cut by a kill) is moved aside and a fresh one opened, so a rebuild
    can run; a held lock is IndexLockedError and a file in the folder's place IndexPathError.
    """
    store = settings.qdrant_path
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IndexPathError(settings.index_path, exc.strerror or type(exc).__name__) from None
    try:
        return QdrantClient(path=str(store)), []
    except RuntimeError as exc:
        if LOCKED_MARK in str(exc):
            raise IndexLockedError(settings.index_path) from None
        raise
    except (ValueError, KeyError, TypeError) as exc:  # meta.json empty, cut or foreign
        if not _lock_free(store):
            raise IndexLockedError(settings.index_path) from None
        aside = store.with_name(f"{store.name}.unreadable-{time.strftime('%Y%m%d-%H%M%S')}")
        os.replace(store, aside)
        store.mkdir()
        note = f"the Qdrant store was unreadable ({_reason(exc)}) and was moved to {aside.name}"
        return QdrantClient(path=str(store)), [note]
