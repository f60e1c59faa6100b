"""Retrieval on the generated world: the labelled eval set keeps its quality (a regression guard, not a timing)."""

from __future__ import annotations

import pytest

from core.eval.questions import load_questions
from core.eval.retrieval import evaluate, index_searcher
from core.rag import HybridIndex

pytestmark = pytest.mark.slow


def test_eval_set_covers_every_category():
    qs = load_questions()
    counts = {c: sum(q.category == c for q in qs) for c in {q.category for q in qs}}
    assert len(qs) >= 60
    assert counts["digital_media"] >= 15 and counts["sales_pipeline"] >= 10 and counts["contracts"] >= 10
    assert counts["traditional_media"] >= 10 and counts["cross_category"] >= 5 and counts["assets"] >= 10


def test_hybrid_retrieval_on_the_world(world_index):
    ix = HybridIndex.open(world_index)
    try:
        report = evaluate(load_questions(), index_searcher(ix), k=5)
    finally:
        ix.close()
    assert report.n >= 60
    assert report.hit_rate >= 0.9, [f.id for f in report.failures]
    assert report.mrr >= 0.8
    assert report.per_category["contracts"].hit_rate == 1.0
