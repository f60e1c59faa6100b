"""Corrections to `prepare`'s mapping, as the Data page makes them: the mapping in force (saved beside the table,
or the one prepare would make now), a user's edits checked against the files and turned into a PrepareMapping,
and the rebuild of the weekly table from it.

Every problem with an edit is collected and raised once as an MmmDataError naming the file and column, so a page
shows one clear message and never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

import pandas as pd

from core.catalog.categories import channel_of
from core.mmm.data import MmmDataError
from core.mmm.prepare import (
    MMM_DIR,
    MODEL_READY,
    RAW_DIR,
    PrepareResult,
    load_mapping,
    mapping_path_for,
    prepare_frames,
    read_raw,
    write_prepared,
    written_by_prepare,
)
from core.mmm.prepare_detect import MIN_DATE_SHARE, date_share, find_date_column, find_spend_column, money_problem
from core.mmm.prepare_plan import KpiChoice, key_of, kpi_source, plan
from core.mmm.prepare_types import ControlSource, KpiMode, KpiSource, MediaFile, PrepareMapping, SkippedFile

EXCLUDED = "excluded from the media on the Data page"
NOT_USED = "not used: neither media, the KPI nor a control"
CHOSEN = "chosen on the Data page"
NEGATIVE = "it has negative amounts"  # money_problem's words for a column prepare can still use (it skips them)


@dataclass(frozen=True)
class MediaRow:
    """One raw export as the editor shows it: whether it is media, its channel, date and spend columns, the choices.

    channel is the fixed channel ('' when only channel_column names channels, per row through channel_values).
    """

    file: str
    included: bool
    channel: str
    date_column: str
    spend_column: str
    columns: tuple[str, ...]
    channel_column: str | None = None
    channel_values: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    rows_used: int = 0


@dataclass(frozen=True)
class MappingView:
    """What the editor starts from: the mapping (None when prepare finds no media), where it came from, one row per
    raw export that is or could be media, the columns of every readable export, and what is in the table's way."""

    mapping: PrepareMapping | None
    saved: bool
    rows: tuple[MediaRow, ...]
    columns: Mapping[str, tuple[str, ...]]
    table_exists: bool = False
    replace_needed: bool = False
    problem: str | None = None

    @property
    def kpi_file(self) -> str | None:
        """The KPI file in force."""
        return None if self.mapping is None else self.mapping.kpi.file

    @property
    def kpi_column(self) -> str | None:
        """The KPI column summed, None when rows are counted."""
        return None if self.mapping is None else self.mapping.kpi.column


@dataclass(frozen=True)
class MediaEdit:
    """The user's choice for one export: include it as media with this channel, date and spend column, or not."""

    file: str
    included: bool
    channel: str
    date_column: str
    spend_column: str
    channel_values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KpiEdit:
    """The user's KPI: rows per week of `file` (column None), or the weekly sum of its `column`."""

    file: str
    column: str | None = None


def table_path(data_dir: Path) -> Path:
    """The weekly table prepare writes for a data folder."""
    return Path(data_dir) / MMM_DIR / MODEL_READY


def _media_row(m: MediaFile, df: pd.DataFrame) -> MediaRow:
    note = f"date: {m.why_date}; spend: {m.why_spend}; channel: {m.why_channel}"
    return MediaRow(file=m.file, included=True, channel=m.channel or "", date_column=m.date_column,
                    spend_column=m.spend_column, columns=tuple(str(c) for c in df.columns),
                    channel_column=m.channel_column, channel_values=dict(m.channel_values), note=note,
                    rows_used=m.rows_used)


def _candidate_row(file: str, df: pd.DataFrame, reason: str) -> MediaRow:
    """A row for an export that is not media now, with the columns prepare would pick if it were."""
    columns = tuple(str(c) for c in df.columns)
    first = columns[0] if columns else ""
    date = find_date_column(df)
    spend, _ = find_spend_column(df, exclude=(date.column,) if date else ())
    numeric = [str(c) for c in df.columns if pd.api.types.is_numeric_dtype(df[c])]
    return MediaRow(file=file, included=False, channel=channel_of(file) or key_of(PurePath(file).stem, "channel"),
                    date_column=date.column if date else first,
                    spend_column=spend.column if spend else (numeric[0] if numeric else first),
                    columns=columns, note=reason)


def _rows(mapping: PrepareMapping | None, frames: Mapping[str, pd.DataFrame], skipped: Mapping[str, str]
          ) -> tuple[MediaRow, ...]:
    """Media files first, then every other readable export that is neither the KPI nor a control."""
    if mapping is None:
        return tuple(_candidate_row(f, df, skipped.get(f, NOT_USED)) for f, df in sorted(frames.items()))
    media = [_media_row(m, frames[m.file]) for m in mapping.media if m.file in frames]
    taken = {m.file for m in mapping.media} | {mapping.kpi.file} | {c.file for c in mapping.controls}
    others = [_candidate_row(f, df, skipped.get(f, NOT_USED)) for f, df in sorted(frames.items()) if f not in taken]
    return tuple(media + others)


