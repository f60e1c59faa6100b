import shutil
from pathlib import Path

import pytest

from core.agents.types import Intent
from core.config import Settings
from core.eval.questions import Question, QuestionError, load_questions
from core.eval.retrieval import evaluate, index_searcher, reciprocal_rank
from core.rag.index import HybridIndex
from core.rag.types import Hit

FIX = Path(__file__).parent.parent / "rag" / "fixtures"


def _q(i, cat="digital_media", sources=("a.csv",)):
    return Question(str(i), f"q{i}", cat, tuple(sources))


def test_reciprocal_rank():
    assert reciprocal_rank(["x", "a", "a"], {"a"}) == 0.5
    assert reciprocal_rank(["x"], {"a"}) == 0.0


def test_evaluate_against_hand_computed_oracle():
    ranked = {"1": ["a.csv"], "2": ["b.csv", "a.csv"], "3": ["b.csv"], "4": []}
    search = lambda q, k: [Hit(s, 1.0, "", {"source_file": s}) for s in ranked[q.id]]
    qs = [_q(1), _q(2), _q(3, "contracts"), Question("4", "no label", "mixed", intent=Intent.MMM)]
    rep = evaluate(qs, search, k=5)
    assert rep.n == 3  # unlabelled question skipped
    assert rep.hit_rate == pytest.approx(2 / 3) and rep.mrr == pytest.approx((1 + 0.5 + 0) / 3)
    assert rep.per_category["contracts"].hit_rate == 0 and [f.id for f in rep.failures] == ["3"]


def test_load_questions_roundtrip_and_errors(tmp_path):
    p = tmp_path / "q.yml"
    p.write_text("- {id: x, question: 'spend?', category: digital_media, expected_sources: [a.csv],"
                 " required_facts: ['£1,000'], intent: rag}\n")
    (q,) = load_questions(p)
    assert q.expected_sources == ("a.csv",) and q.required_facts == ("£1,000",) and q.intent is Intent.RAG
    p.write_text("- {question: 'no id'}\n")
    with pytest.raises(QuestionError, match="malformed"):
        load_questions(p)


def test_fixture_eval_end_to_end(tmp_path):
    shutil.copytree(FIX, tmp_path, dirs_exist_ok=True)
    qs = [Question("c1", "What notice period applies to cancelling ITV airtime?", "contracts",
                   ("itv_airtime_agreement.md",), ("28 days",)),
          Question("a1", "creative showing a family loading bikes", "assets", ("voyager_family.png",)),
          Question("s1", "How many leads did Northgate Motors bring in?", "sales_pipeline", ("leads.csv",))]
    ix = HybridIndex.open(Settings(data_dir=tmp_path, index_dir=tmp_path / "index"))
    try:
        ix.build()
        rep = evaluate(qs, index_searcher(ix), k=3)
        hits = ix.search_text(qs[0].question, k=3)
    finally:
        ix.close()
    assert rep.hit_rate == 1.0
    assert any(all(f in h.text for f in qs[0].required_facts) for h in hits)
