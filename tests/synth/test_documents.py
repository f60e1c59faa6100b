"""The world's documents: long numbered contracts, planning documents whose numbers are the generator's, two
renderings (markdown; PDF, Word and text) that read back intact, the same bytes every time, and eval facts that
their expected sources really state."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from core.catalog.versions import GENERATED_STAMP
from core.eval.questions import DEFAULT_QUESTIONS, load_questions
from core.rag.readers import Document, Heading, Paragraph, Table, read_document
from core.synth.contracts import contracts
from core.synth.doc_tables import MONTHS, channel_months, dealer_rows, monthly_phasing, plan_lines, price_rows
from core.synth.documents import Style, documents, write_documents
from core.synth.facts import CHANNELS, MODELS
from core.synth.lines import all_lines

FOREIGN_QUESTIONS = DEFAULT_QUESTIONS.parent / "foreign_docs.yml"
FOREIGN_MORE = DEFAULT_QUESTIONS.parent / "foreign_docs_more.yml"  # a second tuning split
FOREIGN_TEST = DEFAULT_QUESTIONS.parent / "foreign_docs_test.yml"  # the held-out split, never tuned on
SUBCLAUSE_RE = re.compile(r"^\d{1,2}\.\d{1,2} [A-Z]", re.M)
SUBSUB_RE = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{1,2} [A-Z]", re.M)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, list[Path]]:
    """Both styles written once into a scratch folder."""
    root = tmp_path_factory.mktemp("docs")
    return {s.value: write_documents(root / s.value, s) for s in Style}


def _text(doc: Document) -> str:
    """All a reader got from a file: block texts, tables as ' | ' rows."""
    return "\n".join("\n".join(" | ".join(r) for r in (b.header, *b.rows)) if isinstance(b, Table) else b.text
                     for b in doc.blocks)


def _table_after(doc: Document, heading_start: str) -> Table:
    """The first table after the heading (or paragraph: PDF text marks no headings) starting with heading_start."""
    blocks = list(doc.blocks)
    at = next(i for i, b in enumerate(blocks)
              if isinstance(b, Heading | Paragraph) and b.text.startswith(heading_start))
    return next(b for b in blocks[at:] if isinstance(b, Table))


def _pounds(cell: str) -> int:
    return int(cell.replace("£", "").replace(",", ""))


def test_default_style_keeps_the_seven_contract_files_and_adds_four_plans(written):
    names = [p.relative_to(p.parents[1]).as_posix() for p in written["default"]]
    assert names[:7] == [f"contracts/{c.file}" for c in contracts()]
    assert sorted(names[7:]) == ["documents/dealer_list.md", "documents/launch_calendar.md",
                                 "documents/media_plan_2025.md", "documents/price_list.md"]
    assert all(p.suffix == ".md" for p in written["default"])


@pytest.mark.parametrize("style", list(Style))
def test_contracts_are_1200_to_2200_words_with_numbered_subclauses_and_schedules(written, style):
    for path in written[style.value][:7]:
        doc = read_document(path)
        text = _text(doc)
        assert 1_200 <= len(f"{doc.title}\n{text}".split()) <= 2_200, path.name
        assert len(SUBCLAUSE_RE.findall(text)) >= 30, path.name
        assert SUBSUB_RE.search(text), path.name
        label = "Annex" if style is Style.FOREIGN else "Schedule"
        heads = [b.text for b in doc.blocks if isinstance(b, Heading | Paragraph)]
        assert {f"{label} 1", f"{label} 2"} <= {h[:len(label) + 2].capitalize() for h in heads}, path.name


def test_default_contracts_state_every_fact_they_stated_before(written):
    by_name = {p.name: p.read_text(encoding="utf-8") for p in written["default"][:7]}
    for c in contracts():
        text = by_name[c.file]
        assert f"Reference: {c.reference}" in text and "## 1. Parties" in text and "DEEPAL UK Ltd" in text
        for fact in (f"£{c.value:,}", c.start, c.end, c.signed, c.payment, c.notice, c.make_goods, *c.kpis,
                     *(t for _, t in c.extra)):
            assert fact in text, (c.file, fact)
        for item, period, value in c.value_rows:
            assert f"| {item} | {period} | £{value:,} |" in text


def test_contract_wording_varies_between_contracts(written):
    subs = {p.name: set(re.findall(r"^\d+\.\d+(?:\.\d+)? (.{40,})$", p.read_text(encoding="utf-8"), re.M))
            for p in written["default"][:7]}
    seen = Counter(s for texts in subs.values() for s in texts)
    everywhere = [s for s, n in seen.items() if n == len(subs)]
    for name, texts in subs.items():
        assert len(everywhere) / len(texts) < 0.2, (name, len(everywhere), len(texts))


def test_appendix_a_budget_by_channel_equals_the_media_plan_and_the_channel_budgets(written):
    paths = {p.name: p for p in written["default"]}
    appendix = _table_after(read_document(paths["media_agency_terms.md"]), "APPENDIX A")
    plan = read_document(paths["media_plan_2025.md"])
    by_channel = _table_after(plan, "Budget by channel")
    by_month = _table_after(plan, "Budget by channel and month")
    want = {c.name: c.budget for c in CHANNELS}
    assert appendix.header[:2] == ("Channel", "Annual budget")
    assert {r[0]: _pounds(r[1]) for r in appendix.rows if r[0] != "Total"} == want
    assert {r[0]: _pounds(r[1]) for r in by_channel.rows if r[0] != "Total"} == want
    assert ("Radio", "£400,000") == appendix.rows[[r[0] for r in appendix.rows].index("Radio")][:2]
    assert by_month.header == ("Channel", *MONTHS, "Total")
    for row in by_month.rows:
        months = [_pounds(v) for v in row[1:-1]]
        assert sum(months) == _pounds(row[-1])
        if row[0] != "Total":
            assert _pounds(row[-1]) == want[row[0]]


def test_monthly_phasing_spreads_each_line_exactly_and_only_over_its_active_months():
    for line in plan_lines():
        months = monthly_phasing(line)
        assert months.sum() == line.total
        active = {m for m in range(12) if months[m] > 0}
        assert min(active) + 1 >= line.start.month and max(active) + 1 <= line.end.month
    assert sum(int(v.sum()) for v in channel_months().values()) == sum(c.budget for c in CHANNELS)
    assert {ln.start.year for ln in all_lines()} == {2024, 2025}


def test_price_list_is_what_the_sales_table_charges(world_dir):
    table = _table_after(read_document(world_dir / "raw" / "documents" / "price_list.md"), "Prices by trim")
    listed = {(r[1], r[2]): _pounds(r[4]) for r in table.rows}
    assert listed == {(model, trim): price for _, model, trim, _, price in price_rows()}
    sales = pd.read_csv(world_dir / "raw" / "vehicle_sales.csv")
    charged = sales.groupby(["model", "trim"]).list_price.unique()
    assert all(list(prices) == [listed[key]] for key, prices in charged.items())
    assert {m.name for m in MODELS} == {k[0] for k in listed}


def test_dealer_list_is_the_dealer_table_the_funnel_uses(world_dir):
    doc = read_document(world_dir / "raw" / "documents" / "dealer_list.md")
    rows = [r for b in doc.blocks if isinstance(b, Table) and b.header[0] == "Dealer ID" for r in b.rows]
    listed = pd.DataFrame(rows, columns=["dealer_id", "dealer_name", "group", "city", "region"])
    pd.testing.assert_frame_equal(listed, dealer_rows())
    sla = pd.read_csv(world_dir / "raw" / "sla_tracking.csv")[["dealer_id", "dealer_name", "region"]]
    assert set(map(tuple, sla.drop_duplicates().to_numpy())) <= set(map(tuple, listed[sla.columns].to_numpy()))
    assert len(listed) == 50 and listed.dealer_id.is_unique


def test_the_world_writes_and_stamps_every_document(world_dir):
    stamped = json.loads((world_dir / GENERATED_STAMP).read_text(encoding="utf-8"))["files"]
    for rel, _ in documents(Style.DEFAULT):
        assert (world_dir / "raw" / rel).is_file() and f"raw/{rel}" in stamped, rel


def test_foreign_style_mixes_formats_and_renames_everything(written):
    paths = written["foreign"]
    suffixes = Counter(p.suffix for p in paths)
    assert suffixes[".pdf"] >= 1 and suffixes[".docx"] >= 1 and suffixes[".txt"] >= 1
    assert not {p.name for p in paths} & {p.name for p in written["default"]}
    heads = [b.text for p in paths[:7] for b in read_document(p).blocks if isinstance(b, Heading | Paragraph)]
    assert not any(h.startswith("Schedule 1") or h == "4. Contract value" for h in heads)


def test_pdf_docx_and_txt_read_back_with_text_and_table_rows(written):
    paths = {p.name: p for p in written["foreign"]}
    pdf = read_document(paths["ITV_Sales_Agreement_2025-0418.pdf"])
    assert pdf.title == "ITV Airtime Sales Agreement"
    text = _text(pdf)
    assert "£3,300,000" in text and "28 days written notice" in text and "ITV-2025-0418" in text
    # the PDF's table comes back as a table, its wrapped first cell joined again
    consideration = _table_after(pdf, "4.1 The Client shall pay")
    assert consideration.header == ("Item", "Period", "Value")
    assert ("Linear airtime, ITV1 and ITV2 (peak and off-peak)", "Jul-Sep 2025", "£1,485,000") in consideration.rows
    agency = read_document(paths["Meridian_Terms_of_Business_signed.docx"])
    exhibit = _table_after(agency, "EXHIBIT A")
    assert exhibit.header == ("Channel", "Annual budget", "Share of total")
    assert ("Radio", "£400,000", "2.0%") in exhibit.rows and len(exhibit.rows) == len(CHANNELS) + 1
    plan = read_document(paths["2025_UK_Media_Flowchart.docx"])
    assert _table_after(plan, "Monthly phasing").header == ("Channel", *MONTHS, "Total")
    txt = _text(read_document(paths["SKY_Addendum_A1_BVOD_AdSmart.txt"]))
    assert "Sky AdSmart addressable | May–Dec 2025 | £160,000" in txt and "85% completion rate" in txt
    prices = _table_after(read_document(paths["RRP_Pricing_Sheet_2025.pdf"]), "Recommended retail prices")
    assert prices.header == ("Brand", "Model", "Trim", "Body", "OTR price")
    assert ("AVATR", "AVATR 11", "Performance AWD", "premium electric SUV", "£67,990") in prices.rows


def test_same_call_writes_the_same_bytes(written, tmp_path):
    for style in Style:
        again = write_documents(tmp_path / style.value, style)
        assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written[style.value]], style


def _labelled() -> list[tuple[str, object]]:
    ours = [q for q in load_questions() if q.id.startswith("doc")]
    foreign = [q for path in (FOREIGN_QUESTIONS, FOREIGN_MORE, FOREIGN_TEST) for q in load_questions(path)]
    return [("default", q) for q in ours] + [("foreign", q) for q in foreign]


def test_eval_sets_ask_enough_about_the_documents():
    labelled = _labelled()
    assert sum(s == "default" for s, _ in labelled) >= 25 and sum(s == "foreign" for s, _ in labelled) >= 15
    foreign_names = {Path(rel).name for rel, _ in documents(Style.FOREIGN)}
    assert all(set(q.expected_sources) <= foreign_names for s, q in labelled if s == "foreign")


def test_every_required_fact_is_in_the_text_of_each_expected_source(written):
    texts = {style: {p.name: _text(read_document(p)) for p in paths} for style, paths in written.items()}
    checked = 0
    for style, q in _labelled():
        if not q.answerable:  # the documents do not say: nothing to find, so it must claim no source or fact
            assert not q.expected_sources and not q.required_facts, q.id
            continue
        assert q.expected_sources and q.required_facts, q.id
        for source in q.expected_sources:
            for fact in q.required_facts:
                assert fact in texts[style][source], (q.id, source, fact)
                checked += 1
    assert checked >= 45
