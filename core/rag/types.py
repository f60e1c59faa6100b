"""Typed search results and errors shared by the RAG pipeline, agents and pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
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
    """The index has not been built yet, or must be rebuilt (the reason says why)."""

    def __init__(self, reason: str | None = None) -> None:
        what = f"index needs a rebuild: {reason}" if reason else "index not built"
        super().__init__(f"{what} — run python -m core.rag.build")
        self.reason = reason


class IndexLockedError(RagError, RuntimeError):
    """Another client (the app, a CLI) holds the embedded Qdrant folder; a RuntimeError as Qdrant's own is."""

    def __init__(self, folder: Path) -> None:
        super().__init__(f"the index in {folder} is in use by another process (the app or another command) "
                         "— close it and try again, or set QDRANT_URL to share a Qdrant server")


class IndexPathError(RagError):
    """The index folder cannot be created or used (a file is in its place, no permission)."""

    def __init__(self, folder: Path, why: str) -> None:
        super().__init__(f"cannot use {folder} as the index folder: {why}")


class IndexStaleError(RagError):
    """The open index's folder was deleted or replaced under it: writes would fail, so reopen it."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason} — reopen the index (restart the command or reload the app)")


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


@dataclass(frozen=True)
class SkippedFile:
    """A source file a build left out, and why (unreadable, unparsable, too large)."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    embedded_files: list[str]
    unchanged_files: list[str]
    removed_files: list[str]
    chunks: int
    skipped: list[SkippedFile] = field(default_factory=list)


@dataclass(frozen=True)
class IndexStatus:
    """Collection counts and staleness; built is False, with problems saying why, when a rebuild is needed."""

    built: bool
    counts: dict[str, int] = field(default_factory=dict)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)


class SearchIndex(Protocol):
    """What the tools need from the retrieval index (HybridIndex satisfies it)."""

    def search_text(self, query: str, k: int = ..., category: str | None = ...,
                    channel: str | None = ...) -> list[Hit]: ...

    def search_assets(self, query: str, k: int = ..., channel: str | None = ...,
                      model: str | None = ...) -> list[Hit]: ...
