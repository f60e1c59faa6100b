"""Stable tokenisation and BM25-style sparse vectors for Qdrant (IDF applied by the collection)."""

from __future__ import annotations

import re
import zlib
from collections import Counter

TOKEN_RE = re.compile(r"[a-z0-9£]+(?:[.,][0-9]+)*")
BM25_K1 = 1.2
BM25_B = 0.75
AVG_DOC_LEN = 60.0  # typical chunk length in tokens; fixed so vectors don't depend on the corpus


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens, keeping numbers like 1,234.5 whole."""
    return TOKEN_RE.findall(text.lower())


def token_index(token: str) -> int:
    """Stable non-negative index of a token: crc32 (Python's hash() is salted per process)."""
    return zlib.crc32(token.encode("utf-8"))


def doc_sparse(text: str, k1: float = BM25_K1, b: float = BM25_B,
               avg_len: float = AVG_DOC_LEN) -> tuple[list[int], list[float]]:
    """Document side: w(t) = tf·(k1+1) / (tf + k1·(1 − b + b·len/avg_len))."""
    tokens = tokenize(text)
    norm = k1 * (1 - b + b * len(tokens) / avg_len)
    counts = Counter(tokens)
    pairs = {token_index(t): tf * (k1 + 1) / (tf + norm) for t, tf in counts.items()}
    return list(pairs), list(pairs.values())


def query_sparse(text: str) -> tuple[list[int], list[float]]:
    """Query side: each distinct query token with weight 1 (IDF comes from the collection)."""
    idx = sorted({token_index(t) for t in tokenize(text)})
    return idx, [1.0] * len(idx)
