"""A user's weekly CSV mapped onto the model's layout (week_start, spend_<channel>, controls, KPI)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.domain import SPEND_PREFIX
from core.mmm.data import MmmDataError, load_weekly


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


def apply(df: pd.DataFrame, cmap: ColumnMap) -> pd.DataFrame:
    """The table in model layout; MmmDataError when the mapping is incomplete or the data unusable."""
    if not cmap.spend:
        raise MmmDataError("choose at least one spend column")
    missing = [c for c in (cmap.date, cmap.kpi, *cmap.spend, *cmap.controls) if c not in df.columns]
    if missing:
        raise MmmDataError(f"columns not in the file: {', '.join(map(str, missing))}")
    if cmap.kpi in cmap.spend or cmap.date in cmap.spend:
        raise MmmDataError("the date and KPI columns cannot also be spend columns")
    keys = [channel_key(c) for c in cmap.spend]
    if len(set(keys)) != len(keys):
        raise MmmDataError(f"two spend columns map to the same channel name: {keys}")
    # UK files write 15/01/2024: read day first, then store ISO dates the loader and cache agree on
    dates = pd.to_datetime(df[cmap.date].astype(str), dayfirst=True, format="mixed", errors="coerce")
    if dates.isna().any():
        bad = df[cmap.date][dates.isna()].iloc[0]
        raise MmmDataError(f"date column '{cmap.date}' has values that are not dates (e.g. {bad!r})")
    out = pd.DataFrame({"week_start": dates.dt.strftime("%Y-%m-%d")})
    for col, key in zip(cmap.spend, keys):
        out[SPEND_PREFIX + key] = df[col]
    for col in cmap.controls:
        if col not in (cmap.kpi, cmap.date) and col not in cmap.spend:
            out[channel_key(col)] = df[col]
    out["kpi"] = df[cmap.kpi]
    load_weekly(out, target="kpi")  # validates: dates, weeks, negatives, constants, non-numeric
    return out


def save(mapped: pd.DataFrame, folder: Path) -> Path:
    """Write a mapped table under folder, named by its content hash (so the fit cache keys on it)."""
    data = mapped.to_csv(index=False).encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"upload_{hashlib.sha256(data).hexdigest()[:16]}.csv"
    if not path.exists():
        path.write_bytes(data)
    return path
