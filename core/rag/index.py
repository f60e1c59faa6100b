"""HybridIndex: one Qdrant client (dense + sparse, RRF in Qdrant) plus a bm25s index over row chunks.

qdrant-client is used directly (not LlamaIndex's vector store) because its hybrid mode fuses
client-side and its default sparse model downloads from a hub, which fails offline.

Every file the index writes (manifest, bm25s folder) is replaced atomically, and every piece it reads may be
missing or damaged: then the index says it needs a rebuild (IndexStatus.problems) instead of raising.

The embedded store and a Qdrant server (QDRANT_URL) run the same code: only `connect` differs. One HybridIndex is
shared by every session of a process, so it is safe to call from many threads at once.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import bm25s
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ApiException, ResponseHandlingException

from core.catalog import MAX_CSV_BYTES
from core.catalog.categories import Category
from core.config import Settings
from core.domain import Progress
from core.rag.documents import (
    Chunk,
    ChunkKind,
    asset_chunks,
    file_chunks,
    text_sources,
)
from core.rag.embedder import Embedder, make_embedder
from core.rag.fusion import RRF_K, rrf_fuse
from core.rag.sparse import query_sparse, tokenize
from core.rag.types import (
    BuildReport,
    EmptyQueryError,
    Hit,
    IndexMissingError,
    IndexStaleError,
    IndexStatus,
    RagError,
    SearchMode,
    SkippedFile,
    parse_category,
)

TEXT = "text_documents"
ASSETS = "campaign_assets"
PREFETCH_FACTOR = 4  # candidates per branch = k × this
UPSERT_BATCH = 256  # chunks embedded, upserted and reported as one progress step
# Every markdown section is embedded: a 2 MB contract is ~6,000 chunks, minutes of MiniLM on 2 cores (a 5 MB one
# sat for 25 min). CSV rows go to bm25s only, so CSVs share the catalog's larger limit.
MAX_MARKDOWN_BYTES = 2 * 1024 * 1024
# What reading one source file can raise: undecodable bytes and pandas parser errors are ValueErrors, the
# python csv engine raises csv.Error, odd columns KeyError/TypeError/IndexError, vanished files OSError.
CHUNK_ERRORS: tuple[type[Exception], ...] = (OSError, ValueError, csv.Error, KeyError, TypeError, IndexError)
QDRANT_ERRORS: tuple[type[Exception], ...] = (RuntimeError, OSError, ValueError, sqlite3.Error, ApiException,
                                              ResponseHandlingException)
QDRANT_TIMEOUT_S = 10  # a Qdrant server that has not answered a request in this long fails it with a message


from core.rag.store import (  # noqa: E402
    DENSE,
    FILES_SHARE,
    SPARSE,
    _chunk_progress,
    _file_progress,
    _open_local,
    _point,
    _reason,
    _rows_key,
    _source_key,
    _too_large,
    data_identity,
    ensure_folder_id,
    file_digest,
    folder_id,
    folder_problem,
    from_data_relative,
    hold_folder,
    load_bm25,
    read_manifest,
    save_bm25,
    save_manifest,
    to_data_relative,
)


class QdrantServerError(RagError):
    """The Qdrant server named by QDRANT_URL could not be reached, refused the request or failed it."""

    def __init__(self, url: str, why: str) -> None:
        super().__init__(f"the Qdrant server at {url} failed: {why} — check that it is running and that "
                         "QDRANT_URL and QDRANT_API_KEY are right")


def connect(settings: Settings) -> tuple[QdrantClient, list[str]]:
    """The Qdrant client settings name (a server for QDRANT_URL, else the embedded store in qdrant_path) and what
    had to be repaired to open it. The only place the two modes differ: the index uses either the same way."""
    if settings.qdrant_url:
        return QdrantClient(url=settings.qdrant_url, api_key=settings.qdrant_api_key, timeout=QDRANT_TIMEOUT_S), []
    return _open_local(settings)


class HybridIndex:
    """The one retrieval index of a data folder: open once per process, build and search through it."""

    def __init__(self, settings: Settings, client: QdrantClient, embedder: Embedder,
                 repairs: list[str] | None = None) -> None:
        self.settings, self.client, self.embedder = settings, client, embedder
        suffix = "" if embedder.name == "minilm" else f"_{embedder.name}"
        self.text_col, self.asset_col = TEXT + suffix, ASSETS + suffix
        self.manifest_file = settings.index_path / f"manifest{suffix}.json"
        self._bm25: tuple[bm25s.BM25, list[dict]] | None = None
        self._bm25_for: tuple[int, int, int] | None = None  # the manifest file (_stamp) the bm25s index is from
        self._store_fd = None if settings.qdrant_url else hold_folder(settings.qdrant_path)
        self._store = None if settings.qdrant_url else folder_id(settings.qdrant_path)
        self._repairs = list(repairs or [])
        self._lock = threading.RLock()  # one build at a time; the bm25s index is (re)loaded by one thread
        # The embedded engine is plain numpy arrays that an upsert resizes under a concurrent query: its calls take
        # turns. A server orders concurrent requests itself, so replicas and sessions do not wait on each other.
        self._store_lock: AbstractContextManager[object] = nullcontext() if settings.qdrant_url else threading.Lock()

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> HybridIndex:
        """Open (creating folders) the Qdrant store named by settings; QDRANT_URL selects a server."""
        client, repairs = connect(settings)
        try:
            return cls(settings, client, embedder or make_embedder(settings), repairs)
        except BaseException:
            client.close()  # release the folder lock when the embedder cannot load
            raise

    def close(self) -> None:
        """Release the Qdrant client (and its folder lock)."""
        self.client.close()
        if self._store_fd is not None:
            os.close(self._store_fd)
            self._store_fd = None

    def store_problem(self) -> str | None:
        """Why the open embedded store can no longer be used (its folder was deleted or replaced), else None."""
        if self._store is None:
            return None
        where, now = self.settings.index_path, folder_id(self.settings.qdrant_path)
        if now is None:
            return f"the index folder {where} was deleted while it was open"
        if now != self._store:
            return f"the index folder {where} was replaced by another process while it was open"
        collections = self.settings.qdrant_path / "collection"
        lost = [c for c in (self.text_col, self.asset_col)
                if self.client.collection_exists(c) and not (collections / c).is_dir()]
        return f"the collection {lost[0]} was deleted from {where} while it was open" if lost else None

    # ---- build -------------------------------------------------------------------------------
    @contextmanager
    def _served(self) -> Iterator[None]:
        """A Qdrant server's failure (refused, timed out, 401, 5xx) as one QdrantServerError; embedded errors pass."""
        try:
            yield
        except (ApiException, ResponseHandlingException) as exc:
            raise QdrantServerError(self.settings.qdrant_url or "QDRANT_URL", _reason(exc)) from None

    def _ensure(self, name: str) -> None:
        """Create a collection with named dense + IDF sparse vectors if absent."""
        with self._store_lock:
            if self.client.collection_exists(name):
                return
            self.client.create_collection(
                name, vectors_config={DENSE: models.VectorParams(size=self.embedder.dim,
                                                                 distance=models.Distance.COSINE)},
                sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)})

    def _sources(self, text: bool, assets: bool) -> dict[str, tuple[Path, str]]:
        """key → (path, collection) for every source file to index."""
        out: dict[str, tuple[Path, str]] = {}
        data = self.settings.data_dir
        if text:
            for p in text_sources(data):
                if (key := _source_key(p, data)) is not None:
                    out[key] = (p, self.text_col)
        manifest = self.settings.manifest_path
        if assets and manifest.is_file() and (key := _source_key(manifest, data)) is not None:
            out[key] = (manifest, self.asset_col)
        return out

    def _trusted_manifest(self) -> dict[str, dict]:
        """The manifest entries whose chunks are really in Qdrant.

        Without a readable manifest nobody knows which points belong to which file, so both collections are
        dropped and rebuilt; entries of a collection that is gone (store replaced) are forgotten.
        """
        old, problem = read_manifest(self.manifest_file)
        cols = (self.text_col, self.asset_col)
        if problem or not self.manifest_file.exists():
            with self._store_lock:
                for c in cols:
                    if self.client.collection_exists(c):
                        self.client.delete_collection(c)
            return {}
        with self._store_lock:
            live = {c for c in cols if self.client.collection_exists(c)}
        # A manifest of another folder (copied, moved, MIP_INDEX_DIR) is still trusted entry by entry: keys and
        # stored paths are data-relative, and the digests below re-embed every file whose bytes differ here.
        return {k: v for k, v in old.entries.items() if v["collection"] in live}

    def _read_chunks(self, key: str, path: Path, col: str) -> list[Chunk] | SkippedFile:
        """Chunks of one source file, or why it is left out (over its size limit, unreadable, unparsable)."""
        kind, limit = ("CSV", MAX_CSV_BYTES) if path.suffix.lower() == ".csv" else ("document", MAX_MARKDOWN_BYTES)
        try:
            size = path.stat().st_size
            if size > limit:
                return SkippedFile(key, _too_large(size, limit, kind))
            return asset_chunks(path) if col == self.asset_col else file_chunks(path)
        except CHUNK_ERRORS as exc:
            return SkippedFile(key, _reason(exc))

    def _drop(self, entry: dict | None) -> None:
        """Delete a manifest entry's points from its collection."""
        if entry and entry["ids"]:
            with self._store_lock:
                self.client.delete(entry["collection"], points_selector=models.PointIdsList(points=entry["ids"]))

    def build(self, text: bool = True, assets: bool = True, progress: Progress | None = None) -> BuildReport:
        """Embed new/changed files, delete chunks of removed files; unchanged files are skipped.

        A file that cannot be read, parsed or is over its size limit is left out and named in
        BuildReport.skipped (its earlier chunks are removed); it never aborts the build.
        """
        with self._lock, self._served():
            return self._build(text, assets, progress or (lambda f, m: None))

    def _build(self, text: bool, assets: bool, note: Progress) -> BuildReport:
        """build, holding the build lock."""
        data = self.settings.data_dir
        if problem := self.store_problem():
            raise IndexStaleError(problem)
        old = self._trusted_manifest()
        for name in (self.text_col, self.asset_col):
            self._ensure(name)
        sources = self._sources(text, assets)
        scope = {self.text_col} if text else set()
        scope |= {self.asset_col} if assets else set()
        removed = [k for k, v in old.items() if k not in sources and v["collection"] in scope]
        for key in removed:
            self._drop(old.pop(key))
        done, unchanged, skipped = [], [], []
        for i, (key, (path, col)) in enumerate(sorted(sources.items())):
            step = _file_progress(note, i, max(len(sources), 1))
            digest, prev = _digest_or_none(path), old.get(key, {})
            if digest is not None and prev.get("hash") == digest:
                if prev.get("skipped"):
                    skipped.append(SkippedFile(key, prev["skipped"]))
                else:
                    unchanged.append(key)
                continue
            step(0.0, f"reading {key}")
            chunks = self._read_chunks(key, path, col)
            self._drop(old.pop(key, None))
            if isinstance(chunks, SkippedFile):
                skipped.append(chunks)
                if digest:  # remembered, so an unchanged bad file is reported without being read again
                    old[key] = {"hash": digest, "ids": [], "collection": col, "skipped": chunks.reason}
                continue
            # Row groups go to bm25s only: MiniLM sees ~4 rows of them, and indexing them in Qdrant
            # too would count the same lexical match twice in the fusion.
            dense = [c for c in chunks if c.kind != ChunkKind.ROWS]
            self._upsert(col, dense, _chunk_progress(step, key))
            old[key] = {"hash": digest or "", "ids": [c.id for c in chunks], "collection": col,
                        "rows": [c.__dict__ | {"kind": c.kind.value, "image_path": to_data_relative(c.image_path, data)}
                                 for c in chunks if c.kind == ChunkKind.ROWS]}
            done.append(key)
        save_manifest(self.manifest_file, old, data_identity(self.settings.data_dir),
                      ensure_folder_id(self.settings.index_path))
        note(FILES_SHARE, "building the keyword index over rows")
        self._build_bm25(old)
        self._bm25_for = _stamp(self.manifest_file)
        self._repairs.clear()
        note(1.0, "index ready")
        return BuildReport(done, unchanged, removed, sum(len(v["ids"]) for v in old.values()), skipped)

    def _upsert(self, col: str, chunks: list[Chunk], progress: Callable[[int, int], object]) -> None:
        """Embed chunks (dense) + sparse BM25 weights and upsert them, UPSERT_BATCH at a time; progress(done, n)."""
        progress(0, len(chunks))
        for start in range(0, len(chunks), UPSERT_BATCH):
            batch = chunks[start:start + UPSERT_BATCH]
            vecs = self.embedder.embed([c.text for c in batch])  # outside the store lock: searches go on meanwhile
            points = [_point(c, v, self.settings.data_dir) for c, v in zip(batch, vecs)]
            with self._store_lock:
                self.client.upsert(col, points=points)
            progress(start + len(batch), len(chunks))

    def _build_bm25(self, manifest: dict) -> None:
        """bm25s over all row chunks, saved atomically under bm25_path with the row ids it was built from."""
        rows = [r for v in manifest.values() for r in v.get("rows", [])]
        if not rows:
            self._bm25 = None
            return
        retriever = bm25s.BM25()
        retriever.index([tokenize(r["text"]) for r in rows], show_progress=False)
        self._bm25 = (retriever, rows)
        save_bm25(retriever, _rows_key(rows), self.settings.bm25_path)

    def _load_bm25(self, manifest: dict) -> None:
        """The saved bm25s index when it is whole and built from the manifest's current rows, else a rebuild."""
        rows = [r for v in manifest.values() for r in v.get("rows", [])]
        saved = load_bm25(self.settings.bm25_path, rows) if rows else None
        if saved is None:
            self._build_bm25(manifest)
        else:
            self._bm25 = (saved, rows)

    # ---- status / search -----------------------------------------------------------------------
    def status(self) -> IndexStatus:
        """Collection counts; stale (changed) and missing (not indexed) files; built False with problems saying
        why when the folder, the manifest or the store is gone or damaged, or the index was built for another
        data folder (copied, moved, or MIP_INDEX_DIR naming another folder's index). Never raises for those."""
        if problem := self.store_problem():
            return IndexStatus(False, problems=[problem])
        manifest, bad = read_manifest(self.manifest_file)
        old = manifest.entries
        problems = self._repairs + ([bad] if bad else [])
        try:
            with self._store_lock:
                cols = [c for c in (self.text_col, self.asset_col) if self.client.collection_exists(c)]
                counts = {c: self.client.count(c).count for c in cols}
        except QDRANT_ERRORS as exc:
            return IndexStatus(False, problems=[*problems, f"the Qdrant store cannot be read: {_reason(exc)}"])
        if bad or not self.manifest_file.exists() or self.text_col not in cols:
            return IndexStatus(False, counts, problems=problems)
        if foreign := folder_problem(manifest, self.settings.data_dir, self.settings.index_path):
            return IndexStatus(False, counts, problems=[*problems, foreign])
        src = self._sources(True, True)
        stale = [k for k, (p, _) in src.items() if k in old and old[k]["hash"] != _digest_or_none(p)]
        skipped = [SkippedFile(k, v["skipped"]) for k, v in old.items() if v.get("skipped")]
        return IndexStatus(True, counts, stale, [k for k in src if k not in old], problems, skipped)

    def _require(self) -> None:
        """IndexMissingError (saying why) unless built and readable; the bm25s index loaded for the current manifest
        (another replica sharing the server and the index folder may have rebuilt it)."""
        if problem := self.store_problem():
            raise IndexMissingError(problem)
        with self._store_lock:
            built = self.manifest_file.exists() and self.client.collection_exists(self.text_col)
        if not built:
            raise IndexMissingError()
        if _stamp(self.manifest_file) == self._bm25_for:
            return
        with self._lock:  # one thread loads it; the others wait, then find it current
            stamp = _stamp(self.manifest_file)
            if stamp == self._bm25_for:
                return
            manifest, bad = read_manifest(self.manifest_file)
            if bad:
                raise IndexMissingError(bad)
            self._load_bm25(manifest.entries)
            self._bm25_for = stamp

    def _qdrant(self, col: str, query: str, limit: int, flt: models.Filter | None,
                mode: str = "hybrid") -> list[models.ScoredPoint]:
        """Dense, sparse, or both fused by Qdrant's RRF."""
        dense = self.embedder.embed([query])[0].tolist()
        idx, val = query_sparse(query)
        sparse = models.SparseVector(indices=idx, values=val)
        with self._store_lock:
            if mode == "dense":
                return self.client.query_points(col, query=dense, using=DENSE, limit=limit, query_filter=flt,
                                                with_payload=True).points
            if mode == "sparse":
                return self.client.query_points(col, query=sparse, using=SPARSE, limit=limit, query_filter=flt,
                                                with_payload=True).points
            pre = [models.Prefetch(query=dense, using=DENSE, limit=limit * PREFETCH_FACTOR, filter=flt)]
            if idx:
                pre.append(models.Prefetch(query=sparse, using=SPARSE, limit=limit * PREFETCH_FACTOR, filter=flt))
            return self.client.query_points(col, prefetch=pre, query=models.FusionQuery(fusion=models.Fusion.RRF),
                                            limit=limit, with_payload=True).points

    def _bm25_hits(self, query: str, limit: int, meta_ok: Callable[[dict], bool]) -> list[Hit]:
        """bm25s hits with positive score only."""
        if self._bm25 is None or not tokenize(query):
            return []
        retriever, rows = self._bm25
        n = min(len(rows), limit * PREFETCH_FACTOR)
        docs, scores = retriever.retrieve([tokenize(query)], k=n, show_progress=False)
        out = []
        for d, s in zip(docs[0], scores[0]):
            r = rows[int(d)]
            if s > 0 and meta_ok(r["metadata"]):
                out.append(Hit(r["id"], float(s), r["text"], r["metadata"], None))
        return out[:limit]

    def search_text(self, query: str, k: int = 5, category: str | None = None, channel: str | None = None,
                    mode: SearchMode = SearchMode.HYBRID, rrf_k: int = RRF_K) -> list[Hit]:
        """Top-k text chunks: Qdrant hybrid (dense+sparse RRF) fused with bm25s row hits by rrf_fuse."""
        if not query or not query.strip():
            raise EmptyQueryError()
        cat = parse_category(category)
        with self._served():
            return self._search_text(query, k, cat, channel, SearchMode(mode), rrf_k)

    def _search_text(self, query: str, k: int, cat: Category | None, channel: str | None, mode: SearchMode,
                     rrf_k: int) -> list[Hit]:
        """search_text once its arguments are checked."""
        self._require()
        conds: list[models.Condition] = []
        if cat:
            conds.append(models.FieldCondition(key="category", match=models.MatchValue(value=cat.value)))
        if channel:
            conds.append(models.FieldCondition(key="channel", match=models.MatchValue(value=channel.lower())))
        flt = models.Filter(must=conds) if conds else None
        ok = lambda m: (not cat or m.get("category") == cat.value) and (not channel or m.get("channel") == channel.lower())
        qmode = {SearchMode.HYBRID: "hybrid", SearchMode.DENSE: "dense", SearchMode.BM25: "sparse"}[mode]
        points = self._qdrant(self.text_col, query, k * 2, flt, qmode)
        q_hits = [_to_hit(p, self.settings.data_dir) for p in points]
        lex = self._bm25_hits(query, k * 2, ok) if mode != SearchMode.DENSE else []
        by_id = {h.id: h for h in lex + q_hits}
        fused = rrf_fuse([[h.id for h in q_hits], [h.id for h in lex]], rrf_k)
        return [_rescore(by_id[i], s) for i, s in fused[:k]]

    def search_assets(self, query: str, k: int = 8, channel: str | None = None, model: str | None = None) -> list[Hit]:
        """Top-k creatives by hybrid search over their manifest text."""
        if not query or not query.strip():
            raise EmptyQueryError()
        conds: list[models.Condition] = [models.FieldCondition(key=key, match=models.MatchValue(value=val))
                 for key, val in (("channel", channel), ("model", model)) if val]
        flt = models.Filter(must=conds) if conds else None
        with self._served():
            self._require()
            return [_to_hit(p, self.settings.data_dir) for p in self._qdrant(self.asset_col, query, k, flt)]


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """(inode, mtime, size) of a file, None when it is missing: an atomic rewrite always changes it."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def _digest_or_none(path: Path) -> str | None:
    """file_digest, or None when the file cannot be read (it then shows as stale)."""
    try:
        return file_digest(path)
    except OSError:
        return None


def _to_hit(p: models.ScoredPoint, data: Path) -> Hit:
    """A Qdrant point as a Hit, its stored data-relative image_path resolved against the current data folder."""
    payload = dict(p.payload or {})
    text, image = payload.pop("text", ""), payload.pop("image_path", None)
    return Hit(str(p.id), float(p.score), text, payload, from_data_relative(image, data))


def _rescore(hit: Hit, score: float) -> Hit:
    """The same hit with its fused score."""
    return Hit(hit.id, score, hit.text, hit.metadata, hit.image_path)
