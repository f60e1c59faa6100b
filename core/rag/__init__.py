"""core.rag: hybrid retrieval (MiniLM/OpenAI dense + BM25 sparse in Qdrant, bm25s over rows)."""

from __future__ import annotations

from core.rag.index import BuildReport, HybridIndex, IndexStatus
from core.rag.types import (
    EmptyQueryError,
    Hit,
    IndexMissingError,
    RagError,
    UnknownCategoryError,
)

_default: HybridIndex | None = None


def default_index() -> HybridIndex:
    """The process-wide index opened lazily from get_settings()."""
    global _default
    if _default is None:
        from core.config import get_settings

        _default = HybridIndex.open(get_settings())
    return _default


def search_text(query: str, k: int = 5, category: str | None = None, channel: str | None = None) -> list[Hit]:
    """search_text on the default index."""
    return default_index().search_text(query, k=k, category=category, channel=channel)


def search_assets(query: str, k: int = 8, channel: str | None = None, model: str | None = None) -> list[Hit]:
    """search_assets on the default index."""
    return default_index().search_assets(query, k=k, channel=channel, model=model)


__all__ = ["BuildReport", "EmptyQueryError", "Hit", "HybridIndex", "IndexMissingError", "IndexStatus",
           "RagError", "UnknownCategoryError", "search_assets", "search_text"]
