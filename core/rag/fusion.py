"""Reciprocal rank fusion of ranked id lists."""

from __future__ import annotations

RRF_K = 60  # Cormack et al. 2009; damps the head of each list


def rrf_fuse(rankings: list[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Fuse rankings: score(d) = Σ_lists 1 / (k + rank_d), rank from 1; ties by first appearance."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(dict.fromkeys(ranking), start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: -kv[1])
