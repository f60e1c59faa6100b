"""Find the sentence or CSV row of a passage that answers a question (lexical overlap, no model)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.agents.tables_cues import WHO
from core.rag.types import Hit

STOPWORDS = frozenset(
    "a an the and or of in on for to is are was were be been what which who whom when where why how "
    "does do did our we us you your it its this that these those with by from at as about me show find "
    "tell give list any all there their than then into per can could would should much many another other "
    "others else have has had having got get gets".split())
MONTHS = ("january february march april may june july august september october november "
          "december").split()
MONTH_OF_ABBREVIATION = {m[:3]: m for m in MONTHS} | {"sept": "september"}
# the first and last month of a quarter or half, as a schedule's "Jul–Sep" line names them
SPAN_MONTHS = {f"q{q}": (MONTHS[3 * q - 3], MONTHS[3 * q - 1]) for q in range(1, 5)} | {
    "h1": ("january", "june"), "h2": ("july", "december")}
_WORD = re.compile(r"[a-z0-9£$%][a-z0-9.,£$%-]*", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9£*(\"'])")
RANK_PENALTY = 0.05  # a later hit needs a clearly better sentence to win
CONTEXT_SHARE = 0.25  # what a name found only in a unit's heading or title loses of its weight
NAME = re.compile(r"\b[A-Z][A-Za-z0-9]+")  # after the first word, a capital starts a name ("ITV", "Sky")
CUE_BONUS = 0.5  # a unit of the kind the question asks for (a date for "when", money for "how much")
CUES = ((re.compile(r"^\s*when\b|\b(?:start|end|expire|run)s?\b", re.I),
         re.compile(r"\b\d{1,2} (?:january|february|march|april|may|june|july|august|september|october|november|"
                    r"december) \d{4}\b|\b\d{4}-\d\d-\d\d\b", re.I)),
        (re.compile(r"how much|cost|spend|spent|value|budget|price|fee", re.I), re.compile(r"£\s?\d")),
        (re.compile(r"how many|number of|count", re.I), re.compile(r"\d")),
        # "who signed ...?", "who put their name to ...?": the line that says who signed for whom
        (re.compile(r"\bwho\b[^?]*\b(?:sign\w*|put pen|put (?:our|their|his|her|its) names?)", re.I),
         re.compile(r"\bsigned (?:for|by)\b", re.I)),
        (re.compile(r"notice|days|weeks|terms|commission|rate|discount|rebate|how long", re.I),
         re.compile(r"\d+(?:\.\d+)?\s*(?:%|days|weeks|months)")))


@dataclass(frozen=True)
class Highlight:
    """The best unit (sentence or rendered row) of a hit and how well it matches."""

    hit_rank: int
    text: str
    score: float


def _stem(word: str) -> str:
    """Crude plural/case folding so 'periods' matches 'period'."""
    w = word.lower().strip(".,%:;()")
    return w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w


# How contracts and summaries word what questions ask: 'when does it end' is answered by the Term clause.
EXPANSIONS = {"end": ("term", "duration"), "ends": ("term", "duration"), "start": ("term", "duration"),
              "expire": ("term", "duration"), "run": ("term", "duration"),
              "agreement": ("contract",), "deal": ("contract",), "value": ("total", "consideration"), "worth": ("value", "total"),
              "consideration": ("value", "total"),
              "cancel": ("cancelled", "notice"), "terminate": ("notice",),
              "payment": ("invoice", "settled", "pay"), "pay": ("payment", "invoice", "settled"),
              "late": ("overdue", "interest", "unpaid"), "loading": ("premium", "surcharge"),
              "uplift": ("premium", "loading", "surcharge"),
              "surcharge": ("premium", "loading"), "monthly": ("month",), "weekly": ("week",),
              "quarterly": ("quarter",), "yearly": ("year",), "annual": ("year",),
              # what a contract promises and what it owes when it falls short
              "promised": ("guarantee", "guaranteed"), "promise": ("guarantee",),
              "owe": ("remedy", "remedies", "make-good"), "fix": ("remedy", "remedies"),
              "short": ("shortfall", "under-delivery"), "miss": ("shortfall", "under-delivery"),
              "hit": ("shortfall", "guarantee"), "vandalised": ("damaged",), "vandalized": ("damaged",),
              # how people say what a contract calls notice, termination, payment on signature and charges
              "warning": ("notice",), "tear": ("terminate", "termination", "notice"), "settle": ("payment", "invoice"),
              "bill": ("invoice", "invoiced", "payment"), "billed": ("invoice", "invoiced", "payment"),
              "upfront": ("signature", "advance", "deposit"), "kill": ("cancellation", "charge"),
              "penalty": ("fee", "charge", "deduction", "credit"), "fine": ("fee", "charge", "deduction"),
              "kickback": ("rebate",), "cashback": ("rebate",)}
EXPANSIONS |= {m: (m[:3],) for m in MONTHS}  # a plan's table heads its months "Jan" ... "Dec"
EXPANSIONS |= {span: tuple(m[:3] for m in months) for span, months in SPAN_MONTHS.items()}  # Q3: "Jul–Sep"


# what a figure of speech means, in the words documents use for it
IDIOM_MEANINGS = tuple((re.compile(rf"\b(?:{rx})\b", re.I), meaning) for rx, meaning in (
    (r"put pen to paper|put (?:our|their|your|his|her|its) names? to|signed off", "signed signature"),
    (r"on the hook", "guarantee liable"),
))


def idiom_meanings(question: str) -> list[str]:
    """The document words for the question's figures of speech ('put our names to' → signed, signature)."""
    return [w for rx, meaning in IDIOM_MEANINGS if rx.search(question) for w in meaning.split()]


