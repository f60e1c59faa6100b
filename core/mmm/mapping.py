"""A user's weekly CSV mapped onto the model's layout (week_start, spend_<channel>, controls, KPI)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.catalog.dates import parse_dates
from core.domain import SPEND_PREFIX
from core.mmm.data import MmmDataError, load_weekly

PANDAS_DUPLICATE = re.compile(r"^(?P<base>.+)\.(?P<n>[1-9][0-9]*)$")  # read_csv renames a repeated 'x' to 'x.1'


@dataclass(frozen=True)
class ColumnMap:
    """Which of the user's columns is the week, the KPI, the spend per channel and the controls."""

    date: str
    kpi: str
    spend: tuple[str, ...]
    controls: tuple[str, ...] = field(default_factory=tuple)


def channel_key(column: str) -> str:
    """A spend column's channel key: 'Spend - TV (£)' → 'tv'; 'spend_meta' → 'meta'."""
    name = column[len(SPEND_PREFIX):] if column.startswith(SPEND_PREFIX) else column
    key = re.sub(r"[^a-z0-9]+", "_", name.lower())
    key = re.sub(r"(^|_)(spend|cost|gbp|£)(_|$)", "_", key).strip("_")
    return key or "channel"


def guess(df: pd.DataFrame) -> ColumnMap:
    """A first guess the user can correct: date-like column, spend-like columns, a KPI among the rest."""
    cols = list(df.columns)
    date = next((c for c in cols if re.search(r"date|week|day|period", c, re.I)), cols[0])
    spend = tuple(c for c in cols if re.search(r"spend|cost|budget", c, re.I) and c != date)
    numeric = [c for c in cols if c not in spend and c != date and pd.api.types.is_numeric_dtype(df[c])]
    kpi = next((c for c in numeric if re.search(r"lead|sale|unit|revenue|conversion|kpi|order", c, re.I)),
               numeric[0] if numeric else "")
    return ColumnMap(date, kpi, spend, tuple(c for c in numeric if c != kpi))


@dataclass(frozen=True)
class MappedTable:
    """The table in model layout and how its dates were read (e.g. "day-first (DD/MM/YYYY)")."""

    table: pd.DataFrame
    date_format: str


def duplicated_column(df: pd.DataFrame, used: tuple[str, ...]) -> str | None:
    """The name of a used column that the file had twice, else None.

    Either the frame has the name twice, or pandas renamed the repeat: 'spend_tv.1' next to 'spend_tv'.
    """
    names = [str(c) for c in df.columns]
    present = set(names)
    groups: dict[str, set[str]] = {}
    for name in names:
        m = PANDAS_DUPLICATE.match(name)
        base = m["base"] if m and m["base"] in present else name
        groups.setdefault(base, set()).add(name)
    for base, members in groups.items():
        repeated = len(members) > 1 or names.count(base) > 1
        if repeated and members & set(used):
            return base
    return None


def apply(df: pd.DataFrame, cmap: ColumnMap) -> pd.DataFrame:
    """The table in model layout; MmmDataError when the mapping is incomplete or the data unusable."""
    return apply_with_report(df, cmap).table


def apply_with_report(df: pd.DataFrame, cmap: ColumnMap) -> MappedTable:
    """The table in model layout and the date format read; MmmDataError when the mapping or the data is unusable."""
    if not cmap.spend:
        raise MmmDataError("choose at least one spend column")
    missing = [c for c in (cmap.date, cmap.kpi, *cmap.spend, *cmap.controls) if c not in df.columns]
    if missing:
        raise MmmDataError(f"columns not in the file: {', '.join(map(str, missing))}")
    dup = duplicated_column(df, (cmap.date, cmap.kpi, *cmap.spend, *cmap.controls))
    if dup is not None:
        raise MmmDataError(f"the file has two columns named '{dup}' (the second reads as '{dup}.1'); "
                           "rename or delete one so each column has its own name")
    if cmap.kpi in cmap.spend or cmap.date in cmap.spend:
        raise MmmDataError("the date and KPI columns cannot also be spend columns")
    keys = [channel_key(c) for c in cmap.spend]
    if len(set(keys)) != len(keys):
        raise MmmDataError(f"two spend columns map to the same channel name: {keys}")
    # ISO stays ISO; DD/MM vs MM/DD is decided by the values; the result is stored ISO for the loader and cache
    parsed = parse_dates(df[cmap.date])
    if parsed.bad:
        raise MmmDataError(f"date column '{cmap.date}' has values that are not dates (e.g. {parsed.bad[0]!r}); "
                           f"the column reads as {parsed.format}")
    out = pd.DataFrame({"week_start": parsed.dates.dt.strftime("%Y-%m-%d")})
    for col, key in zip(cmap.spend, keys):
        out[SPEND_PREFIX + key] = df[col]
    for col in cmap.controls:
        if col not in (cmap.kpi, cmap.date) and col not in cmap.spend:
            out[channel_key(col)] = df[col]
    out["kpi"] = df[cmap.kpi]
    try:
        load_weekly(out, target="kpi")  # validates: dates, weeks, negatives, constants, non-numeric
    except MmmDataError as exc:
        if not parsed.assumed:
            raise
        # an assumed order may itself be the problem (a US file read day-first): say how the dates were read
        raise MmmDataError(f"{exc} (dates were read {parsed.format})") from exc
    return MappedTable(out, parsed.format)


def save(mapped: pd.DataFrame, folder: Path) -> Path:
    """Write a mapped table under folder, named by its content hash (so the fit cache keys on it)."""
    data = mapped.to_csv(index=False).encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"upload_{hashlib.sha256(data).hexdigest()[:16]}.csv"
    if not path.exists():
        path.write_bytes(data)
    return path
