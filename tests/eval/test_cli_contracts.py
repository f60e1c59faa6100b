"""The CLIs named in the issues keep their flags and JSON keys (they are the product's contract)."""

from __future__ import annotations

import json

import pytest

from core.agents import ask as ask_cli
from core.eval import answers as answers_cli
from core.eval import retrieval as retrieval_cli
from core.rag import build as build_cli
from core.rag import search as search_cli

pytestmark = pytest.mark.slow


def _paths(s) -> list[str]:
    return ["--data", str(s.data_dir), "--index", str(s.index_path)]


def test_build_check_search_and_retrieval_eval(world_index, capsys):
    assert build_cli.main([*_paths(world_index), "--check"]) == 0
    assert "text_documents" in capsys.readouterr().out
    assert search_cli.main(["notice to cancel ITV bookings", "--k", "3", "--category", "contracts", "--json",
                            *_paths(world_index)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and hits[0]["source_file"] == "itv_airtime_agreement.md"
    assert retrieval_cli.main(["--k", "5", "--json", *_paths(world_index)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"hit_rate", "mrr", "n", "per_category", "failures"} <= set(report)


def test_ask_and_answer_eval_json(world_index, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("MIP_DATA_DIR", str(world_index.data_dir))
    monkeypatch.setenv("MIP_INDEX_DIR", str(world_index.index_path))
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    from core.config import get_settings

    get_settings.cache_clear()
    try:
        assert ask_cli.main(["What is the notice period in the ITV contract?", "--session", "t1", "--json"]) == 0
        ans = json.loads(capsys.readouterr().out)
        assert {"reply", "sources", "images", "agent_used", "session_id", "backend"} <= set(ans)
        assert ans["backend"] == "offline" and ans["session_id"] == "t1" and ans["sources"]
        assert answers_cli.main(["--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert report["n"] >= 50 and 0 <= report["fact_recall"] <= 1 and "router_accuracy" in report
    finally:
        get_settings.cache_clear()
