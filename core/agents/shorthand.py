"""Analysts' chat-box shorthand spelled out before a question is routed or parsed.

"tot revenue avatr 12 lease buyers london", "no. of dealers w/ cash sales", "meta spend by mth 2025": the
abbreviations are English, not the data's vocabulary, so one table serves every folder. Only whole words are
replaced, and only where the short form has no other reading in a question about marketing data.
"""

from __future__ import annotations

import re

WORDS = {
    "tot": "total", "ttl": "total", "avg": "average", "ave": "average", "mth": "month",
    "mths": "months", "mnth": "month", "wk": "week", "wks": "weeks", "yr": "year", "yrs": "years",
    "qtr": "quarter", "qtrs": "quarters", "amt": "amount", "rev": "revenue", "convs": "conversions",
    "conv": "conversions", "imps": "impressions", "impr": "impressions", "configs": "configurations",
    "config": "configuration", "approx": "approximately", "btw": "between", "betw": "between",
    "thru": "through", "cust": "customers", "custs": "customers", "nos": "numbers",
}
PHRASES = (
    (re.compile(r"(?<!\w)(?:no\.|nos\.?|num|#)\s*of\b", re.I), "number of"),
    (re.compile(r"(?<!\w)w/c(?!\w)", re.I), "week commencing"),
    (re.compile(r"(?<!\w)w/o(?!\w)", re.I), "without"),
    (re.compile(r"(?<!\w)w/(?!\w)", re.I), "with"),
    (re.compile(r"\s&\s"), " and "),
)
WORD = re.compile(r"(?<![\w'’-])([A-Za-z]+)\.?(?![\w'’-])")


def spell_out(question: str) -> str:
    """The question with chat-box shorthand written in full; unchanged when it has none."""
    text = question
    for rx, full in PHRASES:
        text = rx.sub(full, text)

    def word(m: re.Match[str]) -> str:
        full = WORDS.get(m.group(1).lower())
        return full if full else m.group(0)

    return WORD.sub(word, text)
