"""HybridIndex: one Qdrant client (dense + sparse, RRF in Qdrant) plus a bm25s index over row chunks.

qdrant-client is used directly (not LlamaIndex's vector store) because its hybrid mode fuses
client-side and its default sparse model downloads from a hub, which fails offline.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
from qdrant_client import QdrantClient, models

from core.config import Settings
from core.domain import Progress
from core.rag.documents import (
    CHUNKER_VERSION,
    Chunk,
    ChunkKind,
    asset_chunks,
    file_chunks,
    text_sources,
)
from core.rag.embedder import Embedder, make_embedder
from core.rag.fusion import RRF_K, rrf_fuse
from core.rag.sparse import doc_sparse, query_sparse, tokenize
from core.rag.types import (
    EmptyQueryError,
    Hit,
    IndexMissingError,
    SearchMode,
    parse_category,
)

TEXT = "text_documents"
ASSETS = "campaign_assets"
DENSE, SPARSE = "dense", "sparse"
PREFETCH_FACTOR = 4  # candidates per branch = k × this


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    embedded_files: list[str]
    unchanged_files: list[str]
    removed_files: list[str]
    chunks: int


@dataclass(frozen=True)
class IndexStatus:
    """Collection counts and staleness."""

    built: bool
    counts: dict[str, int] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _rows_key(rows: list[dict]) -> str:
    """sha256 of the row chunk ids, in order: tells whether a saved bm25s index is current."""
    return hashlib.sha256("\n".join(r["id"] for r in rows).encode()).hexdigest()


def _digest(path: Path) -> str:
    """sha256 of the chunker version and the file's bytes: new chunk text re-embeds, as new data does."""
    return hashlib.sha256(CHUNKER_VERSION.encode() + path.read_bytes()).hexdigest()


