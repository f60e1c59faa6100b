"""A media contract as a document: header fields, numbered clauses (1 / 1.1 / 1.1.1), signatures, schedules and,
for the agency terms, Appendix A with the annual budget by channel."""

from __future__ import annotations

from core.synth.contracts import Contract, MediaKind
from core.synth.doc_clauses import Clause, clauses
from core.synth.doc_model import Block, Doc, Grid, Heading, Para, money
from core.synth.doc_tables import channel_budgets
from core.synth.facts import BRAND, BUDGET_2025

CLIENT_SIGNATORY = ("Laura Bennett", "Marketing Director")


def _capital(text: str) -> str:
    """Text with its first letter upper-case: a numbered sub-clause opens with a capital."""
    return text[:1].upper() + text[1:]


def clause_blocks(number: int, clause: Clause) -> list[Block]:
    """'4. Contract value' as a heading, then '4.1 …', its tables and lists, and '4.1.1 …' children."""
    out: list[Block] = [Heading(f"{number}. {clause.title}", 1)]
    for j, sub in enumerate(clause.subs, 1):
        out.append(Para(f"{number}.{j} {_capital(sub.text)}"))
        out.extend(sub.after)
        out.extend(Para(f"{number}.{j}.{k} {_capital(child)}") for k, child in enumerate(sub.children, 1))
    return out


def signatures(c: Contract, foreign: bool) -> list[Block]:
    """Who signed, for each party."""
    name, title = c.signatory
    return [Heading("Execution" if foreign else "Signatures", 1),
            Para(f"Signed for and on behalf of {BRAND} by {CLIENT_SIGNATORY[0]}, {CLIENT_SIGNATORY[1]}, "
                 f"on {c.signed}."),
            Para(f"Signed for and on behalf of {c.vendor} by {name}, {title}, on {c.signed}.")]


def schedules(c: Contract, foreign: bool) -> list[Block]:
    """Schedule 1 (deliverables) and Schedule 2 (rate card), as tables."""
    label = "Annex" if foreign else "Schedule"
    first = "Services" if c.kind is MediaKind.AGENCY else "Deliverables"
    second = ("Fees" if c.kind is MediaKind.AGENCY else "Tariff") if foreign else (
        "Fees" if c.kind is MediaKind.AGENCY else "Rate card")
    return [Heading(f"{label} 1 — {first}", 1),
            Para(f"What is delivered under {c.reference}, how it is measured and the target for the Term."),
            Grid(("Deliverable", "Measure", "Target"), c.deliverables),
            Heading(f"{label} 2 — {second}", 1),
            Para("Rates apply for the whole Term and are net of agency discount unless stated."
                 if c.kind is not MediaKind.AGENCY else
                 "The Agency's remuneration; media itself is passed through at Net Media Spend."),
            Grid(("Item", "Unit", "Rate"), c.rates)]


def budget_appendix(foreign: bool) -> list[Block]:
    """Appendix A: the 2025 budget of each channel (equal to the media plan's), with its share and the total."""
    budgets = channel_budgets()
    total = sum(b for _, b in budgets)
    rows = tuple((name, money(b), f"{b / total:.1%}") for name, b in budgets) + (("Total", money(total), "100.0%"),)
    title = "EXHIBIT A — Media budget allocation per channel" if foreign else "APPENDIX A — Annual budget by channel"
    intro = (f"The Client's 2025 UK media budget of {money(BUDGET_2025)} is allocated to the Channels as follows. "
             "The Agency plans and buys within these budgets (clause 5).")
    return [Heading(title, 1), Para(intro), Grid(("Channel", "Annual budget", "Share of total"), rows)]


def contract_doc(c: Contract, foreign: bool = False) -> Doc:
    """The whole contract in the default or the foreign wording."""
    blocks: list[Block] = []
    for i, clause in enumerate(clauses(c, foreign), 1):
        blocks += clause_blocks(i, clause)
    blocks += signatures(c, foreign) + schedules(c, foreign)
    if c.kind is MediaKind.AGENCY:
        blocks += budget_appendix(foreign)
    fields = ((("Supplier", c.vendor), ("Our reference", c.reference), ("Advertiser", BRAND),
               ("Date of signature", c.signed)) if foreign else
              (("Vendor", c.vendor), ("Reference", c.reference), ("Client", BRAND), ("Signed", c.signed)))
    return Doc(c.title, tuple(blocks), fields, author=c.vendor)
