"""A chat conversation as a markdown document (the chat page's download)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol


class Role(str, Enum):
    """Who said a turn."""

    USER = "user"
    ASSISTANT = "assistant"


class Citation(Protocol):
    """What a cited source shows (core.agents.Source satisfies it)."""

    @property
    def file(self) -> str: ...

    @property
    def section(self) -> str | None: ...

    @property
    def rows(self) -> str | None: ...

    @property
    def snippet(self) -> str: ...


@dataclass
class ChatTurn:
    """One message of the conversation as the chat page keeps it."""

    role: Role
    content: str
    sources: Sequence[Citation] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    agent_used: str = ""
    backend: str = ""
    notice: str | None = None


def citation_label(source: Citation) -> str:
    """'file § section' or 'file rows 1-20' — how a source is named everywhere in the app."""
    where = f" § {source.section}" if source.section else (f" rows {source.rows}" if source.rows else "")
    return f"{source.file}{where}"


def to_markdown(turns: Sequence[ChatTurn], title: str = "Marketing Intelligence conversation") -> str:
    """The conversation as markdown: questions as headings, answers with numbered sources."""
    lines = [f"# {title}", ""]
    for turn in turns:
        if turn.role == Role.USER:
            lines += [f"## Q: {turn.content.strip()}", ""]
            continue
        badge = " · ".join(x for x in (turn.agent_used, turn.backend) if x)
        lines += ([f"*{badge}*", ""] if badge else []) + [turn.content.strip(), ""]
        if turn.notice:
            lines += [f"> {turn.notice}", ""]
        if turn.sources:
            lines += ["**Sources**", ""]
            lines += [f"{i}. {citation_label(s)}" + (f" — “{s.snippet.strip()}”" if s.snippet else "")
                      for i, s in enumerate(turn.sources, 1)]
            lines.append("")
        lines += [f"![creative]({path})" for path in turn.images] + ([""] if turn.images else [])
    return "\n".join(lines).rstrip() + "\n"


def word_chunks(text: str, words_per_chunk: int = 4) -> list[str]:
    """Split a finished reply into small chunks that re-join to the same text (for st.write_stream)."""
    parts = text.split(" ")
    return [" ".join(parts[i:i + words_per_chunk]) + (" " if i + words_per_chunk < len(parts) else "")
            for i in range(0, len(parts), words_per_chunk)]
