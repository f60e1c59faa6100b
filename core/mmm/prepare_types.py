"""The plan `prepare` makes of a folder of raw exports, as typed records; JSON only through to_dict / from_dict.

Each record holds the decisions (which column, which channel, and why) that a user may correct in mapping.json,
and the results of applying them (date format read, rows used and skipped), which a re-run recomputes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from enum import Enum
from pathlib import Path
from typing import Any

from core.domain import SPEND_PREFIX
from core.mmm.data import MmmDataError

MAPPING_SCHEMA = 1
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]*$")  # channel keys and output column names: spend_<key>, controls


class KpiMode(str, Enum):
    """How the KPI is taken from its file: rows per week, or the weekly sum of a column."""

    COUNT = "count"
    SUM = "sum"


class ControlAgg(str, Enum):
    """How a control's rows become one value a week: levels are averaged, amounts added up."""

    MEAN = "mean"
    SUM = "sum"


def _key(value: str, what: str) -> str:
    """A channel key or column name, checked: lower-case letters, digits and underscores."""
    if not KEY_PATTERN.fullmatch(value):
        raise MmmDataError(f"{what} '{value}' must be lower-case letters, digits and underscores (e.g. 'tv')")
    return value


@dataclass(frozen=True)
class MediaFile:
    """One media export: its date and spend columns and its channel (fixed, or per row from a channel column).

    channel_values maps each value of channel_column to a channel key; rows whose value is not mapped take
    `channel` (the file name's channel) when there is one, else they are skipped.
    """

    file: str
    date_column: str
    spend_column: str
    channel: str | None = None
    channel_column: str | None = None
    channel_values: Mapping[str, str] = field(default_factory=dict)
    why_date: str = ""
    why_spend: str = ""
    why_channel: str = ""
    date_format: str = ""
    rows_used: int = 0
    rows_skipped: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.channel is None and self.channel_column is None:
            raise MmmDataError(f"{self.file}: give a channel or a channel_column")
        if self.channel is not None:
            _key(self.channel, f"{self.file}: channel")
        for value, key in self.channel_values.items():
            _key(key, f"{self.file}: channel for '{value}'")

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel key this file can put spend in."""
        keys = ([self.channel] if self.channel else []) + list(self.channel_values.values())
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class KpiSource:
    """The KPI column written (`name`): rows per week of `file`, or the weekly sum of its `column`."""

    file: str
    date_column: str
    name: str
    mode: KpiMode = KpiMode.COUNT
    column: str | None = None
    why: str = ""
    why_date: str = ""
    date_format: str = ""
    rows_used: int = 0
    rows_skipped: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _key(self.name, "KPI name")
        if self.name.startswith(SPEND_PREFIX):
            raise MmmDataError(f"KPI name '{self.name}' must not start with '{SPEND_PREFIX}' (that marks spend)")
        if (self.mode is KpiMode.SUM) != (self.column is not None):
            raise MmmDataError(f"KPI from {self.file}: mode 'sum' needs a column, mode 'count' takes none")


@dataclass(frozen=True)
class ControlSource:
    """One control column (`name`) from one file's column; sources sharing a SUM name add up."""

    name: str
    file: str
    date_column: str
    column: str
    agg: ControlAgg = ControlAgg.MEAN
    why: str = ""
    why_date: str = ""
    date_format: str = ""
    rows_used: int = 0
    rows_skipped: Mapping[str, int] = field(default_factory=dict)
    filled_weeks: int = 0  # MEAN: weeks without a value, taken from the nearest earlier (else later) week

    def __post_init__(self) -> None:
        _key(self.name, "control name")
        if self.name.startswith(SPEND_PREFIX):
            raise MmmDataError(f"control name '{self.name}' must not start with '{SPEND_PREFIX}' (that marks spend)")


@dataclass(frozen=True)
class SkippedFile:
    """A file of the folder that feeds nothing, and why."""

    file: str
    reason: str


@dataclass(frozen=True)
class WeekSpan:
    """The Monday-weeks the table covers."""

    first: str
    last: str
    count: int


