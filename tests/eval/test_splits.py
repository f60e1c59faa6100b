"""Held-out splits share no question with any file the router or the answer rules are trained or tuned on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core.eval.questions import SPLITS

EVAL_DIR = Path(SPLITS["test"]).parents[1]
HELD_OUT = [SPLITS["test"], EVAL_DIR / "foreign_docs_test.yml"]
TUNING = sorted((set(EVAL_DIR.glob("*.yml")) | set(SPLITS["dev"].parent.glob("*.yml"))) - set(HELD_OUT))


def wordings(path: Path) -> set[str]:
    """Each question of a file, lower-cased with runs of spaces and punctuation at the ends removed."""
    return {re.sub(r"\s+", " ", q["question"]).strip(" ?.!").lower() for q in yaml.safe_load(path.read_text())["questions"]}


def test_tuning_files_are_found():
    """The check below means nothing if the glob finds nothing: the router's data and the eval sets are there."""
    names = {p.name for p in TUNING}
    assert {"train.yml", "dev.yml", "questions.yml", "table_dev.yml"} <= names


@pytest.mark.parametrize("held_out", HELD_OUT, ids=lambda p: p.name)
def test_held_out_split_shares_no_question_with_tuning_data(held_out):
    tuned = set().union(*(wordings(p) for p in TUNING))
    assert sorted(wordings(held_out) & tuned) == []
