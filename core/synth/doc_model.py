"""A small model of a written document (title, header fields, headings, paragraphs, lists, tables) to render.

The synthetic world's documents are composed once as these blocks and rendered to markdown, plain text, PDF or
Word by core.synth.doc_render, so every format states the same facts.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is a top section (the document title is not a block)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    """A paragraph of running text (a numbered sub-clause is a paragraph that starts with its number)."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Grid:
    """A table: header and rows of cell texts, each row as wide as the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def __post_init__(self) -> None:
        if any(len(r) != len(self.header) for r in self.rows):
            raise ValueError("every row must have one cell per header column")


Block = Heading | Para | Bullets | Grid


@dataclass(frozen=True)
class Doc:
    """A document to render: its title, 'Field: value' header lines, blocks, and the date it is dated."""

    title: str
    blocks: tuple[Block, ...]
    fields: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    author: str = ""


T = TypeVar("T")


def pick(options: Sequence[T], *key: str) -> T:
    """One of options, chosen by a stable hash of key: the same document always reads the same, different
    documents read differently (Python's hash() is salted per process, crc32 is not)."""
    return options[zlib.crc32("|".join(key).encode("utf-8")) % len(options)]


def money(pounds: int) -> str:
    """£1,234,567."""
    return f"£{pounds:,}"


def words(doc: Doc) -> int:
    """Words a reader sees: title, header fields and every block's text."""
    parts: list[str] = [doc.title, *(f"{k}: {v}" for k, v in doc.fields)]
    for b in doc.blocks:
        if isinstance(b, Heading | Para):
            parts.append(b.text)
        elif isinstance(b, Bullets):
            parts.extend(b.items)
        else:
            parts.extend(" ".join(r) for r in (b.header, *b.rows))
    return sum(len(p.split()) for p in parts)
