"""Typed answers of the chat brain: Answer, Source, which agent and backend produced them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Backend(StrEnum):
    """Which engine wrote the reply."""

    CLAUDE = "claude"
    OFFLINE = "offline"


class Intent(StrEnum):
    """Which analyst answers a question: the router's decision, a labelled question's truth, an answer's provenance."""

    RAG = "rag"
    MMM = "mmm"
    MIXED = "mixed"
    CLARIFY = "clarify"  # too vague to route: the reply asks one clarifying question

    @property
    def analysts(self) -> str:
        """The analyst name(s) shown with an answer: 'rag-analyst', 'mmm-analyst', both, or 'router'."""
        return {"rag": "rag-analyst", "mmm": "mmm-analyst", "mixed": "rag-analyst+mmm-analyst",
                "clarify": "router"}[self.value]


class AskError(ValueError):
    """A question the agents refuse, with a message meant for the user."""


@dataclass(frozen=True)
class Source:
    """One cited passage: file, contract section or CSV row range, retrieval score, snippet."""

    file: str
    section: str | None = None
    rows: str | None = None
    score: float = 0.0
    snippet: str = ""


@dataclass
class Answer:
    """A reply in markdown with its citations, images and provenance."""

    reply: str
    sources: list[Source] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    agent_used: Intent = Intent.RAG
    session_id: str = ""
    backend: Backend = Backend.OFFLINE
    notice: str | None = None
    declined: bool = False  # the reply says the data does not hold the answer (instead of guessing one)


@dataclass(frozen=True)
class Turn:
    """One answered question in a session: as typed, as resolved, and who answered."""

    question: str
    resolved: str
    reply: str = ""
    agent_used: Intent = Intent.RAG


@dataclass
class Draft:
    """One analyst's part of an answer: markdown, citations, images, and whether it declined to answer."""

    text: str
    sources: list[Source] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    declined: bool = False
