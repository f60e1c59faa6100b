"""Labelled evaluation questions (questions.yml), shared by retrieval and answer evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.agents.types import Intent

DEFAULT_QUESTIONS = Path(__file__).parent / "questions.yml"
SPLITS = {"dev": Path(__file__).parents[1] / "agents" / "router_data" / "dev.yml",  # used to tune the router
          "test": Path(__file__).parent / "router" / "test.yml"}  # held out: written separately, never tuned on


class QuestionError(ValueError):
    """A malformed questions file, with a user-facing message."""


@dataclass(frozen=True)
class Question:
    """One labelled question; expected_sources are file names (image file names for assets)."""

    id: str
    question: str
    category: str
    expected_sources: tuple[str, ...] = field(default_factory=tuple)
    required_facts: tuple[str, ...] = field(default_factory=tuple)
    intent: Intent = Intent.RAG
    kind: str = ""  # lookup, aggregate, compare, roi, whatif, ... (the router splits report per kind)
    answerable: bool = True  # False: the data cannot answer it, and the right reply says so


def load_questions(path: Path | str = DEFAULT_QUESTIONS) -> list[Question]:
    """Parse a YAML list of questions (top-level list or {'questions': [...]})."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise QuestionError(f"cannot read questions file {path}: {exc}") from None
    items = raw.get("questions", []) if isinstance(raw, dict) else raw
    out = []
    for i, item in enumerate(items):
        try:
            out.append(Question(
                id=str(item["id"]), question=str(item["question"]),
                category=str(item.get("category") or item.get("kind") or item.get("intent", "other")),
                expected_sources=tuple(item.get("expected_sources") or ()),
                required_facts=tuple(str(f) for f in item.get("required_facts") or ()),
                intent=Intent(item.get("intent", Intent.RAG.value)), kind=str(item.get("kind", "")),
                answerable=bool(item.get("answerable", item.get("kind") != "unanswerable"))))
        except (KeyError, TypeError, ValueError) as exc:
            raise QuestionError(f"question #{i + 1} in {path} is malformed: {exc}") from None
    return out