def query_terms(question: str) -> set[str]:
    """Content words of a question (with their contract wording), plus YYYY-MM for 'March 2024' style dates."""
    words = [w.lower().strip(".,?") for w in _WORD.findall(question)] + idiom_meanings(question)
    words += [x for w in words for x in EXPANSIONS.get(w, ())]
    terms = {_stem(w) for w in words if w not in STOPWORDS and len(w) > 1}
    terms = {MONTH_OF_ABBREVIATION.get(t, t) for t in terms}  # "Dec" asks for December
    terms |= {m for t in terms for m in SPAN_MONTHS.get(t, ())}  # "Q3" is the "Jul–Sep" line of a schedule
    years = [w for w in words if re.fullmatch(r"(19|20)\d\d", w)]
    for i, month in enumerate(MONTHS, 1):
        if month in words or month[:3] in words:
            terms |= {f"{y}-{i:02d}" for y in years} or {f"-{i:02d}-"}
    return terms


def units(hit: Hit) -> list[str]:
    """A passage as answer units: CSV rows as 'col: value' lines, prose as sentences."""
    if hit.metadata.get("kind") == "rows":  # "file rows a-b", then one "column: value | …" line per row
        lines = hit.text.strip().splitlines()
        return lines[1:] or lines
    out = []
    lines = hit.text.splitlines()
    if hit.metadata.get("kind") == "section" and len(lines) > 1:
        lines = lines[1:]  # the first line repeats the document title for retrieval; it answers nothing
    for i, line in enumerate(lines):
        line = line.strip().lstrip("-*• ").strip()
        if _table_header(line, lines[i + 1] if i + 1 < len(lines) else ""):
            continue  # a table's header names columns; the rows under it answer
        if line and not line.startswith("#") and not set(line) <= set("|-: "):
            out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out or [hit.text.strip()]


def _table_header(line: str, below: str) -> bool:
    """True for the header line of a 'a | b' table in a passage: as many cells as the row below, no digits."""
    cells = line.count(" | ")
    return cells > 0 and below.count(" | ") == cells and not any(c.isdigit() for c in line)


def _unit_terms(text: str) -> set[str]:
    """Stemmed words of a unit (dates kept whole so '2024-03' matches; a plan's 'Dec' column is December, and its
    'Jul–Sep' line July and September)."""
    words = {_stem(w) for w in _WORD.findall(text.lower())}
    words |= {part for w in words if "-" in w or "–" in w for part in re.split(r"[-–]", w) if part}
    return words | {MONTH_OF_ABBREVIATION[w] for w in words if w in MONTH_OF_ABBREVIATION} | set(
        re.findall(r"\d{4}-\d\d", text))


def best_units(question: str, hits: list[Hit], per_hit: int | None = 1) -> list[Highlight]:
    """Per hit, its best `per_hit` units (None: all, best first); score = Σ idf(term) over query terms in the
    unit − rank penalty."""
    terms = query_terms(question)
    all_units = [(r, u) for r, h in enumerate(hits) for u in units(h)]
    if not all_units:
        return []
    # a clause is also about its section heading ("Payment terms") and its document ("Channel 4 Partnership
    # Agreement"), though neither is quoted
    context = [_unit_terms(f"{h.section or ''} {h.metadata.get('title') or ''}") for h in hits]
    bags = [_unit_terms(u) | context[r] for r, u in all_units]
    cues = [unit_rx for q_rx, unit_rx in CUES if q_rx.search(question)]
    # "who signed for ITV?": of a contract's two signature lines, the one naming ITV (elsewhere the title's name
    # stands for every clause: Sky's payment terms need not say "Sky")
    names = {_stem(m.group(0)) for m in NAME.finditer(question) if m.start() > 0} if WHO.search(question) else set()
    n = len(bags)
    idf = {t: math.log(1 + n / (1 + sum(t in b or any(x.startswith(t) for x in b if "-" in t) for b in bags)))
           for t in terms}
    scored = []
    for (rank, text), bag in zip(all_units, bags):
        s = sum(w for t, w in idf.items() if t in bag or (t.startswith("-") and any(t in x + "-" for x in bag)))
        own = _unit_terms(text)
        s -= CONTEXT_SHARE * sum(w for t, w in idf.items() if t in names and t in context[rank] and t not in own)
        s += CUE_BONUS * sum(bool(rx.search(text)) for rx in cues)
        scored.append(Highlight(rank, text, round(s - RANK_PENALTY * rank, 6)))
    out = []
    for rank in range(len(hits)):
        mine = sorted((h for h in scored if h.hit_rank == rank), key=lambda h: -h.score)
        out += mine[:per_hit]
    return out


def best_sentence(question: str, hits: list[Hit]) -> Highlight | None:
    """The single unit across all hits that best answers the question."""
    cands = best_units(question, hits)
    return max(cands, key=lambda h: (h.score, -h.hit_rank)) if cands else None
