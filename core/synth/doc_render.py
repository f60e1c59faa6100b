"""Render a Doc as markdown, plain text, PDF (fpdf2) or Word (python-docx); the same blocks in every format.

Output is byte-for-byte deterministic: PDFs carry a fixed creation date, and a .docx (a zip) is re-packed with
fixed timestamps, so the same world is the same bytes and its ownership stamp stays valid.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from core.synth.doc_model import Bullets, Doc, Grid, Heading, Para

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph as DocxParagraph
    from fpdf import FPDF

FIXED_TIME = datetime(2025, 1, 1, tzinfo=UTC)  # every rendered file's creation date
ZIP_TIME = (2025, 1, 1, 0, 0, 0)
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
# fpdf2's core fonts encode latin-1: typographic characters outside it are written as their plain forms.
LATIN1 = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "≥": ">=", "≤": "<=",
                        "…": "...", "›": ">", "•": "-"})
PDF_FONT = "Helvetica"
PDF_TABLE_FONT = {8: 8.0, 12: 6.5}  # columns up to the key → font size; wider tables get 5.5


class Format(str, Enum):
    """A rendered file format, named by its suffix."""

    MD = ".md"
    TXT = ".txt"
    PDF = ".pdf"
    DOCX = ".docx"


def plain(text: str) -> str:
    """Text without markdown bold markers."""
    return BOLD_RE.sub(r"\1", text)


def to_markdown(doc: Doc) -> str:
    """'# Title', 'Field: value' lines, '## ' headings, paragraphs, '- ' lists and pipe tables."""
    parts = [f"# {doc.title}"]
    if doc.fields:
        parts.append("\n".join(f"{k}: {v}" for k, v in doc.fields))
    for b in doc.blocks:
        if isinstance(b, Heading):
            parts.append(f"{'#' * (b.level + 1)} {b.text}")
        elif isinstance(b, Para):
            parts.append(b.text)
        elif isinstance(b, Bullets):
            parts.append("\n".join(f"- {item}" for item in b.items))
        else:
            lines = [b.header, tuple("---" for _ in b.header), *b.rows]
            parts.append("\n".join(f"| {' | '.join(cell.replace('|', '/') for cell in row)} |" for row in lines))
    return "\n\n".join(parts) + "\n"


def to_text(doc: Doc) -> str:
    """Plain text as an export would give it: a title line, ALL-CAPS headings, one line per paragraph, '- '
    lists and tables as ' | '-separated lines under their header."""
    parts = [doc.title]
    if doc.fields:
        parts.append("\n".join(f"{k}: {v}" for k, v in doc.fields))
    for b in doc.blocks:
        if isinstance(b, Heading):
            parts.append(b.text.upper())
        elif isinstance(b, Para):
            parts.append(plain(b.text))
        elif isinstance(b, Bullets):
            parts.append("\n".join(f"- {plain(item)}" for item in b.items))
        else:
            parts.append("\n".join(" | ".join(row) for row in (b.header, *b.rows)))
    return "\n\n".join(parts) + "\n"


def _latin1(text: str) -> str:
    """Text the PDF core fonts can encode."""
    return plain(text).translate(LATIN1).encode("latin-1", "replace").decode("latin-1")


def _pdf_table(pdf: FPDF, grid: Grid) -> None:
    """A bordered table with a bold header row; narrower type for wider tables."""
    size = next((s for cols, s in sorted(PDF_TABLE_FONT.items()) if len(grid.header) <= cols), 5.5)
    pdf.set_font(PDF_FONT, "", size)
    with pdf.table(first_row_as_headings=True, line_height=size * 0.55) as table:
        for row in (grid.header, *grid.rows):
            cells = table.row()
            for cell in row:
                cells.cell(_latin1(cell))
    pdf.ln(3)


def to_pdf(doc: Doc) -> bytes:
    """An A4 PDF with a real text layer (Helvetica), its title in the metadata."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(doc.title))
    pdf.set_author(_latin1(doc.author))
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 15)
    pdf.multi_cell(0, 8, _latin1(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(PDF_FONT, "", 10)
    for k, v in doc.fields:
        pdf.multi_cell(0, 5, _latin1(f"{k}: {v}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for b in doc.blocks:
        if isinstance(b, Heading):
            pdf.ln(2)
            pdf.set_font(PDF_FONT, "B", 12 if b.level == 1 else 10.5)
            pdf.multi_cell(0, 6, _latin1(b.text), new_x="LMARGIN", new_y="NEXT")
        elif isinstance(b, Para):
            pdf.set_font(PDF_FONT, "", 10)
            pdf.multi_cell(0, 5, _latin1(b.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        elif isinstance(b, Bullets):
            pdf.set_font(PDF_FONT, "", 10)
            for item in b.items:
                pdf.multi_cell(0, 5, _latin1(f"- {item}"), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        else:
            _pdf_table(pdf, b)
    return bytes(pdf.output())


def _docx_runs(paragraph: DocxParagraph, text: str) -> None:
    """Add text to a Word paragraph, **bold** parts as bold runs."""
    for i, piece in enumerate(BOLD_RE.split(text)):
        if piece:
            paragraph.add_run(piece).bold = i % 2 == 1


def _stable_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed, so saving twice gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, ZIP_TIME), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def to_docx(doc: Doc) -> bytes:
    """A Word document: Title style, heading styles, list bullets and real tables with a bold header row."""
    import docx

    d = docx.Document()
    props = d.core_properties
    props.title, props.author, props.last_modified_by = doc.title, doc.author, doc.author
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1
    d.add_heading(doc.title, 0)
    for k, v in doc.fields:
        _docx_runs(d.add_paragraph(), f"**{k}:** {v}")
    for b in doc.blocks:
        if isinstance(b, Heading):
            d.add_heading(b.text, min(b.level, 8))
        elif isinstance(b, Para):
            _docx_runs(d.add_paragraph(), b.text)
        elif isinstance(b, Bullets):
            for item in b.items:
                _docx_runs(d.add_paragraph(style="List Bullet"), item)
        else:
            table = d.add_table(rows=len(b.rows) + 1, cols=len(b.header))
            table.style = "Table Grid"
            for r, row in enumerate((b.header, *b.rows)):
                for c, text in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = text
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
    buf = io.BytesIO()
    d.save(buf)
    return _stable_zip(buf.getvalue())


RENDERERS: dict[Format, Callable[[Doc], bytes]] = {
    Format.MD: lambda doc: to_markdown(doc).encode("utf-8"),
    Format.TXT: lambda doc: to_text(doc).encode("utf-8"),
    Format.PDF: to_pdf,
    Format.DOCX: to_docx,
}


def write_doc(doc: Doc, path: Path) -> Path:
    """Render doc in the format its path's suffix names and write it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(RENDERERS[Format(path.suffix.lower())](doc))
    return path
