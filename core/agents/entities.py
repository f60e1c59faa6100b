"""Entities named in a question: media channels (with synonyms), car models, data categories."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from core.catalog.categories import Category
from core.domain import CHANNELS


class EntityKind(str, Enum):
    """What an entity mention names."""

    CHANNEL = "channel"
    MODEL = "model"


MODEL_PATTERNS: dict[str, str] = {
    "DEEPAL S07": r"(?:deepal ?)?s ?07", "DEEPAL S05": r"(?:deepal ?)?s ?05",
    "AVATR 12": r"avatr ?12", "AVATR 11": r"avatr ?11",
}
CATEGORY_WORDS: tuple[tuple[str, Category], ...] = (
    (r"contracts?|agreements?|clauses?|terms|sla|cancell?ation|notice period|rate card", Category.CONTRACTS),
    (r"creatives?|ads? images?|images?|banners?|visuals?|assets?|artwork", Category.ASSETS),
    (r"leads?|test drives?|sales|orders?|dealers?|configurator|website", Category.SALES_PIPELINE),
    (r"competitors?|economy|economic|consumer confidence|interest rates?", Category.EXTERNAL),
)


@dataclass(frozen=True)
class Mention:
    """One entity found in text, with its character span."""

    kind: EntityKind
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Entities:
    """The channels, car models and category a question names, in order of appearance."""

    channels: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    category: Category | None = None


def _compile(table: dict[str, str]) -> list[tuple[str, re.Pattern[str]]]:
    """Whole-word, case-insensitive patterns."""
    return [(name, re.compile(rf"(?<![\w-])(?:{rx})(?![\w-])", re.I)) for name, rx in table.items()]


_CHANNEL_RX = _compile({c.key: c.synonyms for c in CHANNELS})
_MODEL_RX = _compile(MODEL_PATTERNS)
_CATEGORY_RX = [(re.compile(rf"\b(?:{rx})\b", re.I), cat) for rx, cat in CATEGORY_WORDS]


def first_longest(found: list[Mention]) -> list[Mention]:
    """Mentions left to right; of overlapping ones the earliest (then the longest) wins."""
    out: list[Mention] = []
    for m in sorted(found, key=lambda m: (m.start, -(m.end - m.start))):
        if not out or m.start >= out[-1].end:
            out.append(m)
    return out


def mentions(text: str) -> list[Mention]:
    """Every channel and model mention, left to right, overlaps resolved to the earliest/longest."""
    found = [Mention(kind, name, m.start(), m.end())
             for kind, table in ((EntityKind.CHANNEL, _CHANNEL_RX), (EntityKind.MODEL, _MODEL_RX))
             for name, rx in table for m in rx.finditer(text)]
    return first_longest(found)


def channel_pattern(key: str) -> str:
    """The words that name a channel: the domain's synonyms for a known key, else the key itself
    (a user's own channel 'x1' or 'paid_social' matches 'x1', 'paid social', 'paid-social')."""
    known = next((c.synonyms for c in CHANNELS if c.key == key.lower()), None)
    literal = r"[\s_-]?".join(re.escape(part) for part in re.split(r"[\s_-]+", key) if part)
    return f"{known}|{literal}" if known else literal


def channel_mentions(text: str, channels: Sequence[str] | None = None) -> list[Mention]:
    """Channel mentions, left to right; with `channels`, only those keys (the vocabulary found in the data)."""
    if channels is None:
        return [m for m in mentions(text) if m.kind == EntityKind.CHANNEL]
    found = [Mention(EntityKind.CHANNEL, key, m.start(), m.end()) for key in channels
             for m in re.finditer(rf"(?<![\w-])(?:{channel_pattern(key)})(?![\w-])", text, re.I)]
    return first_longest(found)


def _unique(values: list[str]) -> tuple[str, ...]:
    """Values in first-seen order without repeats."""
    return tuple(dict.fromkeys(values))


def extract(text: str) -> Entities:
    """The entities a question names."""
    ms = mentions(text)
    category = next((cat for rx, cat in _CATEGORY_RX if rx.search(text)), None)
    return Entities(
        channels=_unique([m.value for m in ms if m.kind == EntityKind.CHANNEL]),
        models=_unique([m.value for m in ms if m.kind == EntityKind.MODEL]),
        category=category)

