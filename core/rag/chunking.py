"""Chunk a Document by its own structure: sections, overlapping windows of long sections, one unit per table row.

A section starts at a heading (markdown `#`, a Word heading style, an ALL-CAPS line), at an "Appendix A" /
"Schedule 1" heading, or at a numbered clause (1 / 1.1 / 2.1.3) written as a paragraph. Lines of '|'-separated
cells in plain text are a table, like a markdown or Word one. Its path is the titles of
the sections it sits in ("Appendix A › Budget by channel"), so a citation names where a passage is. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.rag.readers import APPENDIX_RE, CLAUSE_RE, Block, Document, Heading, Paragraph, Table, make_table

TARGET_WORDS = 120  # words of a passage: with its title and heading well inside MiniLM's 256 wordpieces
OVERLAP_WORDS = 25  # words a split section's passages share, so a sentence cut at one edge is whole in the other
HEADING_MAX_WORDS = 12  # a longer numbered line is a clause with its text, not a heading
UNTITLED_WORDS = 6  # words of an untitled clause that name it in citations
PATH_SEP = " › "  # between the titles of a section path, in metadata and citations
LABEL_SEP = " – "  # between document title and section path in a table row's heading line
CELL_SEP = " | "  # between the 'header: value' pairs of one rendered row
_TOKEN_RE = re.compile(r"\S+\s*")
_QUOTES = "(\"'“‘"
DEFINITION_RE = re.compile(r"^\W{0,6}[\"'“‘]\s*[A-Z][^\"'”’]{0,60}[\"'”’]\W{0,3}\s*(?:means|has the meaning|includes)\b")


@dataclass(frozen=True)
class Section:
    """A run of blocks under one heading: its clause number (if numbered), path of titles and body blocks."""

    number: str | None
    path: tuple[str, ...]
    blocks: tuple[Block, ...]

    @property
    def label(self) -> str:
        """The path as one string: 'Appendix A › Budget by channel'."""
        return PATH_SEP.join(self.path)


@dataclass(frozen=True)
class Passage:
    """One retrievable unit of a section: a window of its text (part of parts), one row of one of its tables, or
    one of its definitions."""

    text: str
    section: Section
    part: int = 0
    parts: int = 1
    table: int | None = None
    row: int | None = None
    definition: int | None = None


@dataclass
class _Open:
    """A section on the stack of those a block sits in."""

    level: int
    number: str | None
    titles: tuple[str, ...]


@dataclass
class _Scope:
    """Clause numbering seen so far (appendices and schedules start their own)."""

    seen: set[str] = field(default_factory=set)
    last_top: int | None = None

    def note(self, number: str) -> None:
        """Remember a clause number (its top-level value too)."""
        self.seen.add(number)
        if "." not in number:
            self.last_top = int(number)

    def follows(self, number: str) -> bool:
        """True when a clause number written as a paragraph continues the numbering: 3 after 2, 2.4 within 2."""
        parts = number.split(".")
        if len(parts) == 1:
            return self.last_top is None or int(number) == self.last_top + 1
        return ".".join(parts[:-1]) in self.seen


def row_text(pairs: Iterable[tuple[str, str]], prefix: str = "") -> str:
    """'prefix | header: value | header: value' for the non-empty values, each on one line."""
    cells = [f"{h}: {' '.join(str(v).split())}" for h, v in pairs if str(v).strip()]
    return CELL_SEP.join([prefix, *cells] if prefix else cells)


def windows(n: int, target: int = TARGET_WORDS, overlap: int = OVERLAP_WORDS) -> list[tuple[int, int]]:
    """[start, end) word spans covering n words: one span when n ≤ target, else spans of `target` words whose
    starts step by target − overlap (consecutive spans share `overlap` words; the last one may be shorter)."""
    if not 0 <= overlap < target:
        raise ValueError(f"overlap must be at least 0 and below target, got overlap={overlap}, target={target}")
    if n <= target:
        return [(0, n)]
    spans, start = [], 0
    while True:
        end = min(start + target, n)
        spans.append((start, end))
        if end == n:
            return spans
        start += target - overlap


def _heading_like(line: str) -> bool:
    """True for a line short enough, and unpunctuated enough, to be a heading rather than prose; a longer line
    ending in ':' introduces what follows ('2.1 In this agreement these words mean:') and is no heading."""
    words = len(line.split())
    return (words <= HEADING_MAX_WORDS and not line.endswith((";", ","))
            and (not line.endswith((".", ":")) or words <= UNTITLED_WORDS))


def text_table(block: Paragraph) -> Table | None:
    """A table written as plain text: two or more lines that each split on '|' into the same number (at least
    two) of cells, the first line the header; None for anything else. Text exports and pasted tables keep their
    columns this way, and each row can then carry its header like a markdown or Word table row."""
    lines = [ln.strip() for ln in block.text.split("\n")]
    if block.list_item or len(lines) < 2 or not all("|" in ln for ln in lines):
        return None
    grid = [[c.strip() for c in ln.removeprefix("|").removesuffix("|").split("|")] for ln in lines]
    width = len(grid[0])
    if width < 2 or any(len(r) != width for r in grid) or not all(grid[0]):
        return None
    return make_table(grid)


def written_clause(line: str) -> re.Match[str] | None:
    """The clause match of a paragraph line that opens a clause: '3. Fees', '2.1 The Client…' (a number alone,
    '100 dealers', or text starting lower-case, '3.5 million', is prose)."""
    m = CLAUSE_RE.match(line)
    if m is None or not (m.group("dot") or "." in m.group("num")):
        return None
    first = m.group("rest")[0]
    return m if first.isupper() or first in _QUOTES else None


def appendix_titles(match: re.Match[str]) -> tuple[str, ...]:
    """('Appendix A', 'Budget by channel') from 'APPENDIX A – BUDGET BY CHANNEL'."""
    ident = match.group("id")
    label = f"{match.group('word').capitalize()} {ident.upper() if ident.isalpha() else ident}"
    rest = match.group("rest").strip(" .:–—-*_")
    if rest.isupper():
        rest = rest.capitalize()
    return (label, rest) if rest else (label,)


def _first_words(text: str, n: int = UNTITLED_WORDS) -> str:
    """The first n words of a text, with '…' when cut."""
    words = text.split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


class _Splitter:
    """Walks a document's blocks and cuts them into sections (see split_sections)."""

    def __init__(self, doc: Document) -> None:
        levels = [b.level for b in doc.blocks if isinstance(b, Heading)]
        self.base = min(levels, default=1)
        self.stack: list[_Open] = []
        self.scope = _Scope()
        self.sections: list[Section] = []
        self.number: str | None = None
        self.body: list[Block] = []

    def close(self) -> None:
        """End the open section; one without body blocks leaves nothing (its children carry its title)."""
        if self.body:
            path = tuple(t for o in self.stack for t in o.titles)
            if not path and self.number:
                path = (_first_words(" ".join(b.text for b in self.body if isinstance(b, Paragraph))),)
            self.sections.append(Section(self.number, path, tuple(self.body)))
        self.body = []

    def open(self, level: int, number: str | None, titles: tuple[str, ...], body: list[Block]) -> None:
        """Start a section at level (deeper levels nest in it), with the body blocks already known."""
        self.close()
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        self.stack.append(_Open(level, number, titles))
        self.number, self.body = number, body

    def anchor(self) -> int:
        """The level clause paragraphs nest under: the innermost unnumbered section (a heading, an appendix)."""
        return next((o.level for o in reversed(self.stack) if o.number is None), 0)

    def heading(self, block: Heading) -> None:
        """A marked heading opens a section at its level (relative to the document's top heading level)."""
        level = block.level - self.base + 1
        if m := APPENDIX_RE.match(block.text):
            self.scope = _Scope()
            self.open(level, None, appendix_titles(m), [])
        elif m := CLAUSE_RE.match(block.text):
            self.scope.note(m.group("num"))
            self.open(level, m.group("num"), (m.group("rest").strip(" .:"),), [])
        else:
            self.open(level, None, (block.text,), [])

    def paragraph(self, block: Paragraph) -> bool:
        """Open a section when a paragraph starts with an appendix heading or the next clause number."""
        if block.list_item:
            return False
        first, _, rest = block.text.partition("\n")
        first = first.strip()
        after: list[Block] = [Paragraph(rest.strip())] if rest.strip() else []
        if (m := APPENDIX_RE.match(first)) and _heading_like(first):
            self.scope = _Scope()
            self.open(1, None, appendix_titles(m), after)
            return True
        m = written_clause(first)
        if m is None or not self.scope.follows(m.group("num")):
            return False
        number = m.group("num")
        self.scope.note(number)
        level = self.anchor() + number.count(".") + 1
        if _heading_like(first):
            self.open(level, number, (m.group("rest").strip(" .:"),), after)
        else:
            self.open(level, number, (), [block])
        return True

    def run(self, blocks: Iterable[Block]) -> list[Section]:
        """All sections, the preamble (blocks before the first heading) first."""
        for block in blocks:
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Paragraph) and (table := text_table(block)):
                self.body.append(table)
            elif not (isinstance(block, Paragraph) and self.paragraph(block)):
                self.body.append(block)
        self.close()
        return self.sections


