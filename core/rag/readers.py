"""Read documents as they come (.md, .txt, .pdf, .docx) into one typed Document: a title and ordered blocks.

Readers keep what the file itself marks: markdown `#` headings and pipe tables, Word heading styles and tables.
Plain text and PDF text carry no markup, so their lines become paragraphs (a short ALL-CAPS line a heading);
finding numbered clauses and appendices in them is the chunker's job (core.rag.chunking). A file that cannot be
read raises a ValueError naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from core.rag.layout import Grid, split_tables

# How documents mark their structure in running text; shared with the chunker.
CLAUSE_RE = re.compile(r"^(?P<num>\d{1,3}(?:\.\d{1,3})*)(?P<dot>[.)])?\s+(?P<rest>\S.*)$")
APPENDIX_RE = re.compile(r"^(?P<word>appendix|schedule|annexure|annex|exhibit|attachment)\s+"
                         r"(?P<id>[A-Z]|\d{1,3}|[IVX]{1,5})\b[\s.:)–—-]*(?P<rest>.*)$", re.I)
LIST_RE = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s+")
MD_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
MD_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
CAPS_HEADING_MAX_WORDS = 10  # a longer ALL-CAPS line is shouting, not a heading
CAPS_LETTER_SHARE = 0.6  # of its non-space characters: a code like ITV-2025-0418 is no heading
TITLE_MAX_WORDS = 15  # a longer first line of a plain-text file is prose, not its title
WRAP_SHARE = 0.8  # a line this close to the text's usual full width, ending mid-sentence, was wrapped
WRAP_PERCENTILE = 0.9  # the text's full width: most lines of running prose reach it
WRAP_MIN_WIDTH = 60  # characters: running prose is set wider than this
SENTENCE_ENDS = (".", ":", ";", "!", "?")
UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


@dataclass(frozen=True)
class Heading:
    """A heading as the document marks it; level 1 is the top."""

    text: str
    level: int = 1

    def __post_init__(self) -> None:
        if self.level < 1:
            raise ValueError(f"heading level must be at least 1, got {self.level}")


@dataclass(frozen=True)
class Paragraph:
    """A paragraph (lines kept); list items are marked so their numbers are never taken for clause numbers."""

    text: str
    list_item: bool = False


@dataclass(frozen=True)
class Table:
    """A table as its header and rows of cells, every row as wide as the header."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if any(len(r) != len(self.header) for r in self.rows):
            raise ValueError("every table row must have one cell per header column")


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Document:
    """A read document: its title, its blocks in order, and the file it came from."""

    title: str
    blocks: tuple[Block, ...]
    source: str


def make_table(cells: Iterable[Iterable[str]]) -> Table | None:
    """A Table from rows of cell texts (the first is the header), ragged rows padded or cut; None when empty.

    Blank header cells are named 'Column N' so every value keeps a name.
    """
    grid = [[c.strip() for c in row] for row in cells]
    grid = [r for r in grid if any(r)]
    if not grid:
        return None
    width = len(grid[0])
    header = tuple(h or f"Column {i}" for i, h in enumerate(grid[0], 1))
    rows = tuple(tuple((r + [""] * width)[:width]) for r in grid[1:])
    return Table(header, rows)


def stem_title(name: str) -> str:
    """A title from a file name: 'media_plan-2025.md' → 'media plan 2025'."""
    return re.sub(r"[_-]+", " ", Path(name).stem).strip() or name


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 text (a UTF-8 byte-order mark dropped), or UTF-16 after its byte-order mark; newlines made LF.

    Anything else raises UnicodeDecodeError naming the file. Windows-1252 is not guessed: it decodes almost any
    bytes, so a binary file saved as .txt would be indexed as noise.
    """
    for bom, enc in UTF16_BOMS:
        body = raw[len(bom):]
        if raw.startswith(bom) and body and len(body) % 2 == 0:
            try:
                return _newlines(body.decode(enc))
            except UnicodeDecodeError:
                break
    try:
        return _newlines(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UnicodeDecodeError(exc.encoding, exc.object, exc.start, exc.end,
                                 f"{exc.reason}: {name} is not UTF-8 text; save it as UTF-8") from None


def _newlines(text: str) -> str:
    """CRLF and CR-only line ends as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strip_marks(text: str) -> str:
    """Text without markdown bold/italic markers around it."""
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text).strip().strip("*_ ").strip()


def _pipe_cells(line: str) -> list[str]:
    """The cells of one markdown pipe-table line."""
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [_strip_marks(c.replace("\0", "|")) for c in inner.replace("\\|", "\0").split("|")]


def _title_from(blocks: list[Block], name: str) -> tuple[str, list[Block]]:
    """The document title: a leading level-1 heading that is the only one and no clause or appendix (taken out
    of the blocks), else the file name."""
    tops = [b for b in blocks if isinstance(b, Heading) and b.level == 1]
    first = blocks[0] if blocks else None
    if (isinstance(first, Heading) and first.level == 1 and len(tops) == 1
            and not CLAUSE_RE.match(first.text) and not APPENDIX_RE.match(first.text)):
        return first.text, blocks[1:]
    return stem_title(name), blocks


