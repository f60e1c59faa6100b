"""Readers: .md, .txt, .pdf and .docx files in, typed Documents (title, headings, paragraphs, tables) out."""

import zipfile
from pathlib import Path

import docx
import pytest

from core.rag.readers import (
    Document,
    Heading,
    Paragraph,
    Table,
    make_table,
    parse_markdown,
    parse_plain_text,
    read_document,
)


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal valid one-page PDF whose text layer holds `lines` (Helvetica, one line per Tj)."""
    esc = lambda t: t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = "\n".join(["BT", "/F1 11 Tf", "14 TL", "72 760 Td", *(f"({esc(t)}) Tj T*" for t in lines), "ET"])
    body = stream.encode("latin-1")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
               b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _docx(path: Path) -> Path:
    d = docx.Document()
    d.add_heading("Media plan 2025", 0)
    d.add_paragraph("Prepared for DEEPAL UK Ltd.")
    d.add_heading("1. Scope", 1)
    d.add_paragraph("The plan covers paid media in 2025.")
    d.add_paragraph("Deliver 5,000 TVRs", style="List Number")
    d.add_heading("Budget detail", 2)
    table = d.add_table(rows=3, cols=2)
    for r, values in enumerate([("Channel", "Annual budget"), ("TV", "£2,000,000"), ("Radio", "£400,000")]):
        for c, v in enumerate(values):
            table.cell(r, c).text = v
    d.save(str(path))
    return path


def test_docx_headings_paragraphs_and_tables_come_out_in_order(tmp_path):
    doc = read_document(_docx(tmp_path / "plan.docx"))
    assert doc.title == "Media plan 2025" and doc.source == "plan.docx"
    assert doc.blocks == (
        Paragraph("Prepared for DEEPAL UK Ltd."),
        Heading("1. Scope", 1),
        Paragraph("The plan covers paid media in 2025."),
        Paragraph("Deliver 5,000 TVRs", list_item=True),
        Heading("Budget detail", 2),
        Table(("Channel", "Annual budget"), (("TV", "£2,000,000"), ("Radio", "£400,000"))))


def test_docx_merged_cells_keep_every_value_under_its_column(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=2, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "Period"
    t.cell(0, 2).text = "Spend"
    for c, v in enumerate(("Q1", "Jan", "£10")):
        t.cell(1, c).text = v
    d.save(str(tmp_path / "m.docx"))
    (table,) = read_document(tmp_path / "m.docx").blocks
    assert table == Table(("Period", "Period", "Spend"), (("Q1", "Jan", "£10"),))


def test_pdf_text_layer_becomes_title_and_paragraphs(tmp_path):
    (tmp_path / "terms.pdf").write_bytes(pdf_bytes([
        "MEDIA SERVICES AGREEMENT", "1. Parties", "This agreement is between DEEPAL UK Ltd and",
        "the agency named below.", "2.1 The Client pays a fee of 3% of media spend.", "Page 1 of 1"]))
    doc = read_document(tmp_path / "terms.pdf")
    assert doc.title == "MEDIA SERVICES AGREEMENT"
    assert [b.text for b in doc.blocks] == [
        "1. Parties", "This agreement is between DEEPAL UK Ltd and the agency named below.",
        "2.1 The Client pays a fee of 3% of media spend."]


@pytest.mark.parametrize(("name", "data", "what"), [
    ("broken.pdf", b"%PDF-1.4\nthis is not a PDF body", "a PDF"),
    ("cut.pdf", pdf_bytes(["Hello there"])[:40], "a PDF"),
    ("renamed.docx", b"just some text", "a Word document"),
    ("other.docx", None, "a Word document"),
])
def test_a_corrupt_pdf_or_docx_is_a_value_error_naming_the_file(tmp_path, name, data, what):
    path = tmp_path / name
    if data is None:  # a zip, but not a Word package
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("notes.txt", "hello")
    else:
        path.write_bytes(data)
    with pytest.raises(ValueError, match=rf"{name} could not be read as {what}"):
        read_document(path)


def test_a_pdf_without_text_says_so(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes([]))
    with pytest.raises(ValueError, match="scan.pdf has no text"):
        read_document(tmp_path / "scan.pdf")


def test_markdown_headings_tables_and_lists():
    doc = parse_markdown("# Plan\n\nIntro line\nsecond line\n\n## 1. Scope\n- one\n1. two\n\n"
                         "### Budget\n| Channel | **Budget** |\n|---|:---:|\n| TV | £2 |\n| Radio |\n", "plan.md")
    assert doc == Document("Plan", (
        Paragraph("Intro line\nsecond line"), Heading("1. Scope", 2), Paragraph("- one", True),
        Paragraph("1. two", True), Heading("Budget", 3),
        Table(("Channel", "Budget"), (("TV", "£2"), ("Radio", ""))),
    ), "plan.md")


def test_markdown_whose_first_heading_is_a_clause_keeps_it_and_is_titled_by_file_name():
    doc = parse_markdown("# 1. Term\nOne year.\n# 2. Fees\nNone.\n", "supplier_terms.md")
    assert doc.title == "supplier terms" and doc.blocks[0] == Heading("1. Term", 1)


def test_plain_text_joins_wrapped_lines_and_splits_clauses():
    doc = parse_plain_text("Supplier terms\n\nTERMS\n1. Payment\nInvoices are paid\nwithin 30 days.\n"
                           "2. Notice\n- a bullet\n", "t.txt")
    assert doc.title == "Supplier terms"
    assert doc.blocks == (Heading("TERMS", 1), Paragraph("1. Payment"), Paragraph("Invoices are paid within 30 days."),
                          Paragraph("2. Notice"), Paragraph("- a bullet", True))


def test_text_files_in_utf16_are_read_and_undecodable_ones_name_the_file(tmp_path):
    (tmp_path / "wide.txt").write_bytes("Notes\n\nBudget £400,000 for radio.".encode("utf-16"))
    assert read_document(tmp_path / "wide.txt").blocks == (Paragraph("Budget £400,000 for radio."),)
    (tmp_path / "latin.md").write_bytes("# Plan\nCaf\xe9 budget".encode("latin-1"))
    with pytest.raises(UnicodeDecodeError, match="latin.md is not UTF-8 text"):
        read_document(tmp_path / "latin.md")


def test_an_unknown_suffix_is_refused(tmp_path):
    (tmp_path / "deck.pptx").write_bytes(b"x")
    with pytest.raises(ValueError, match="deck.pptx: no reader for .pptx"):
        read_document(tmp_path / "deck.pptx")


def test_make_table_pads_ragged_rows_and_names_blank_headers():
    assert make_table([["a", ""], ["1"], ["2", "3", "4"], ["", ""]]) == Table(("a", "Column 2"), (("1", ""), ("2", "3")))
    assert make_table([[" ", ""]]) is None
    with pytest.raises(ValueError):
        Table(("a", "b"), (("1",),))