def split_sections(doc: Document) -> list[Section]:
    """The document's sections in order; blocks before the first heading form a preamble (no number, no path)."""
    return _Splitter(doc).run(doc.blocks)


def _render(block: Block) -> str:
    """A body block as text; a table as 'a | b' lines, header first."""
    if isinstance(block, Table):
        return "\n".join(CELL_SEP.join(r) for r in (block.header, *block.rows))
    return block.text


def heading_line(section: Section) -> str:
    """'## 2.1 Cancellation › Notice' (empty for the preamble): marked as a heading so quoting skips it."""
    name = " ".join(x for x in (section.number, section.label) if x)
    return f"## {name}" if name else ""


def section_passages(doc: Document, section: Section, target: int = TARGET_WORDS,
                     overlap: int = OVERLAP_WORDS) -> list[Passage]:
    """The section's text in windows of `target` words sharing `overlap`, each headed by the document title and
    the section's heading line; then one passage per table row, 'header: value | header: value' under the line
    '## title – path' (a heading line, so a quote of the row is the row alone and its citation the path)."""
    head = "\n".join(x for x in (doc.title, heading_line(section)) if x)
    # prose and tables are windowed apart, so a clause that introduces a table ("a total of £3.3m, made up
    # of:") is a passage of its own and not drowned by the rows that follow it
    prose = "\n".join(b.text for b in section.blocks if not isinstance(b, Table)).strip()
    grids = "\n".join(_render(b) for b in section.blocks if isinstance(b, Table)).strip()
    runs = [_TOKEN_RE.findall(body) for body in (prose, grids) if body]
    spans = [(run, a, b) for run in runs for a, b in windows(len(run), target, overlap)]
    out = [Passage(f"{head}\n{''.join(run[a:b]).strip()}", section, i, len(spans))
           for i, (run, a, b) in enumerate(spans)]
    where = f"## {LABEL_SEP.join((doc.title, *section.path))}"
    # a defined term ('"Contract Value" means … £1,800,000') answers questions on its own, like a table row
    defined = [b for b in section.blocks if isinstance(b, Paragraph) and DEFINITION_RE.match(b.text)]
    out += [Passage(f"{where}\n{b.text}", section, definition=d) for d, b in enumerate(defined)]
    tables = [b for b in section.blocks if isinstance(b, Table)]
    for t, table in enumerate(tables):
        for r, row in enumerate(table.rows):
            if any(v.strip() for v in row):
                out.append(Passage(f"{where}\n{row_text(zip(table.header, row))}", section, table=t, row=r))
    return out


def passages(doc: Document, target: int = TARGET_WORDS, overlap: int = OVERLAP_WORDS) -> list[Passage]:
    """Every passage of a document, section by section."""
    return [p for s in split_sections(doc) for p in section_passages(doc, s, target, overlap)]
