"""Retrieval evaluation: hit rate@k and MRR per category.

CLI: python -m core.eval.retrieval [--questions FILE] [--k 5] [--data DIR] [--index DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from core.catalog.categories import Category
from core.cli import run_cli
from core.eval.questions import (
    DEFAULT_QUESTIONS,
    Question,
    load_questions,
)
from core.rag.index import HybridIndex
from core.rag.types import Hit, SearchMode

Searcher = Callable[[Question, int], list[Hit]]


@dataclass(frozen=True)
class Failure:
    """A question whose expected source was not in the top k."""

    id: str
    question: str
    expected_sources: list[str]
    got: list[str]


@dataclass(frozen=True)
class CategoryScore:
    """Hit rate and MRR of one question category."""

    n: int
    hit_rate: float
    mrr: float


@dataclass(frozen=True)
class RetrievalReport:
    """Overall and per-category retrieval quality."""

    hit_rate: float
    mrr: float
    n: int
    per_category: dict[str, CategoryScore]
    failures: list[Failure]


def reciprocal_rank(sources: list[str], expected: set[str]) -> float:
    """1 / rank of the first source in expected (rank from 1), 0 if none."""
    return next((1.0 / r for r, s in enumerate(sources, 1) if s in expected), 0.0)


def evaluate(questions: list[Question], search: Searcher, k: int) -> RetrievalReport:
    """Run search per question with expected_sources; hit = expected source in top k."""
    scored = [q for q in questions if q.expected_sources]
    rr: dict[str, float] = {}
    failures = []
    for q in scored:
        got = [h.source_file for h in search(q, k)][:k]
        rr[q.id] = reciprocal_rank(got, set(q.expected_sources))
        if rr[q.id] == 0:
            failures.append(Failure(q.id, q.question, list(q.expected_sources), got))
    per: dict[str, CategoryScore] = {}
    for cat in sorted({q.category for q in scored}):
        vals = [rr[q.id] for q in scored if q.category == cat]
        per[cat] = CategoryScore(len(vals), sum(v > 0 for v in vals) / len(vals), sum(vals) / len(vals))
    n = len(scored)
    return RetrievalReport(sum(v > 0 for v in rr.values()) / n if n else 0.0,
                           sum(rr.values()) / n if n else 0.0, n, per, failures)


def index_searcher(index: HybridIndex, mode: SearchMode = SearchMode.HYBRID) -> Searcher:
    """Asset questions go to search_assets, the rest to search_text in the given mode."""
    def search(q: Question, k: int) -> list[Hit]:
        if q.category == Category.ASSETS.value:
            return index.search_assets(q.question, k=k)
        return index.search_text(q.question, k=k, mode=mode)
    return search


def main(argv: list[str] | None = None) -> int:
    """Evaluate the built index against questions.yml."""
    from core.rag.build import settings_from_args
    from core.rag.index import HybridIndex

    ap = argparse.ArgumentParser(prog="python -m core.eval.retrieval", description=__doc__)
    ap.add_argument("--questions", default=str(DEFAULT_QUESTIONS))
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--data"), ap.add_argument("--index")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    def run() -> int:
        questions = load_questions(Path(args.questions))
        index = HybridIndex.open(settings_from_args(args.data, args.index))
        try:
            report = evaluate(questions, index_searcher(index), args.k)
        finally:
            index.close()
        print_report(report, args.k, args.json)
        return 0

    return run_cli(run)


def print_report(report: RetrievalReport, k: int, as_json: bool) -> None:
    """The report as JSON or a per-category text table."""
    if as_json:
        print(json.dumps(asdict(report), indent=2))
        return
    print(f"n={report.n}  hit_rate@{k}={report.hit_rate:.3f}  mrr={report.mrr:.3f}")
    for cat, s in report.per_category.items():
        print(f"  {cat:<20} n={s.n:<3} hit_rate={s.hit_rate:.3f} mrr={s.mrr:.3f}")
    for f in report.failures:
        print(f"  FAIL {f.id}: {f.question!r} expected {f.expected_sources} got {f.got}")


if __name__ == "__main__":
    raise SystemExit(main())
