"""Acronyms of the data's headers, read from the words an analyst spells them out with."""

from __future__ import annotations

from core.agents.acronyms import acronyms_of, contract, spelled_out


def test_acronyms_are_short_words_english_does_not_know():
    assert acronyms_of(["petrol", "price", "ppl", "cpm", "id", "tv", "spend"]) == {"ppl", "cpm"}


def test_spelled_out_words_become_the_acronym_and_nothing_else_does():
    acronyms = frozenset({"ppl", "cpc"})
    assert contract("average petrol price in pence per litre", acronyms) == "average petrol price in ppl"
    assert contract("our cost-per-click on Meta", acronyms) == "our cpc on Meta"
    assert spelled_out("pence, per litre", acronyms) == []  # punctuation breaks a phrase
    assert contract("a pence per litre", frozenset()) == "a pence per litre"


def test_a_phrase_naming_a_period_is_a_breakdown_not_an_acronym():
    assert contract("clicks per month on Meta", frozenset({"cpm"})) == "clicks per month on Meta"
    assert contract("cost per mille on Meta", frozenset({"cpm"})) == "cpm on Meta"


def test_words_that_glue_a_sentence_spell_no_acronym():
    assert contract("When did Meta clicks peak in 2025?", frozenset({"cpi"})) == "When did Meta clicks peak in 2025?"
    assert contract("consumer price index in 2025", frozenset({"cpi"})) == "cpi in 2025"
    assert contract("a DEEPAL S07 on the road", frozenset({"otr"})) == "a DEEPAL S07 otr"