def mapping_view(data_dir: Path) -> MappingView:
    """The mapping beside the folder's weekly table when prepare wrote one, else the one it would make now."""
    data_dir = Path(data_dir)
    frames, unreadable = read_raw(data_dir / RAW_DIR)
    columns = {f: tuple(str(c) for c in df.columns) for f, df in frames.items()}
    table = table_path(data_dir)
    exists = table.exists()
    replace_needed = exists and not written_by_prepare(table)
    saved_file = mapping_path_for(table)
    mapping, saved, problem = None, False, None
    if exists and not replace_needed and saved_file.is_file():
        try:
            mapping, saved = load_mapping(saved_file), True
        except MmmDataError as exc:
            problem = f"the saved mapping cannot be used ({exc}); showing what prepare would do now"
    if mapping is None:
        try:
            mapping = plan(frames, None, unreadable)
        except MmmDataError as exc:
            problem = str(exc)
    if mapping is not None and any(f not in frames for f in mapping.files):
        gone = [f for f in mapping.files if f not in frames]
        problem = f"the saved mapping uses files that are no longer readable ({', '.join(gone)}); correct it below"
    skipped = {s.file: s.reason for s in (mapping.skipped if mapping else unreadable)}
    return MappingView(mapping, saved, _rows(mapping, frames, skipped), columns, exists, replace_needed, problem)


def _channel_key(text: str, where: str, problems: list[str]) -> str | None:
    """A channel name as a key ('Linear TV' → 'linear_tv'), None for an empty one; a problem when it has no letters
    or digits."""
    if not text.strip():
        return None
    key = key_of(text, "")
    if not key:
        problems.append(f"{where}: channel '{text}' needs letters or digits (e.g. 'tv')")
        return None
    return key


def _media_file(edit: MediaEdit, df: pd.DataFrame, base: MediaFile | None, problems: list[str]) -> MediaFile | None:
    """The MediaFile an included edit stands for, or None after adding what is wrong with it to problems."""
    start = len(problems)
    columns = [str(c) for c in df.columns]
    for role, col in (("date", edit.date_column), ("spend", edit.spend_column)):
        if col not in columns:
            problems.append(f"{edit.file}: there is no {role} column '{col}' (columns are {', '.join(columns)})")
    if len(problems) == start and edit.date_column == edit.spend_column:
        problems.append(f"{edit.file}: the date and spend columns must differ ('{edit.date_column}')")
    if len(problems) == start:
        share = date_share(df[edit.date_column])
        if share < MIN_DATE_SHARE:
            problems.append(f"{edit.file}: '{edit.date_column}' does not read as dates ({share:.0%} of rows do)")
        why = money_problem(df[edit.spend_column])
        if why is not None and why != NEGATIVE:
            problems.append(f"{edit.file}: '{edit.spend_column}' cannot be spend: {why}")
    channel = _channel_key(edit.channel, edit.file, problems)
    channel_column = base.channel_column if base is not None else None
    values: dict[str, str] = {}
    for value, name in (edit.channel_values if channel_column else {}).items():
        key = _channel_key(name, f"{edit.file} ('{value}')", problems)
        if key:
            values[value] = key
    if channel is None and not values:
        problems.append(f"{edit.file}: give it a channel name")
    if len(problems) > start:
        return None
    kept_channel = base is not None and base.channel == channel and dict(base.channel_values) == values
    return MediaFile(
        file=edit.file, date_column=edit.date_column, spend_column=edit.spend_column, channel=channel,
        channel_column=channel_column if values else None, channel_values=values,
        why_date=base.why_date if base is not None and base.date_column == edit.date_column else CHOSEN,
        why_spend=base.why_spend if base is not None and base.spend_column == edit.spend_column else CHOSEN,
        why_channel=base.why_channel if base is not None and kept_channel else CHOSEN)


def _kpi(frames: Mapping[str, pd.DataFrame], base: PrepareMapping | None, edit: KpiEdit,
         problems: list[str]) -> KpiSource | None:
    """The KPI source of the edit: the base's when unchanged, else decided from the chosen file and column."""
    if base is not None and edit.file == base.kpi.file and edit.column == base.kpi.column:
        return base.kpi
    if edit.file not in frames:
        problems.append(f"the KPI file {edit.file} is not among the readable raw exports")
        return None
    df = frames[edit.file]
    if edit.column is not None and edit.column not in [str(c) for c in df.columns]:
        problems.append(f"the KPI file {edit.file} has no column '{edit.column}'")
        return None
    date = find_date_column(df)
    if date is None:
        problems.append(f"the KPI file {edit.file} has no column that reads as dates")
        return None
    if edit.column is not None:
        if edit.column == date.column:
            problems.append(f"the KPI column '{edit.column}' of {edit.file} holds its dates; choose a number column")
            return None
        why = money_problem(df[edit.column])
        if why is not None and why != NEGATIVE:
            problems.append(f"the KPI column '{edit.column}' of {edit.file} cannot be summed: {why}")
            return None
    try:
        source = kpi_source(frames, KpiChoice(edit.file, edit.column), [])
    except MmmDataError as exc:
        problems.append(str(exc))
        return None
    how = "rows per week" if source.mode is KpiMode.COUNT else f"weekly sum of '{edit.column}'"
    return replace(source, why=f"{CHOSEN}: {how}")


