"""Router: which analyst answers a question, with a calibrated confidence.

A trained classifier (core.agents.classifier: MiniLM embedding + rule features) decides; below its calibrated
threshold the question goes to both analysts, and a question too vague to route gets a clarifying question.
The weighted rules alone are the fallback when the classifier cannot load.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from core.agents.classifier import Classifier
from core.agents.rules import MIXED_MIN, MMM_RULES, RAG_RULES, score
from core.agents.types import Intent

DEFAULT_CONFIDENCE = 0.3  # nothing matched the rules: document search is the safe default
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Route:
    """The chosen intent, how sure the router is, and what decided it."""

    intent: Intent
    confidence: float
    rag_score: int = 0
    mmm_score: int = 0
    matched: tuple[str, ...] = ()
    source: str = "classifier"  # classifier | rules | override
    predicted: Intent | None = None  # the classifier's own choice before the low-confidence policy


def rule_route(question: str) -> Route:
    """The weighted rules alone: both sides decisive → MIXED, else the heavier side.

    confidence = w / (w + l) · min(1, strongest winning weight / MIXED_MIN): a win on hints alone is unsure.
    """
    mmm, mmm_top, mmm_words = score(question, MMM_RULES)
    rag, rag_top, rag_words = score(question, RAG_RULES)
    words = tuple(mmm_words + rag_words)
    if mmm == 0 and rag == 0:
        return Route(Intent.RAG, DEFAULT_CONFIDENCE, 0, 0, (), "rules")
    if mmm_top >= MIXED_MIN and rag_top >= MIXED_MIN:
        return Route(Intent.MIXED, round(min(mmm, rag) / max(mmm, rag), 3), rag, mmm, words, "rules")
    intent = Intent.MMM if mmm > rag else Intent.RAG
    win, lose = max(mmm, rag), min(mmm, rag)
    strength = min(1.0, (mmm_top if intent is Intent.MMM else rag_top) / MIXED_MIN)
    return Route(intent, round(strength * win / (win + lose), 3), rag, mmm, words, "rules")


@lru_cache(maxsize=1)
def default_classifier() -> Classifier:
    """The process's classifier (trained once, on first use)."""
    return Classifier()


def route(question: str, override: Intent | None = None, classifier: Classifier | None = None) -> Route:
    """Classify a question; unsure between the analysts → both (MIXED); too vague → CLARIFY."""
    rules = rule_route(question)
    if override is not None:
        return Route(override, 1.0, rules.rag_score, rules.mmm_score, rules.matched, "override")
    try:
        intent, p, confident = (classifier or default_classifier()).predict(question)
    except (OSError, ImportError, RuntimeError, ValueError) as exc:  # no model files, broken install
        log.warning("router classifier unavailable, using rules: %s", exc)
        return rules
    chosen = intent if confident or intent in (Intent.MIXED, Intent.CLARIFY) else Intent.MIXED
    return Route(chosen, round(p, 3), rules.rag_score, rules.mmm_score, rules.matched, "classifier", intent)
