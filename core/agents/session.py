"""Per-session conversation history and follow-up resolution ("and for Meta?")."""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.agents.entities import EntityKind, Mention, mentions
from core.agents.rules import is_decisive
from core.agents.scenario import parse as parse_scenario
from core.agents.shorthand import spell_out
from core.agents.types import Intent, Turn
from core.domain import channel_label

FOLLOWUP_PREFIX = re.compile(
    r"^\s*(?:ok(?:ay)?[,.]?\s+)?(?:and\s+)?(?:what|how)\s+about\b|^\s*(?:and|same|now|also|then)\b"
    r"|^\s*(?:what|how)\s+(?:of|for)\b", re.I)
MAX_FOLLOWUP_WORDS = 8  # longer messages are new questions even when they start with "and"
MAX_TURNS_KEPT = 50


@dataclass(frozen=True)
class Resolution:
    """A question rewritten against the previous turn (unchanged when it is not a follow-up)."""

    question: str
    is_followup: bool = False
    previous: str | None = None


def _display(m: Mention) -> str:
    """How a mention is written back into a question."""
    return channel_label(m.value) if m.kind == EntityKind.CHANNEL else m.value


def _drop(text: str, m: Mention) -> str:
    """Text without a mention and the joiner ("and", ",", "vs") before it."""
    before = text[:m.start].rstrip()
    start = m.start
    for joiner in (" and", ",", " vs", " versus", " or", " &"):
        if before.lower().endswith(joiner):
            start = len(before) - len(joiner)
            break
    return text[:start] + text[m.end:]


def substitute(previous: str, new: list[Mention]) -> str:
    """The previous question with each kind's old entities replaced by the new ones (joined by 'and').

    In a what-if the channels have roles ("move £500k from TV to Google"): a follow-up naming one channel
    ("and for Meta?") replaces the first, keeping the question's shape ("move £500k from Meta to Google").
    """
    out, tail = previous, []
    roles = not parse_scenario(previous).empty
    for kind in EntityKind:
        fresh_names = list(dict.fromkeys(_display(m) for m in new if m.kind == kind))
        if not fresh_names:
            continue
        stale = [m for m in mentions(out) if m.kind == kind]
        if not stale:
            tail.append(" and ".join(fresh_names))
            continue
        if roles and kind is EntityKind.CHANNEL and len(fresh_names) <= len(stale):
            for m, name in reversed(list(zip(stale, fresh_names))):  # right to left keeps earlier spans valid
                out = out[:m.start] + name + out[m.end:]
            continue
        for m in reversed(stale[1:]):
            out = _drop(out, m)
        out = out[:stale[0].start] + " and ".join(fresh_names) + out[stale[0].end:]
    if tail:
        out = f"{out.rstrip(' ?.!')} for {' and '.join(tail)}?"
    return out


def looks_like_followup(question: str) -> bool:
    """A short message that leans on an earlier question ("and for Meta?", "what about radio?")."""
    q = question.strip()
    new = mentions(q)
    if not new or len(q.split()) > MAX_FOLLOWUP_WORDS:
        return False
    rest = q
    for m in reversed(new):
        rest = rest[:m.start] + rest[m.end:]
    looks = bool(FOLLOWUP_PREFIX.search(q)) or len(rest.strip(" ?.!,").split()) <= 1
    return looks and not is_decisive(rest)  # a text with its own intent is a new question


def resolve(question: str, previous: str | None) -> Resolution:
    """Spell out chat shorthand, and rewrite a short follow-up naming only a new entity against the previous question."""
    q = spell_out(question.strip())
    if not previous or not looks_like_followup(q):
        return Resolution(q)
    return Resolution(substitute(previous, mentions(q)), True, previous)


def previous_question(history: Sequence[object] | None) -> str | None:
    """The last resolved question of a history of Turns, or of chat turns with role/content."""
    if not history:
        return None
    last = history[-1]
    if isinstance(last, Turn):
        return last.resolved
    resolved: str | None = None
    for turn in history:  # chat-page turns: resolve the user turns in order
        role = getattr(getattr(turn, "role", None), "value", getattr(turn, "role", None))
        if isinstance(turn, Turn):
            resolved = turn.resolved
        elif role == "user":
            resolved = resolve(str(getattr(turn, "content", "")), resolved).question
    return resolved


@dataclass
class SessionStore:
    """Thread-safe histories keyed by session id (plus each session's Claude session id).

    In memory for the app (which also keeps turns in st.session_state); with a path, also saved as JSON so
    the CLI's `--session ID` continues a conversation across invocations.
    """

    turns: dict[str, list[Turn]] = field(default_factory=dict)
    claude_ids: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.path is not None and self.path.exists():
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                self.turns = {sid: [Turn(t["question"], t["resolved"], t.get("reply", ""),
                                         Intent(t.get("agent_used", Intent.RAG.value))) for t in ts]
                              for sid, ts in raw.get("turns", {}).items()}
                self.claude_ids = dict(raw.get("claude_ids", {}))
            except (OSError, ValueError, KeyError, TypeError):
                self.turns, self.claude_ids = {}, {}  # an unreadable file starts afresh rather than failing

    def _save(self) -> None:
        """Write the store to its path (caller holds the lock)."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"turns": {sid: [{"question": t.question, "resolved": t.resolved, "reply": t.reply,
                                 "agent_used": t.agent_used.value} for t in ts] for sid, ts in self.turns.items()},
                "claude_ids": self.claude_ids}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.path)

    @staticmethod
    def new_id() -> str:
        """A fresh session id."""
        return uuid.uuid4().hex[:12]

    def history(self, session_id: str) -> list[Turn]:
        """A copy of a session's turns, oldest first."""
        with self._lock:
            return list(self.turns.get(session_id, []))

    def append(self, session_id: str, turn: Turn) -> None:
        """Record a turn, keeping the most recent MAX_TURNS_KEPT."""
        with self._lock:
            self.turns.setdefault(session_id, []).append(turn)
            del self.turns[session_id][:-MAX_TURNS_KEPT]
            self._save()


SESSIONS = SessionStore()  # the process's sessions (the CLI's and any caller that passes none)
