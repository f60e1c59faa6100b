"""A chat conversation as a markdown document (the chat page's download)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

TextFilter = Callable[[str], str]  # cleans data-derived text before it is written (core.viz.markdown.strip_remote_images)
FAILED_PREFIX = "⚠️ "


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
    failed: bool = False  # an error turn: answering (or showing the answer) failed; content says why


def citation_label(source: Citation) -> str:
    """'file § section' or 'file rows 1-20' — how a source is named everywhere in the app."""
    where = f" § {source.section}" if source.section else (f" rows {source.rows}" if source.rows else "")
    return f"{source.file}{where}"


def error_turn(action: str, exc: BaseException) -> ChatTurn:
    """The assistant turn shown when answering or showing an answer failed."""
    detail = str(exc).strip() or type(exc).__name__
    return ChatTurn(Role.ASSISTANT, f"Sorry — I could not {action}: {detail}. Earlier messages are kept; "
                    "try again or rephrase the question.", failed=True)


def _answer_lines(turn: ChatTurn, clean: TextFilter) -> list[str]:
    """An answer's badge, text, notice, numbered sources and images, every data-derived string cleaned."""
    badge = " · ".join(x for x in (turn.agent_used, turn.backend) if x)
    text = (FAILED_PREFIX if turn.failed else "") + clean(turn.content.strip())
    lines = ([f"*{badge}*", ""] if badge else []) + [text, ""]
    if turn.notice:
        lines += [f"> {clean(turn.notice)}", ""]
    if turn.sources:
        lines += ["**Sources**", ""]
        lines += [clean(f"{i}. {citation_label(s)}" + (f" — “{s.snippet.strip()}”" if s.snippet else ""))
                  for i, s in enumerate(turn.sources, 1)]
        lines.append("")
    return lines + [clean(f"![creative]({path})") for path in turn.images] + ([""] if turn.images else [])


def to_markdown(turns: Sequence[ChatTurn], *, clean: TextFilter,
                title: str = "Marketing Intelligence conversation") -> str:
    """The conversation as markdown: questions as headings, answers with numbered sources.

    clean is applied to every piece of data-derived text (the chat page passes strip_remote_images, so an
    export never embeds a remote image); it is required because core.chat_export may not import core.viz.
    """
    lines = [f"# {title}", ""]
    for turn in turns:
        if turn.role == Role.USER:
            lines += [f"## Q: {clean(turn.content.strip())}", ""]
        else:
            lines += _answer_lines(turn, clean)
    return "\n".join(lines).rstrip() + "\n"


def word_chunks(text: str, words_per_chunk: int = 4) -> list[str]:
    """Split a finished reply into small chunks that re-join to the same text (for st.write_stream)."""
    parts = text.split(" ")
    return [" ".join(parts[i:i + words_per_chunk]) + (" " if i + words_per_chunk < len(parts) else "")
            for i in range(0, len(parts), words_per_chunk)]
