"""What-if scenarios read from questions."""

from __future__ import annotations

import pytest

from core.agents.scenario import parse


@pytest.mark.parametrize("question,factors,amounts", [
    ("What happens to leads if we cut TV spend by 20%?", {"tv": 0.8}, {}),
    ("double Meta and halve print", {"meta": 2.0, "print": 0.5}, {}),
    ("increase Google by 15% and reduce TV by 10%", {"google": 1.15, "tv": 0.9}, {}),
    ("cut TV and radio by 20%", {"tv": 0.8, "radio": 0.8}, {}),
    ("what if we spend £2m on OOH", {}, {"ooh": 2_000_000.0}),
    ("what if we move budget around", {}, {}),
])
def test_parse(question, factors, amounts):
    s = parse(question)
    assert s.factors == pytest.approx(factors) and s.amounts == amounts
    assert s.empty == (not factors and not amounts)
