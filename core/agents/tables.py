"""Computed answers for table questions: "PPC spend for Q4 2025", "which dealer shifted the most cars?".

`answer(question, tables)` returns None when the question is not a computable table question or when it cannot
tell which file or column is meant: the caller then falls back to document search. `TableStore` loads a folder's
CSVs once and keeps their profile. The steps, one module each:

- tables_vocab: profile each CSV (date, money, count, rate and categorical columns, their values, what a row is)
- tables_periods / tables_calendar: read the periods a question names, then date them against the data
- tables_cues: the words that say what to compute (how many, average, compare, top N, most, by)
- tables_link / tables_plan: link question words to files, columns and values; one file's reading of the question
- tables_query: choose the file(s) and the operation: a typed TableRequest, or None
- tables_compute: the pandas computation, slice by slice
- tables_words / tables_groups / tables_text: the sentence, reading, table and citation of the TableAnswer
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from core.agents.tables_query import parse
from core.agents.tables_text import build
from core.agents.tables_types import (
    Agg,
    Cell,
    Computation,
    Grain,
    GroupKind,
    Measure,
    Op,
    Period,
    Row,
    TableAnswer,
    TableRequest,
)
from core.agents.tables_vocab import Catalog
from core.catalog import load_csv
from core.catalog.paths import resolve_inside

__all__ = ["Agg", "Catalog", "Cell", "Computation", "Grain", "GroupKind", "Measure", "Op", "Period", "Row",
           "TableAnswer", "TableRequest", "TableStore", "answer", "load_tables", "request"]


def request(question: str, tables: dict[str, pd.DataFrame], catalog: Catalog | None = None) -> TableRequest | None:
    """The TableRequest a question asks for (None: not a table question, or unclear which file or column)."""
    return parse(question, catalog or Catalog.build(tables))


def answer(question: str, tables: dict[str, pd.DataFrame], catalog: Catalog | None = None) -> TableAnswer | None:
    """The computed answer to a table question over CSV exports keyed by file name ('meta_ads.csv').

    Parameters
    ----------
    question : the analyst's words.
    tables : file name → DataFrame, as loaded (dates still text; they are parsed here).
    catalog : the profile of `tables` when the caller keeps one (profiling is the slow part).

    Returns
    -------
    TableAnswer, or None when the question is not a computable table question or is ambiguous.
    """
    cat = catalog or Catalog.build(tables)
    req = parse(question, cat)
    return build(req, cat) if req is not None else None


def load_tables(raw_dir: Path, extra: tuple[Path, ...] = ()) -> dict[str, pd.DataFrame]:
    """Every readable CSV directly in raw_dir (plus extra files such as the asset manifest), by file name;
    files that fail to load (core.catalog.load_csv reports why) are left out."""
    paths = sorted(raw_dir.glob("*.csv")) if raw_dir.is_dir() else []
    root = raw_dir.parent  # the data folder: nothing outside it is read (a link out of raw/ is skipped)
    out: dict[str, pd.DataFrame] = {}
    for path in [*paths, *(p for p in extra if p.is_file())]:
        if resolve_inside(root, path) is None:
            continue
        loaded = load_csv(path)
        if loaded.error is None and path.name not in out:
            out[path.name] = loaded.df
    return out


@dataclass
class TableStore:
    """A folder's CSVs, loaded and profiled on first use, then answered from memory."""

    raw_dir: Path
    extra: tuple[Path, ...] = ()
    _catalog: Catalog | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def catalog(self) -> Catalog:
        with self._lock:
            if self._catalog is None:
                self._catalog = Catalog.build(load_tables(self.raw_dir, self.extra))
            return self._catalog

    def answer(self, question: str) -> TableAnswer | None:
        """The computed answer, or None (see `answer`)."""
        cat = self.catalog
        req = parse(question, cat)
        return build(req, cat) if req is not None else None


def _fingerprint(raw_dir: Path, extra: tuple[Path, ...]) -> tuple[tuple[str, float, int], ...]:
    """Names, modification times and sizes of the files a store reads: a change means a reload."""
    paths = [*(sorted(raw_dir.glob("*.csv")) if raw_dir.is_dir() else []), *(p for p in extra if p.is_file())]
    return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in paths)


@lru_cache(maxsize=4)
def _cached_store(raw_dir: Path, extra: tuple[Path, ...], fingerprint: tuple[tuple[str, float, int], ...]
                  ) -> TableStore:
    """One store per folder state (loading and profiling the exports takes about a second)."""
    return TableStore(raw_dir, extra)


def shared_store(raw_dir: Path, extra: tuple[Path, ...] = ()) -> TableStore:
    """The process's store for a folder, reloaded when a file changed: every conversation shares it."""
    return _cached_store(raw_dir, extra, _fingerprint(raw_dir, extra))
