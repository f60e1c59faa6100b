"""Answer evaluation: required-fact recall of ask(), declines on questions the data cannot answer, router accuracy.

CLI: python -m core.eval.answers [--split dev|test | --questions FILE] [--json]
The test split (core/eval/router/test.yml) was written separately and is never used for tuning.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from core.agents.ask import ask
from core.agents.router import route
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.cli import run_cli
from core.config import Settings, get_settings
from core.eval.questions import DEFAULT_QUESTIONS, SPLITS, Question, load_questions


@dataclass(frozen=True)
class FactMiss:
    """A question whose answer lacked some required facts (or declined, or answered what it should not)."""

    id: str
    question: str
    missing: list[str]


@dataclass
class AnswerReport:
    """Fact recall, decline rates and router accuracy (overall and per intent and kind), and latency."""

    n: int = 0
    recall_all: float = 0.0
    recall_any: float = 0.0
    fact_recall: float = 0.0  # share of individual required facts found
    router_accuracy: float = 0.0
    n_routed: int = 0
    n_unanswerable: int = 0
    declined_unanswerable: float = 0.0  # of the questions the data cannot answer, the share declined (want high)
    declined_answerable: float = 0.0  # of answerable questions asked, the share wrongly declined (want low)
    router_by_intent: dict[str, float] = field(default_factory=dict)
    router_by_kind: dict[str, float] = field(default_factory=dict)
    fact_recall_by_kind: dict[str, float] = field(default_factory=dict)  # where the facts are lost
    p50_seconds: float = 0.0
    p95_seconds: float = 0.0
    misses: list[FactMiss] = field(default_factory=list)
    misrouted: list[dict[str, str]] = field(default_factory=list)
    not_declined: list[str] = field(default_factory=list)


def _normal(text: str) -> str:
    """Lower-case without markdown emphasis, so '**£3,300,000**' contains '£3,300,000'."""
    return text.replace("**", "").replace("__", "").lower()


def _share(hits: list[bool]) -> float:
    """Mean of booleans, rounded (0 for none)."""
    return round(float(np.mean(hits)), 3) if hits else 0.0


def evaluate(questions: list[Question], settings: Settings, toolbox: Toolbox | None = None) -> AnswerReport:
    """Ask every question with facts and every unanswerable one (each in its own session); route all."""
    tools = toolbox or Toolbox(settings)
    store = SessionStore()
    scored = [q for q in questions if q.required_facts and q.answerable]
    unanswerable = [q for q in questions if not q.answerable]
    all_hits, any_hits, facts_found, facts_total = 0, 0, 0, 0
    misses, seconds, wrongly_declined, declined, not_declined = [], [], [], [], []
    kind_facts: defaultdict[str, list[bool]] = defaultdict(list)
    for q in scored + unanswerable:
        started = time.perf_counter()
        ans = ask(q.question, settings=settings, toolbox=tools, store=store)
        seconds.append(time.perf_counter() - started)
        if not q.answerable:
            declined.append(ans.declined)
            if not ans.declined:
                not_declined.append(q.id)
            continue
        wrongly_declined.append(ans.declined)
        reply = _normal(ans.reply)
        present = [f for f in q.required_facts if _normal(f) in reply]
        all_hits += len(present) == len(q.required_facts)
        any_hits += bool(present)
        facts_found, facts_total = facts_found + len(present), facts_total + len(q.required_facts)
        kind_facts[q.kind or q.category] += [f in present for f in q.required_facts]
        if len(present) < len(q.required_facts):
            misses.append(FactMiss(q.id, q.question, [f for f in q.required_facts if f not in present]))
    routed = {q.id: route(q.question).intent for q in questions}
    by_intent, by_kind = defaultdict(list), defaultdict(list)
    for q in questions:
        by_intent[q.intent.value].append(routed[q.id] == q.intent)
        by_kind[q.kind or q.category].append(routed[q.id] == q.intent)
    misrouted = [{"id": q.id, "question": q.question, "expected": q.intent.value, "got": routed[q.id].value}
                 for q in questions if routed[q.id] != q.intent]
    n = len(scored)
    return AnswerReport(
        n=n, recall_all=round(all_hits / n, 3) if n else 0.0, recall_any=round(any_hits / n, 3) if n else 0.0,
        fact_recall=round(facts_found / facts_total, 3) if facts_total else 0.0,
        router_accuracy=_share([routed[q.id] == q.intent for q in questions]), n_routed=len(questions),
        n_unanswerable=len(unanswerable), declined_unanswerable=_share(declined),
        declined_answerable=_share(wrongly_declined),
        router_by_intent={k: _share(v) for k, v in sorted(by_intent.items())},
        router_by_kind={k: _share(v) for k, v in sorted(by_kind.items())},
        fact_recall_by_kind={k: _share(v) for k, v in sorted(kind_facts.items())},
        p50_seconds=round(float(np.percentile(seconds, 50)), 3) if seconds else 0.0,
        p95_seconds=round(float(np.percentile(seconds, 95)), 3) if seconds else 0.0,
        misses=misses, misrouted=misrouted, not_declined=not_declined)


def main(argv: list[str] | None = None) -> int:
    """Print the report (text or JSON)."""
    p = argparse.ArgumentParser(prog="python -m core.eval.answers", description=__doc__)
    p.add_argument("--questions", help=f"a questions file (default {DEFAULT_QUESTIONS.name})")
    p.add_argument("--split", choices=sorted(SPLITS), help="dev: the router's tuning set; test: held out")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    def run() -> int:
        path = Path(args.questions) if args.questions else SPLITS[args.split] if args.split else DEFAULT_QUESTIONS
        report = evaluate(load_questions(path), get_settings())
        if args.json:
            print(json.dumps(asdict(report), indent=2))
            return 0
        print(f"n={report.n}  all-facts recall={report.recall_all:.3f}  any-fact recall={report.recall_any:.3f}  "
              f"fact recall={report.fact_recall:.3f}")
        print(f"router accuracy={report.router_accuracy:.3f} on {report.n_routed} labelled questions "
              f"{report.router_by_intent}")
        print(f"fact recall by kind {report.fact_recall_by_kind}")
        print(f"declined {report.declined_unanswerable:.3f} of {report.n_unanswerable} unanswerable; wrongly declined "
              f"{report.declined_answerable:.3f} of answerable; p50 {report.p50_seconds:.2f} s")
        for m in report.misses:
            print(f"  MISS {m.id}: {m.question!r} missing {m.missing}")
        for r in report.misrouted:
            print(f"  ROUTE {r['id']}: {r['question']!r} expected {r['expected']} got {r['got']}")
        return 0

    return run_cli(run)


if __name__ == "__main__":
    sys.exit(main())