def parse_markdown(text: str, name: str) -> Document:
    """Markdown as headings (by # level), pipe tables, list items and paragraphs; fenced code stays verbatim."""
    lines = _newlines(text).split("\n")
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Paragraph("\n".join(para)))
            para.clear()

    i, fenced = 0, False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
        if fenced or stripped.startswith(("```", "~~~")):
            para.append(line)
        elif not stripped:
            flush()
        elif m := MD_HEADING_RE.match(stripped):
            flush()
            if heading := _strip_marks(m.group(2)):
                blocks.append(Heading(heading, len(m.group(1))))
        elif "|" in stripped and i + 1 < len(lines) and MD_TABLE_SEP_RE.match(lines[i + 1]):
            flush()
            rows = [_pipe_cells(stripped)]
            i += 2
            while i < len(lines) and "|" in lines[i] and lines[i].strip():
                rows.append(_pipe_cells(lines[i]))
                i += 1
            if table := make_table(rows):
                blocks.append(table)
            continue
        elif LIST_RE.match(line):
            flush()
            blocks.append(Paragraph(stripped, list_item=True))
        else:
            para.append(line.rstrip())
        i += 1
    flush()
    title, body = _title_from(blocks, name)
    return Document(title, tuple(body), name)


def _caps_heading(line: str) -> bool:
    """True for a short ALL-CAPS line that is mostly letters ('TERMS AND CONDITIONS', not 'ITV-2025-0418')."""
    letters = sum(c.isalpha() for c in line)
    return (letters >= 3 and letters >= CAPS_LETTER_SHARE * len(line.replace(" ", "")) and line == line.upper()
            and len(line.split()) <= CAPS_HEADING_MAX_WORDS and not line.endswith((".", ",", ";")))


def _starts_block(line: str) -> bool:
    """True for a line that opens a new block: a list item, a numbered clause or an appendix heading."""
    return bool(LIST_RE.match(line) or CLAUSE_RE.match(line) or APPENDIX_RE.match(line))


def wrap_width(lines: Iterable[str]) -> int:
    """The width running prose fills before it wraps: a high percentile of the text's line lengths (0 when the
    lines are all short)."""
    lengths = sorted(len(" ".join(ln.split())) for ln in lines if ln.strip())
    width = lengths[int(WRAP_PERCENTILE * (len(lengths) - 1))] if lengths else 0
    return width if width >= WRAP_MIN_WIDTH else 0  # short lines throughout: a list or a form, never wrapped


def _wrapped(previous: str, width: int) -> bool:
    """True when a line ends where the text wraps and mid-sentence, so the next line continues it (a '|' table
    row is never wrapped prose)."""
    return (width > 0 and len(previous) >= WRAP_SHARE * width and not previous.endswith(SENTENCE_ENDS)
            and "|" not in previous)


def line_blocks(lines: Iterable[str], width: int | None = None) -> list[Block]:
    """Blocks of unmarked text: blank lines and lines that open a clause, list item or appendix start a new
    paragraph; a line starting lower-case, or after a line wrapped mid-sentence (at `width`, by default the
    lines' own), continues the sentence above; page numbers are dropped."""
    lines = list(lines)
    width = wrap_width(lines) if width is None else width
    blocks: list[Block] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            text = "\n".join(para)
            blocks.append(Paragraph(text, list_item=bool(LIST_RE.match(text) and not CLAUSE_RE.match(text))))
            para.clear()

    for raw in lines:
        line = " ".join(raw.split())
        if not line or PAGE_NUMBER_RE.match(line):
            flush()
        elif _caps_heading(line) and not LIST_RE.match(line):
            flush()
            blocks.append(Heading(line, 1))
        elif _starts_block(line):
            flush()
            para.append(line)
        elif para and (line[0].islower() or _wrapped(para[-1], width)):
            para[-1] = f"{para[-1]} {line}"
        elif para and len(para[0].split()) <= CAPS_HEADING_MAX_WORDS and _starts_block(para[0]) and len(para) == 1:
            flush()  # a short numbered line on its own is a heading: what follows is its body
            para.append(line)
        else:
            para.append(line)
    flush()
    return blocks


def layout_blocks(lines: Sequence[str]) -> list[Block]:
    """Blocks of laid-out text (PDF layout text, plain text): tables aligned with spaces become Tables, the
    lines between them paragraphs and headings (line_blocks, wrapped at the whole text's width)."""
    width = wrap_width(lines)
    blocks: list[Block] = []
    for part in split_tables(lines, _starts_block):
        if isinstance(part, Grid):
            if table := make_table(part.rows):
                blocks.append(table)
        else:
            blocks += line_blocks(part, width)
    return blocks