@dataclass(frozen=True)
class PrepareMapping:
    """Every decision `prepare` made about a folder, and what applying it gave."""

    media: tuple[MediaFile, ...]
    kpi: KpiSource
    controls: tuple[ControlSource, ...] = ()
    skipped: tuple[SkippedFile, ...] = ()
    weeks: WeekSpan | None = None
    warnings: tuple[str, ...] = ()
    sha256: str = ""  # of the model_ready.csv written from this mapping: proves prepare wrote it
    schema: int = MAPPING_SCHEMA

    def __post_init__(self) -> None:
        if not self.media:
            raise MmmDataError("the mapping has no media files")
        names = [self.kpi.name, *{c.name for c in self.controls}]
        if len(set(names)) != len(names):
            raise MmmDataError(f"the KPI and the controls need distinct names; got {names}")
        for name in {c.name for c in self.controls}:
            aggs = {c.agg for c in self.controls if c.name == name}
            mean_sources = [c for c in self.controls if c.name == name and c.agg is ControlAgg.MEAN]
            if len(aggs) > 1 or len(mean_sources) > 1:
                raise MmmDataError(f"control '{name}' comes from several sources; only 'sum' controls can add up")

    @property
    def channels(self) -> tuple[str, ...]:
        """Channel keys of the spend columns, in order of first appearance."""
        return tuple(dict.fromkeys(ch for m in self.media for ch in m.channels))

    @property
    def files(self) -> tuple[str, ...]:
        """Every file the mapping reads."""
        used = [m.file for m in self.media] + [self.kpi.file] + [c.file for c in self.controls]
        return tuple(dict.fromkeys(used))

    def to_dict(self) -> dict[str, Any]:
        """The mapping as JSON-ready data (enums as their values)."""
        return {
            "schema": self.schema, "sha256": self.sha256,
            "weeks": None if self.weeks is None else vars(self.weeks).copy(),
            "media": [_plain(vars(m)) for m in self.media],
            "kpi": _plain(vars(self.kpi)),
            "controls": [_plain(vars(c)) for c in self.controls],
            "skipped": [vars(s).copy() for s in self.skipped],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PrepareMapping:
        """A mapping from to_dict's form; MmmDataError naming the part that is missing or wrong."""
        try:
            if data.get("schema", MAPPING_SCHEMA) != MAPPING_SCHEMA:
                raise MmmDataError(f"mapping schema {data.get('schema')!r} is not {MAPPING_SCHEMA}; run prepare again")
            weeks = data.get("weeks")
            return cls(
                media=tuple(MediaFile(**_fields(MediaFile, m, f"media[{i}]")) for i, m in enumerate(data["media"])),
                kpi=KpiSource(**_fields(KpiSource, data["kpi"], "kpi", mode=KpiMode)),
                controls=tuple(ControlSource(**_fields(ControlSource, c, f"controls[{i}]", agg=ControlAgg))
                               for i, c in enumerate(data.get("controls", []))),
                skipped=tuple(SkippedFile(**_fields(SkippedFile, s, f"skipped[{i}]"))
                              for i, s in enumerate(data.get("skipped", []))),
                weeks=None if weeks is None else WeekSpan(**_fields(WeekSpan, weeks, "weeks")),
                warnings=tuple(str(w) for w in data.get("warnings", [])),
                sha256=str(data.get("sha256", "")),
            )
        except KeyError as exc:
            raise MmmDataError(f"the mapping lacks {exc}") from None
        except (TypeError, AttributeError) as exc:
            raise MmmDataError(f"the mapping is not in prepare's layout: {exc}") from None


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """A record's fields with enums as values and mappings as dicts."""
    return {k: v.value if isinstance(v, Enum) else dict(v) if isinstance(v, Mapping) else v for k, v in values.items()}


def _fields(cls: type, data: Any, where: str, **enums: type[Enum]) -> dict[str, Any]:
    """The keyword arguments for cls from a JSON object: unknown keys refused, enum fields converted."""
    if not isinstance(data, Mapping):
        raise MmmDataError(f"mapping {where} must be an object")
    known = {f.name for f in dataclass_fields(cls)}
    extra = sorted(set(data) - known)
    if extra:
        raise MmmDataError(f"mapping {where} has unknown field(s) {extra}; known: {sorted(known)}")
    out = dict(data)
    for name, enum in enums.items():
        if name in out:
            try:
                out[name] = enum(out[name])
            except ValueError:
                raise MmmDataError(f"mapping {where}.{name} must be one of {[e.value for e in enum]}") from None
    return out


def load_mapping(path: Path | str) -> PrepareMapping:
    """Read a mapping.json written by prepare (perhaps corrected by hand); MmmDataError when it cannot be used."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MmmDataError(f"cannot read the mapping {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise MmmDataError(f"the mapping {path.name} is not valid JSON: {exc}") from None
    if not isinstance(data, Mapping):
        raise MmmDataError(f"the mapping {path.name} must be a JSON object")
    return PrepareMapping.from_dict(data)
