"""Tables laid out with spaces: the columns of a PDF's layout text (pypdf `extraction_mode="layout"`) or of an
aligned plain-text export, found by where each line's cells start.

A cell is a run of words separated by at most two spaces; three or more spaces separate cells. A header line
with two or more cells, followed directly by lines of two or more cells, is a table; a shorter line that fits
under the columns and opens nothing new continues the row above (a wrapped cell). Everything else is prose.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

CELL_RE = re.compile(r"\S+(?: {1,2}\S+)*")  # three or more spaces end a cell
MIN_ROWS = 2  # one row under a header is a table only when it has three or more columns
WIDE_TABLE = 3


@dataclass(frozen=True)
class Grid:
    """A table found in layout text: its header line's cells, then one list of cells per row."""

    rows: tuple[tuple[str, ...], ...]


def cells(line: str) -> list[tuple[int, str]]:
    """The (start column, text) of each cell of a layout line."""
    return [(m.start(), m.group()) for m in CELL_RE.finditer(line.rstrip())]


def _column(starts: Sequence[int], pos: int) -> int:
    """The header column nearest a cell's start."""
    return min(range(len(starts)), key=lambda j: abs(starts[j] - pos))


def _place(starts: Sequence[int], line_cells: list[tuple[int, str]]) -> list[str] | None:
    """A line's cells under the header's columns, or None when two cells fall under one column."""
    row = [""] * len(starts)
    for pos, text in line_cells:
        j = _column(starts, pos)
        if row[j]:
            return None
        row[j] = text
    return row


def _fits(starts: Sequence[int], line_cells: list[tuple[int, str]]) -> bool:
    """True when every cell ends before the next column starts: a wrapped cell, not a line of prose."""
    for pos, text in line_cells:
        j = _column(starts, pos)
        if j + 1 < len(starts) and pos + len(text) > starts[j + 1]:
            return False
    return True


def _table_at(lines: Sequence[str], i: int, opens_block: Callable[[str], bool]) -> tuple[Grid, int] | None:
    """The table whose header is lines[i] and the index after its last line, or None when none starts there."""
    head = cells(lines[i])
    if len(head) < 2:
        return None
    starts = [pos for pos, _ in head]
    rows: list[list[str]] = []
    j = i + 1
    while j < len(lines) and lines[j].strip():
        line_cells = cells(lines[j])
        if len(line_cells) >= 2 and len(line_cells) <= len(starts) and (row := _place(starts, line_cells)):
            rows.append(row)
        elif (rows and len(line_cells) < len(starts) and not opens_block(lines[j].strip())
              and _fits(starts, line_cells) and (more := _place(starts, line_cells))):
            rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], more)]
        else:
            break
        j += 1
    if len(rows) < MIN_ROWS and not (rows and len(starts) >= WIDE_TABLE):
        return None
    return Grid(tuple(tuple(r) for r in [[t for _, t in head], *rows])), j


def split_tables(lines: Sequence[str], opens_block: Callable[[str], bool]) -> list[list[str] | Grid]:
    """Layout lines as runs of prose lines and the tables between them, in order."""
    out: list[list[str] | Grid] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        found = _table_at(lines, i, opens_block)
        if found is None:
            prose.append(lines[i])
            i += 1
            continue
        if prose:
            out.append(prose)
            prose = []
        out.append(found[0])
        i = found[1]
    if prose:
        out.append(prose)
    return out
