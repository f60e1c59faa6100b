"""Thumbs feedback on chat answers, appended to a JSON-lines file."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path


class Rating(str, Enum):
    """A thumbs rating."""

    UP = "up"
    DOWN = "down"

    @classmethod
    def from_thumbs(cls, value: int) -> Rating:
        """st.feedback('thumbs') returns 1 for up and 0 for down."""
        return cls.UP if value == 1 else cls.DOWN


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer."""

    session_id: str
    turn: int
    question: str
    reply: str
    rating: Rating
    agent_used: str = ""
    backend: str = ""
    timestamp: str = ""


def record_feedback(path: Path, item: Feedback, now: datetime | None = None) -> Feedback:
    """Append one rating as a JSON line (creating the folder); returns it with its timestamp."""
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    stamped = Feedback(**{**asdict(item), "timestamp": item.timestamp or stamp})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({**asdict(stamped), "rating": stamped.rating.value}) + "\n")
    return stamped


def read_feedback(path: Path) -> list[Feedback]:
    """All ratings in the file (skipping lines that do not parse); [] when it does not exist."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            raw = json.loads(line)
            out.append(Feedback(**{**raw, "rating": Rating(raw["rating"])}))
        except (ValueError, TypeError, KeyError):
            continue  # a hand-edited or truncated line should not hide the rest
    return out
