"""One-letter slips in a question's words, mended against the folder's own vocabulary.

"finance qoute leads" means the finance_quote leads: a word neither English nor the data's, one edit (a swap of
neighbours, a wrong, missing or extra letter) from exactly one word the folder uses, is read as that word.
Short words, ambiguous slips and slips in the first letter are left alone, so a name the data lacks is still
reported as missing: "pinterest" is a platform, not "interest" mistyped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lemminflect import getAllLemmas

MIN_LETTERS = 5  # below this, one edit turns too many words into others
WORD = re.compile(r"(?<![\w'’-])[A-Za-z]+(?![\w'’-])")


def one_edit(a: str, b: str) -> bool:
    """True when b is a with one neighbour swap, substitution, insertion or deletion (and a != b)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long_)) if x != y), len(short))
    return short[i:] == long_[i + 1:]


def same_start(a: str, b: str) -> bool:
    """True when a and b begin alike, or with their first two letters swapped: people rarely slip on a word's
    first letter, while names are often a word with letters in front ('pinterest', 'snapdragon')."""
    return a[:1] == b[:1] or (len(a) > 1 and a[:2] == b[1::-1])


def mend(text: str, vocabulary: Iterable[str]) -> str:
    """The text with each slipped word replaced by the one vocabulary word it is an edit away from."""
    words = {w.lower() for w in vocabulary if len(w) >= MIN_LETTERS - 1}
    by_length: dict[int, list[str]] = {}
    for w in words:
        by_length.setdefault(len(w), []).append(w)

    def fix(m: re.Match[str]) -> str:
        raw = m.group(0)
        low = raw.lower()
        if len(low) < MIN_LETTERS or low in words or getAllLemmas(low):
            return raw
        near = [w for n in (len(low) - 1, len(low), len(low) + 1) for w in by_length.get(n, ()) if one_edit(low, w)
                and same_start(low, w)]
        return near[0] if len(near) == 1 else raw

    return WORD.sub(fix, text)