def _skipped(frames: Mapping[str, pd.DataFrame], base: PrepareMapping | None, used: set[str],
             excluded: set[str]) -> tuple[SkippedFile, ...]:
    """Every readable export the mapping no longer reads, and why: excluded here, the base's reason, or not used."""
    reasons = {s.file: s.reason for s in base.skipped} if base is not None else {}
    out = [SkippedFile(f, EXCLUDED if f in excluded else reasons.get(f, NOT_USED)) for f in frames if f not in used]
    out += [SkippedFile(f, r) for f, r in reasons.items() if f not in frames and f not in used]
    return tuple(sorted(out, key=lambda s: s.file))


def edited_mapping(frames: Mapping[str, pd.DataFrame], base: PrepareMapping | None, edits: Sequence[MediaEdit],
                   kpi: KpiEdit) -> PrepareMapping:
    """The mapping after the edits, checked against the files; MmmDataError listing every problem otherwise."""
    problems: list[str] = []
    old = {m.file: m for m in base.media} if base is not None else {}
    media = []
    for edit in edits:
        if not edit.included:
            continue
        if edit.file not in frames:
            problems.append(f"{edit.file} is not among the readable raw exports")
            continue
        one = _media_file(edit, frames[edit.file], old.get(edit.file), problems)
        if one is not None:
            media.append(one)
    if not any(e.included for e in edits):
        problems.append("include at least one media file")
    source = _kpi(frames, base, kpi, problems)
    if problems or source is None:
        raise MmmDataError("; ".join(problems) or "choose a KPI")
    media_files = {m.file for m in media}
    controls: tuple[ControlSource, ...] = tuple(
        c for c in (base.controls if base is not None else ()) if c.name != source.name and c.file not in media_files)
    used = media_files | {source.file} | {c.file for c in controls}
    excluded = {e.file for e in edits if not e.included and e.file in old}
    return PrepareMapping(media=tuple(media), kpi=source, controls=controls,
                          skipped=_skipped(frames, base, used, excluded))


def rebuild(data_dir: Path, base: PrepareMapping | None, edits: Sequence[MediaEdit], kpi: KpiEdit,
            replace_table: bool = False) -> PrepareResult:
    """Apply the edits and write the weekly table and its mapping; MmmDataError (nothing written) when an edit is
    wrong or a table prepare did not write is in the way and replacing it was not confirmed."""
    data_dir = Path(data_dir)
    table = table_path(data_dir)
    if table.exists() and not written_by_prepare(table) and not replace_table:
        raise MmmDataError(f"{MMM_DIR}/{MODEL_READY} was not written by prepare (or was changed since); confirm "
                           f"replacing it (the old file is kept as {MODEL_READY}.bak) to rebuild it")
    frames, unreadable = read_raw(data_dir / RAW_DIR)
    mapping = edited_mapping(frames, base, edits, kpi)
    built, done = prepare_frames(frames, mapping=mapping, unreadable=unreadable)
    written, backup = write_prepared(built, done, table, force=replace_table)
    return PrepareResult(table, mapping_path_for(table), written, backup)


def mapping_table(view: MappingView) -> pd.DataFrame:
    """The mapping as one row per export: included, channel(s), date and spend columns, rows used, why."""
    rows = []
    for r in view.rows:
        channels = ", ".join(dict.fromkeys([*([r.channel] if r.channel else []), *r.channel_values.values()]))
        rows.append({"file": r.file, "included": r.included, "channel": channels,
                     "date column": r.date_column, "spend column": r.spend_column,
                     "rows used": r.rows_used if r.included and view.saved else None, "why": r.note})
    return pd.DataFrame(rows, columns=["file", "included", "channel", "date column", "spend column", "rows used",
                                       "why"]).astype({"rows used": "Int64"})


def controls_table(view: MappingView) -> pd.DataFrame:
    """The controls of the mapping: name, file, column, how a week's value is made."""
    controls = view.mapping.controls if view.mapping is not None else ()
    return pd.DataFrame([{"control": c.name, "file": c.file, "column": c.column, "weekly": c.agg.value, "why": c.why}
                         for c in controls], columns=["control", "file", "column", "weekly", "why"])
