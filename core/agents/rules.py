"""Intent rules: weighted keyword patterns for the model and the documents side (features for the router)."""

from __future__ import annotations

import re

# (pattern, weight): weight 3 = decisive on its own, 1–2 = a hint that needs company.
MMM_PATTERNS: tuple[tuple[str, int], ...] = (
    (r"m?roi|return on (?:ad )?(?:investment|spend)|roas", 3),
    (r"optimi[sz]\w*|optimal|best (?:budget|allocation|split|mix)|re-?allocat\w*|allocation", 3),
    (r"what[- ]if|what happens if|if we (?:cut|increase|double|halve|move|shift|spend|add|reduce)", 3),
    (r"marginal|saturat\w*|diminishing returns?|response curves?|headroom|sweet spot|over[- ]?invest\w*|"
     r"under[- ]?invest\w*|heavy lifting|out[- ]of[- ]sample", 3),
    (r"mmm|marketing mix|media mix|mix model|adstock|carry-?over|decay|half[- ]?life|"
     r"keep\w* (?:working|driving|generating)|carr(?:y|ies) (?:into|over)|wears? off", 3),
    (r"contribut\w*|incremental\w*|drives? (?:the most )?(?:leads|sales)|uplift", 3),
    (r"model (?:fit|accuracy|diagnostics?)|r2|r²|mape|how good is the model|hold[- ]?out|held[- ]?out", 3),
    # "finance found us another £750k: which channel should it go into?" is the next budget
    (r"which channels? should (?:it|this|that|the (?:money|budget|cash)) go|another [£$€]\s?\d", 3),
    (r"(?:according to|by|from|in|says?) the (?:mmm|model)|the model(?:'s)? (?:says?|thinks?|reckons?|credits?|"
     r"estimates?|view)|modell?ed (?:leads|sales|contribution|effect|return)", 3),
    (r"budget|cost per (?:lead|kpi|acquisition)|cpl|cpa", 2),
    (r"efficien\w*|effective\w*|worth it|pay(?:s)? back|best[- ]performing|which channel works", 2),
    (r"(?:increase|cut|reduce|double|halve|shift|move)\w* (?:the )?(?:spend|budget)", 2),
    (r"total spend|spend by channel|overall spend|summary of (?:the )?(?:media|spend)", 2),
    (r"returns?|should we (?:spend|invest)|invest more", 1),
)
RAG_PATTERNS: tuple[tuple[str, int], ...] = (
    (r"contracts?|agreements?|clauses?|addendum|terms and conditions|sla|notice period|cancell?ation", 3),
    (r"creatives?|ad images?|images?|banners?|visuals?|artwork|headlines?|call to action|cta", 3),
    (r"show me|find|look up|search|list|which files?|where (?:is|are|does)|quote", 3),
    (r"what does .{0,40} say|according to(?! the (?:mmm|model|marketing mix))|mention\w*|stated?|document\w*", 3),
    (r"how much (?:did|have) we (?:spend|spent|pay|paid)|(?:spend|spent) (?:on|in) \w+ in (?:19|20)\d\d", 3),
    (r"campaigns?|impressions|clicks|ctr|cpm|grps?|reach|frequency|views|rows?|week of|in (?:january|february|march|april|may|june|july|august|september|october|november|december)", 2),
    (r"compare|comparison|versus|vs\.?|difference between", 2),
    (r"leads?|test drives?|dealers?|orders?|configurator|website|sessions|competitors?", 1),
    (r"show|what|which|when|who|how many", 1),
)
MIXED_MIN = 3   # each side needs at least one decisive rule for a mixed question


def _compile(rules: tuple[tuple[str, int], ...]) -> list[tuple[re.Pattern[str], int]]:
    """Whole-word, case-insensitive patterns."""
    return [(re.compile(rf"(?<![\w-])(?:{rx})(?![\w-])", re.I), w) for rx, w in rules]


MMM_RULES, RAG_RULES = _compile(MMM_PATTERNS), _compile(RAG_PATTERNS)


def score(text: str, rules: list[tuple[re.Pattern[str], int]]) -> tuple[int, int, list[str]]:
    """(sum of weights, strongest weight, matched words) of the rules that fire."""
    total, top, words = 0, 0, []
    for rx, weight in rules:
        m = rx.search(text)
        if m:
            total, top = total + weight, max(top, weight)
            words.append(m.group(0).lower())
    return total, top, words


def is_decisive(text: str) -> bool:
    """True when a text carries an intent of its own (a decisive rule fires on either side)."""
    return max(score(text, MMM_RULES)[1], score(text, RAG_RULES)[1]) >= MIXED_MIN
