"""Typed search results and errors shared by the RAG pipeline, agents and pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from core.catalog.categories import Category


class SearchMode(str, Enum):
    """Which retrievers a text search uses (dense/bm25 exist for benchmarking)."""

    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


class RagError(ValueError):
    """A retrieval problem with a message meant for the user."""


class IndexMissingError(RagError):
    """The index has not been built yet."""

    def __init__(self) -> None:
        super().__init__("index not built — run python -m core.rag.build")


class EmptyQueryError(RagError):
    """The question was empty or whitespace."""

    def __init__(self) -> None:
        super().__init__("empty question — type something to search for")


class UnknownCategoryError(RagError):
    """The category filter names no known category."""

    def __init__(self, name: str) -> None:
        valid = ", ".join(c.value for c in Category)
        super().__init__(f"unknown category {name!r}; valid categories: {valid}")


def parse_category(name: str | Category | None) -> Category | None:
    """A Category from its name, or UnknownCategoryError."""
    if name is None or isinstance(name, Category):
        return name
    try:
        return Category(name.strip().lower())
    except ValueError:
        raise UnknownCategoryError(name) from None


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk: deterministic id, fused score, text and citation metadata."""

    id: str
    score: float
    text: str
    metadata: dict = field(default_factory=dict)
    image_path: str | None = None

    @property
    def source_file(self) -> str:
        """File name the chunk came from."""
        return str(self.metadata.get("source_file", ""))

    @property
    def section(self) -> str | None:
        """Contract section title, when the chunk is a contract clause."""
        return self.metadata.get("section")

    @property
    def rows(self) -> str | None:
        """CSV row range like '21-40', when the chunk is a row group."""
        return self.metadata.get("rows")


class SearchIndex(Protocol):
    """What the tools need from the retrieval index (HybridIndex satisfies it)."""

    def search_text(self, query: str, k: int = ..., category: str | None = ...,
                    channel: str | None = ...) -> list[Hit]: ...

    def search_assets(self, query: str, k: int = ..., channel: str | None = ...,
                      model: str | None = ...) -> list[Hit]: ...