def _plain_title(blocks: list[Block], name: str) -> tuple[str, list[Block]]:
    """A plain-text title: a leading heading or short first line (taken out of the blocks), else the file name."""
    if blocks and isinstance(blocks[0], Heading):
        return blocks[0].text, blocks[1:]
    first = blocks[0] if blocks else None
    if (isinstance(first, Paragraph) and "\n" not in first.text and not _starts_block(first.text)
            and len(first.text.split()) <= TITLE_MAX_WORDS and not first.text.endswith(".")):
        return first.text, blocks[1:]
    return stem_title(name), blocks


def parse_plain_text(text: str, name: str) -> Document:
    """Plain text as paragraphs (ALL-CAPS lines as headings), titled by its first line when that is short."""
    title, body = _plain_title(layout_blocks(_newlines(text).split("\n")), name)
    return Document(title, tuple(body), name)


T = TypeVar("T")


def _or_fail(path: Path, what: str, read: Callable[[], T]) -> T:
    """read(), with any failure of a third-party parser on damaged input turned into one ValueError naming the
    file (pypdf and python-docx raise their own error classes, KeyError, zipfile and lxml errors, ...)."""
    try:
        return read()
    except ValueError as exc:
        if path.name in str(exc):
            raise
        raise ValueError(f"{path.name} could not be read as {what}: {_why(exc)}") from exc
    except Exception as exc:  # the boundary where a parser's own error classes become one kind
        raise ValueError(f"{path.name} could not be read as {what}: {_why(exc)}") from exc


def _why(exc: BaseException) -> str:
    """The first line of an exception's message, or its class name."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def _page_text(page: Any) -> str:
    """A PDF page's text in layout mode, or plain mode when the layout pass fails on the page."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # pypdf's layout pass has its own failure modes on odd fonts; plain text still reads
        return page.extract_text() or ""


def read_pdf(path: Path) -> Document:
    """A PDF's text layer, page by page, as plain-text blocks; titled by its metadata or first line."""
    from pypdf import PdfReader

    def read() -> Document:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValueError(f"{path.name} is password-protected; save an unprotected copy")
        # layout mode keeps each line's horizontal spacing, which is how a PDF table shows its columns
        lines = [ln for page in reader.pages for ln in _page_text(page).split("\n")]
        blocks = layout_blocks(lines)
        if not blocks:
            raise ValueError(f"{path.name} has no text to read (a scanned PDF needs OCR first)")
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
        if meta_title.strip():
            return Document(meta_title.strip(), tuple(blocks), path.name)
        title, body = _plain_title(blocks, path.name)
        return Document(title, tuple(body), path.name)

    return _or_fail(path, "a PDF", read)


def _docx_heading_level(style: str) -> int | None:
    """1 for 'Heading 1' (and 'Title'), 2 for 'Heading 2', ...; None for other paragraph styles."""
    m = re.fullmatch(r"heading\s*(\d)", style.strip().lower())
    return int(m.group(1)) if m else None


def read_docx(path: Path) -> Document:
    """A Word document's paragraphs, heading styles and tables, in document order."""
    import docx
    from docx.table import Table as DocxTable

    def read() -> Document:
        d = docx.Document(str(path))
        blocks: list[Block] = []
        title = ""
        for item in d.iter_inner_content():
            if isinstance(item, DocxTable):
                # a merged cell repeats once per grid column it spans, which keeps every value under its column
                rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in item.rows]
                if table := make_table(rows):
                    blocks.append(table)
                continue
            text = item.text.strip()
            style = item.style.name if item.style is not None and item.style.name else ""
            if not text:
                continue
            if style.lower() == "title" and not title:
                title = text
            elif (level := _docx_heading_level(style)) is not None:
                blocks.append(Heading(text, level))
            else:
                blocks.append(Paragraph(text, list_item=style.lower().startswith("list")))
        if not title:
            core = (d.core_properties.title or "").strip()
            title, body = (core, blocks) if core else _title_from(blocks, path.name)
            blocks = list(body)
        return Document(title, tuple(blocks), path.name)

    return _or_fail(path, "a Word document (.docx)", read)


def read_markdown(path: Path) -> Document:
    """A markdown file (UTF-8 or UTF-16 with a byte-order mark)."""
    return parse_markdown(decode_text(path.read_bytes(), path.name), path.name)


def read_text(path: Path) -> Document:
    """A plain-text file (UTF-8 or UTF-16 with a byte-order mark)."""
    return parse_plain_text(decode_text(path.read_bytes(), path.name), path.name)


READERS: dict[str, Callable[[Path], Document]] = {
    ".md": read_markdown, ".markdown": read_markdown, ".txt": read_text, ".pdf": read_pdf, ".docx": read_docx}


def read_document(path: Path) -> Document:
    """The Document of a file by its suffix (see READERS); ValueError for a suffix no reader knows."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"{path.name}: no reader for {path.suffix or 'files without a suffix'} "
                         f"(readable: {', '.join(sorted(READERS))})")
    return reader(path)