class HybridIndex:
    """The one retrieval index of a data folder: open once per process, build and search through it."""

    def __init__(self, settings: Settings, client: QdrantClient, embedder: Embedder) -> None:
        self.settings, self.client, self.embedder = settings, client, embedder
        suffix = "" if embedder.name == "minilm" else f"_{embedder.name}"
        self.text_col, self.asset_col = TEXT + suffix, ASSETS + suffix
        self.manifest_file = settings.index_path / f"manifest{suffix}.json"
        self._bm25: tuple[bm25s.BM25, list[dict]] | None = None

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> HybridIndex:
        """Open (creating folders) the Qdrant store named by settings; QDRANT_URL selects a server."""
        if settings.qdrant_url:
            client = QdrantClient(url=settings.qdrant_url, api_key=settings.qdrant_api_key)
        else:
            settings.qdrant_path.mkdir(parents=True, exist_ok=True)
            client = QdrantClient(path=str(settings.qdrant_path))
        return cls(settings, client, embedder or make_embedder(settings))

    def close(self) -> None:
        """Release the Qdrant client (and its folder lock)."""
        self.client.close()

    # ---- build -------------------------------------------------------------------------------
    def _manifest(self) -> dict:
        """file → {hash, ids, collection}."""
        return json.loads(self.manifest_file.read_text()) if self.manifest_file.exists() else {}

    def _ensure(self, name: str) -> None:
        """Create a collection with named dense + IDF sparse vectors if absent."""
        if self.client.collection_exists(name):
            return
        self.client.create_collection(
            name, vectors_config={DENSE: models.VectorParams(size=self.embedder.dim, distance=models.Distance.COSINE)},
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)})

    def _sources(self, text: bool, assets: bool) -> dict[str, tuple[Path, str]]:
        """key → (path, collection) for every source file to index."""
        out: dict[str, tuple[Path, str]] = {}
        data = self.settings.data_dir
        if text:
            out.update({str(p.relative_to(data)): (p, self.text_col) for p in text_sources(data)})
        manifest = self.settings.manifest_path
        if assets and manifest.exists():
            out[str(manifest.relative_to(data))] = (manifest, self.asset_col)
        return out

    def build(self, text: bool = True, assets: bool = True, progress: Progress | None = None) -> BuildReport:
        """Embed new/changed files, delete chunks of removed files; unchanged files are skipped."""
        note = progress or (lambda f, m: None)
        for name in (self.text_col, self.asset_col):
            self._ensure(name)
        old, sources = self._manifest(), self._sources(text, assets)
        scope = {self.text_col} if text else set()
        scope |= {self.asset_col} if assets else set()
        removed = [k for k, v in old.items() if k not in sources and v["collection"] in scope]
        for key in removed:
            self.client.delete(old[key]["collection"], points_selector=models.PointIdsList(points=old[key]["ids"]))
            del old[key]
        done, skipped = [], []
        for i, (key, (path, col)) in enumerate(sorted(sources.items())):
            digest = _digest(path)
            if old.get(key, {}).get("hash") == digest:
                skipped.append(key)
                continue
            note(i / max(len(sources), 1), f"embedding {key}")
            chunks = asset_chunks(path) if col == self.asset_col else file_chunks(path)
            if key in old:
                self.client.delete(col, points_selector=models.PointIdsList(points=old[key]["ids"]))
            # Row groups go to bm25s only: MiniLM sees ~4 rows of them, and indexing them in Qdrant
            # too would count the same lexical match twice in the fusion.
            self._upsert(col, [c for c in chunks if c.kind != ChunkKind.ROWS])
            old[key] = {"hash": digest, "ids": [c.id for c in chunks], "collection": col,
                        "rows": [c.__dict__ | {"kind": c.kind.value} for c in chunks if c.kind == ChunkKind.ROWS]}
            done.append(key)
        self.manifest_file.parent.mkdir(parents=True, exist_ok=True)
        self.manifest_file.write_text(json.dumps(old))
        self._build_bm25(old)
        note(1.0, "index ready")
        return BuildReport(done, skipped, removed, sum(len(v["ids"]) for v in old.values()))

    def _upsert(self, col: str, chunks: list[Chunk]) -> None:
        """Embed chunks (dense) + sparse BM25 weights and upsert them."""
        vecs = self.embedder.embed([c.text for c in chunks])
        points = []
        for c, v in zip(chunks, vecs):
            idx, val = doc_sparse(c.text)
            payload = {"text": c.text, "image_path": c.image_path, **c.metadata}
            points.append(models.PointStruct(id=c.id, payload=payload, vector={
                DENSE: v.tolist(), SPARSE: models.SparseVector(indices=idx, values=val)}))
        for i in range(0, len(points), 256):
            self.client.upsert(col, points=points[i:i + 256])

    def _build_bm25(self, manifest: dict) -> None:
        """bm25s over all row chunks, saved under bm25_path with the row ids it was built from."""
        rows = [r for v in manifest.values() for r in v.get("rows", [])]
        if not rows:
            self._bm25 = None
            return
        retriever = bm25s.BM25()
        retriever.index([tokenize(r["text"]) for r in rows], show_progress=False)
        self._bm25 = (retriever, rows)
        folder = self.settings.bm25_path
        retriever.save(str(folder), show_progress=False)
        (folder / "rows.json").write_text(json.dumps(_rows_key(rows)))

    def _load_bm25(self, manifest: dict) -> None:
        """The saved bm25s index when it was built from the manifest's current rows, else a rebuild."""
        rows = [r for v in manifest.values() for r in v.get("rows", [])]
        folder = self.settings.bm25_path
        try:
            if rows and json.loads((folder / "rows.json").read_text()) == _rows_key(rows):
                self._bm25 = (bm25s.BM25.load(str(folder), show_progress=False), rows)
                return
        except (OSError, ValueError):
            pass  # missing or unreadable: rebuild below
        self._build_bm25(manifest)

    # ---- status / search -----------------------------------------------------------------------
    def status(self) -> IndexStatus:
        """Collection counts; stale (changed) and missing (not indexed) files."""
        built = self.manifest_file.exists() and self.client.collection_exists(self.text_col)
        if not built:
            return IndexStatus(False)
        counts = {c: self.client.count(c).count for c in (self.text_col, self.asset_col)
                  if self.client.collection_exists(c)}
        old, src = self._manifest(), self._sources(True, True)
        stale = [k for k, (p, _) in src.items() if k in old and old[k]["hash"] != _digest(p)]
        return IndexStatus(True, counts, stale, [k for k in src if k not in old])

    def _require(self) -> None:
        """IndexMissingError unless built."""
        if not self.manifest_file.exists() or not self.client.collection_exists(self.text_col):
            raise IndexMissingError()
        if self._bm25 is None:
            self._load_bm25(self._manifest())

    def _qdrant(self, col: str, query: str, limit: int, flt: models.Filter | None,
                mode: str = "hybrid") -> list[models.ScoredPoint]:
        """Dense, sparse, or both fused by Qdrant's RRF."""
        dense = self.embedder.embed([query])[0].tolist()
        idx, val = query_sparse(query)
        sparse = models.SparseVector(indices=idx, values=val)
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
        self._require()
        conds: list[models.Condition] = []
        if cat:
            conds.append(models.FieldCondition(key="category", match=models.MatchValue(value=cat.value)))
        if channel:
            conds.append(models.FieldCondition(key="channel", match=models.MatchValue(value=channel.lower())))
        flt = models.Filter(must=conds) if conds else None
        ok = lambda m: (not cat or m.get("category") == cat.value) and (not channel or m.get("channel") == channel.lower())
        mode = SearchMode(mode)
        qmode = {SearchMode.HYBRID: "hybrid", SearchMode.DENSE: "dense", SearchMode.BM25: "sparse"}[mode]
        points = self._qdrant(self.text_col, query, k * 2, flt, qmode)
        q_hits = [_to_hit(p) for p in points]
        lex = self._bm25_hits(query, k * 2, ok) if mode != SearchMode.DENSE else []
        by_id = {h.id: h for h in lex + q_hits}
        fused = rrf_fuse([[h.id for h in q_hits], [h.id for h in lex]], rrf_k)
        return [_rescore(by_id[i], s) for i, s in fused[:k]]

    def search_assets(self, query: str, k: int = 8, channel: str | None = None, model: str | None = None) -> list[Hit]:
        """Top-k creatives by hybrid search over their manifest text."""
        if not query or not query.strip():
            raise EmptyQueryError()
        self._require()
        conds: list[models.Condition] = [models.FieldCondition(key=key, match=models.MatchValue(value=val))
                 for key, val in (("channel", channel), ("model", model)) if val]
        flt = models.Filter(must=conds) if conds else None
        return [_to_hit(p) for p in self._qdrant(self.asset_col, query, k, flt)]


def _to_hit(p: models.ScoredPoint) -> Hit:
    """A Qdrant point as a Hit."""
    payload = dict(p.payload or {})
    text, image = payload.pop("text", ""), payload.pop("image_path", None)
    return Hit(str(p.id), float(p.score), text, payload, image)


def _rescore(hit: Hit, score: float) -> Hit:
    """The same hit with its fused score."""
    return Hit(hit.id, score, hit.text, hit.metadata, hit.image_path)
