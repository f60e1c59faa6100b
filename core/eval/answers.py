"""Answer evaluation: required-fact recall of ask() over the labelled questions, and router accuracy.

CLI: python -m core.eval.answers [--questions FILE] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field

from core.agents.ask import ask
from core.agents.router import route
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.cli import run_cli
from core.config import Settings, get_settings
from core.eval.questions import DEFAULT_QUESTIONS, Question, load_questions


@dataclass(frozen=True)
class FactMiss:
    """A question whose answer lacked some required facts."""

    id: str
    question: str
    missing: list[str]


@dataclass
class AnswerReport:
    """Fact recall (all facts present / any fact present) and router accuracy."""

    n: int = 0
    recall_all: float = 0.0
    recall_any: float = 0.0
    fact_recall: float = 0.0  # share of individual required facts found
    router_accuracy: float = 0.0
    n_routed: int = 0
    misses: list[FactMiss] = field(default_factory=list)
    misrouted: list[dict[str, str]] = field(default_factory=list)


def _normal(text: str) -> str:
    """Lower-case without markdown emphasis, so '**£3,300,000**' contains '£3,300,000'."""
    return text.replace("**", "").replace("__", "").lower()


def evaluate(questions: list[Question], settings: Settings, toolbox: Toolbox | None = None) -> AnswerReport:
    """Ask every question that has required facts (each in its own session) and score routing on all."""
    tools = toolbox or Toolbox(settings)
    store = SessionStore()
    scored = [q for q in questions if q.required_facts]
    all_hits, any_hits, facts_found, facts_total = 0, 0, 0, 0
    misses = []
    for q in scored:
        reply = _normal(ask(q.question, settings=settings, toolbox=tools, store=store).reply)
        present = [f for f in q.required_facts if _normal(f) in reply]
        all_hits += len(present) == len(q.required_facts)
        any_hits += bool(present)
        facts_found, facts_total = facts_found + len(present), facts_total + len(q.required_facts)
        if len(present) < len(q.required_facts):
            misses.append(FactMiss(q.id, q.question, [f for f in q.required_facts if f not in present]))
    misrouted = [{"id": q.id, "question": q.question, "expected": q.intent.value, "got": route(q.question).intent.value}
                 for q in questions if route(q.question).intent != q.intent]
    n = len(scored)
    return AnswerReport(
        n=n, recall_all=round(all_hits / n, 3) if n else 0.0, recall_any=round(any_hits / n, 3) if n else 0.0,
        fact_recall=round(facts_found / facts_total, 3) if facts_total else 0.0,
        router_accuracy=round(1 - len(misrouted) / len(questions), 3) if questions else 0.0,
        n_routed=len(questions), misses=misses, misrouted=misrouted)


def main(argv: list[str] | None = None) -> int:
    """Print the report (text or JSON)."""
    p = argparse.ArgumentParser(prog="python -m core.eval.answers", description=__doc__)
    p.add_argument("--questions", default=str(DEFAULT_QUESTIONS))
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    def run() -> int:
        report = evaluate(load_questions(args.questions), get_settings())
        if args.json:
            print(json.dumps(asdict(report), indent=2))
            return 0
        print(f"n={report.n}  all-facts recall={report.recall_all:.3f}  any-fact recall={report.recall_any:.3f}  "
              f"fact recall={report.fact_recall:.3f}")
        print(f"router accuracy={report.router_accuracy:.3f} on {report.n_routed} labelled questions")
        for m in report.misses:
            print(f"  MISS {m.id}: {m.question!r} missing {m.missing}")
        for r in report.misrouted:
            print(f"  ROUTE {r['id']}: {r['question']!r} expected {r['expected']} got {r['got']}")
        return 0

    return run_cli(run)


if __name__ == "__main__":
    sys.exit(main())
