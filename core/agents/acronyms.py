"""Acronyms spelled out: "pence per litre" is the ppl of petrol_price_ppl, "cost per click" a cpc column.

Exports abbreviate their headers; analysts say the words. The acronyms come from the data's own vocabulary: a
short word English does not know ("ppl", "cpm", "ctr"), not a list in code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lemminflect import getAllLemmas

MIN_LETTERS, MAX_LETTERS = 3, 5  # two letters ("to us", "go on") would read too many phrases as one
WORD = re.compile(r"[A-Za-z]+")
# "clicks per month" is a breakdown by month, not the cpm column: a spelled-out acronym never names a period
PERIOD_WORDS = frozenset("day days week weeks month months quarter quarters year years".split())
# nor does a run ending in a word that only glues a sentence together: "clicks peak in 2025" is no "cpi", while
# "on the road" is the "otr" price
GLUE_WORDS = frozenset("a an the in on at to is are was were be did do does we our us you your it its for by with "
                       "from and or as if".split())


def acronyms_of(vocabulary: Iterable[str]) -> frozenset[str]:
    """The words of a vocabulary that read as acronyms: 3–5 letters, no English lemma ('ppl', 'cpm', 'sla')."""
    return frozenset(w.lower() for w in vocabulary
                     if MIN_LETTERS <= len(w) <= MAX_LETTERS and w.isalpha() and not getAllLemmas(w.lower()))


def spelled_out(text: str, acronyms: frozenset[str]) -> list[tuple[int, int, str]]:
    """(start, end, acronym) of each run of words whose initials spell one of the acronyms, left to right."""
    words = list(WORD.finditer(text))
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        for n in range(MAX_LETTERS, MIN_LETTERS - 1, -1):  # the longest run first
            run = words[i:i + n]
            initials = "".join(m.group(0)[0] for m in run).lower()
            if len(run) == n and initials in acronyms and _one_phrase(text, run):
                out.append((run[0].start(), run[-1].end(), initials))
                i += n
                break
        else:
            i += 1
    return out


def _one_phrase(text: str, run: list[re.Match[str]]) -> bool:
    """The words stand together (spaces or hyphens between them, no punctuation) and are words, not letters."""
    gaps = (text[a.end():b.start()] for a, b in zip(run, run[1:]))
    return (all(re.fullmatch(r"[\s-]+", g) for g in gaps) and all(len(m.group(0)) > 1 for m in run)
            and not any(m.group(0).lower() in PERIOD_WORDS for m in run) and run[-1].group(0).lower() not in GLUE_WORDS)


def contract(text: str, acronyms: frozenset[str]) -> str:
    """The text with each spelled-out acronym written as the acronym ('pence per litre' → 'ppl')."""
    for start, end, short in reversed(spelled_out(text, acronyms)):
        text = f"{text[:start]}{short}{text[end:]}"
    return text
