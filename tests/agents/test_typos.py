"""Slips mended against the folder's words: one edit from exactly one of them, never an English word or a short one."""

from __future__ import annotations

import pandas as pd
import pytest

from core.agents.tables import Catalog
from core.agents.typos import mend, one_edit


@pytest.mark.parametrize("a,b,expected", [
    ("qoute", "quote", True),  # neighbours swapped
    ("spedn", "spend", True),
    ("quote", "quota", True),  # one letter wrong
    ("quote", "quotes", True),  # one letter extra
    ("drvies", "drives", True),
    ("quote", "quote", False),
    ("qoute", "quota", False),  # two edits
    ("spend", "sepnds", False),
])
def test_one_edit(a, b, expected):
    assert one_edit(a, b) is expected and one_edit(b, a) is expected


def test_a_slip_is_read_as_the_folders_word():
    assert mend("finance qoute leads in Q4", {"finance", "quote", "lead"}) == "finance quote leads in Q4"


def test_english_words_short_words_and_ambiguous_slips_are_left_alone():
    vocab = {"quote", "quota", "spend", "order"}
    assert mend("what did the boarder cost", vocab) == "what did the boarder cost"  # English, though near 'order'
    assert mend("spnd on TV", vocab) == "spnd on TV"  # four letters: too short to guess
    assert mend("the quotx", vocab) == "the quotx"  # one edit from both quote and quota


def test_a_name_one_letter_before_a_word_is_not_a_slip():
    vocab = {"interest", "spend", "quote"}
    assert mend("pinterest spend h2 25?", vocab) == "pinterest spend h2 25?"  # a platform, not 'interest'
    assert mend("hquote for leads", vocab) == "hquote for leads"  # a slip in the first letter is not guessed
    assert mend("sepnd on TV", vocab) == "spend on TV"  # neighbours swapped behind the first letter
    assert mend("psend on TV", vocab) == "spend on TV"  # the first two letters swapped: still a slip


def test_the_catalog_knows_its_headers_and_values():
    frames = {"leads.csv": pd.DataFrame({"created_date": ["2025-01-01", "2025-01-02"],
                                          "lead_type": ["finance_quote", "test_drive"]})}
    words = Catalog.build(frames).words
    assert {"lead", "type", "finance", "quote", "test", "drive"} <= words
