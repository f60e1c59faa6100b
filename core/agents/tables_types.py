"""Typed parts of a computed table answer: the request parsed from a question and the answer computed from CSVs.

Every number an answer prints is kept in it twice: as a value (for checks) and as the text it is printed with
(core.agents.fmt formats), so a reply built from `TableAnswer.markdown()` only quotes numbers the tool returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import pandas as pd

from core.agents.fmt import count
from core.agents.types import Source

FILE_GROUP = "file"  # group_by value meaning "one group per file" (e.g. per channel across the media exports)
SNIPPET_CHARS = 280


def rows(n: int) -> str:
    """'1 row', '1,232 rows'."""
    return f"{count(n)} row" + ("" if n == 1 else "s")


class Op(str, Enum):
    """What a table question asks for."""

    TOTAL = "total"
    AVERAGE = "average"
    MIN = "min"
    MAX = "max"
    COUNT_ROWS = "count_rows"
    DISTINCT_COUNT = "distinct_count"
    COMPARE = "compare"
    TOP_N = "top_n"
    BY_PERIOD = "by_period"


class Agg(str, Enum):
    """How one measure is aggregated over the rows of a slice."""

    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"
    ROWS = "rows"  # number of rows
    DISTINCT = "distinct"  # number of distinct values


class Grain(str, Enum):
    """The size of a calendar period."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    RANGE = "range"


class GroupKind(str, Enum):
    """What a grouped answer has one row per."""

    COLUMN = "column"  # each value of a categorical column
    FILE = "file"  # each file (a channel, when the files are channel exports)
    PERIOD = "period"  # each calendar period of a grain


@dataclass(frozen=True)
class Period:
    """A calendar period [start, end) with its label ("September 2025", "Q4 2025") and any assumption made."""

    start: pd.Timestamp
    end: pd.Timestamp  # exclusive
    label: str
    grain: Grain
    assumed: str = ""  # e.g. "last year taken as 2025, the latest full year in the data"

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"period {self.label!r} ends before it starts")


@dataclass(frozen=True)
class Measure:
    """One thing to compute: a column with an aggregation, or the number of rows (column None)."""

    column: str | None
    agg: Agg
    label: str  # how the answer names it: "spend", "video views", "test drives"
    money: bool = False

    def __post_init__(self) -> None:
        if self.column is None and self.agg is not Agg.ROWS:
            raise ValueError("only a row count may have no column")


@dataclass(frozen=True)
class TableRequest:
    """A table question, typed: op, measures (first is the headline), files, filters, periods, grouping."""

    op: Op
    measures: tuple[Measure, ...]
    files: tuple[str, ...]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # column → accepted values
    periods: tuple[Period, ...] = ()
    date_columns: dict[str, str] = field(default_factory=dict)  # file → the date column periods refer to
    group_by: str | None = None  # a column, FILE_GROUP, or a Grain value
    group_kind: GroupKind | None = None
    n: int | None = None  # top-N; None lists every group
    assumptions: tuple[str, ...] = ()
    lowest_first: bool = False  # a top-N from the bottom ("the 3 cheapest", "best 3 by CPM")

    def __post_init__(self) -> None:
        if not self.files:
            raise ValueError("a table request needs at least one file")
        if not self.measures:
            raise ValueError("a table request needs at least one measure")
        if (self.group_by is None) != (self.group_kind is None):
            raise ValueError("group_by and group_kind go together")
        if self.n is not None and self.n < 1:
            raise ValueError("top-N needs N ≥ 1")

    @property
    def measure(self) -> str | None:
        """The headline measure's column (None: a row count)."""
        return self.measures[0].column


@dataclass(frozen=True)
class Cell:
    """A computed number and the text it is printed as (None: no rows to compute it from)."""

    value: float | None
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the answer table: a label ("September 2025", "London", "Meta") and one cell per column."""

    label: str
    cells: tuple[Cell, ...]
    rows: int = 0  # data rows behind this row


@dataclass(frozen=True)
class Computation:
    """What was computed from one file, for the citation: columns, filters, date column, rows used."""

    file: str
    columns: tuple[str, ...]
    filters: dict[str, tuple[str, ...]]
    text: str  # "sum of spend where date in September 2025"
    rows: int


@dataclass(frozen=True)
class TableAnswer:
    """The computed answer: sentence with the numbers, a one-line reading, the table and its provenance."""

    request: TableRequest
    sentence: str
    reading: str
    header: tuple[str, ...]  # the label column, then one per cell
    rows: tuple[Row, ...]
    computations: tuple[Computation, ...]

    @property
    def values(self) -> list[tuple[str, float | None]]:
        """(label, headline value) per row."""
        return [(r.label, r.cells[0].value if r.cells else None) for r in self.rows]

    @property
    def files(self) -> tuple[str, ...]:
        """The files the numbers come from."""
        return tuple(c.file for c in self.computations)

    def citation(self) -> str:
        """'Computed from meta_ads.csv: sum of spend where date in September 2025 (88 rows)'; files computed the
        same way share one line: 'Computed from dv360.csv (1,239 rows), meta_ads.csv (1,232 rows): mean of cpm'."""
        groups: dict[str, list[Computation]] = {}
        for c in self.computations:
            groups.setdefault(c.text, []).append(c)
        lines = []
        for text, cs in groups.items():
            if len(cs) == 1:
                lines.append(f"Computed from {cs[0].file}: {text} ({rows(cs[0].rows)})")
            else:
                files = ", ".join(f"{c.file} ({rows(c.rows)})" for c in cs)
                lines.append(f"Computed from {files}: {text}")
        return "; ".join(lines)

    def table(self) -> str:
        """The rows as a markdown table (empty for a single row)."""
        if len(self.rows) < 2:
            return ""
        lines = ["| " + " | ".join(self.header) + " |", "|" + "---|" * len(self.header)]
        lines += ["| " + " | ".join([r.label.replace("|", "/")] + [c.text for c in r.cells]) + " |" for r in self.rows]
        return "\n".join(lines)

    def markdown(self) -> str:
        """Sentence, reading, table (when several rows) and the citation line."""
        head = self.sentence if not self.reading else f"{self.sentence} {self.reading}"
        assumed = "; ".join(self.request.assumptions)
        parts = [head, self.table(), f"_{self.citation()}._", f"_Assumed: {assumed}._" if assumed else ""]
        return "\n\n".join(p for p in parts if p)

    def sources(self) -> list[Source]:
        """One citation per file used."""
        return [Source(file=c.file, section=c.text, snippet=self.sentence[:SNIPPET_CHARS]) for c in self.computations]
