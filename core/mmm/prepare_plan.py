"""Which raw export feeds what (media spend, the KPI, a control, or nothing) and why: DataFrames in, a plan out."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath

import pandas as pd

from core.catalog.categories import Category, category_of, channel_of
from core.domain import SPEND_PREFIX
from core.mmm.data import KPI_COLUMNS, MmmDataError
from core.mmm.prepare_detect import (
    SPEND_PRIORITY,
    find_channel,
    find_date_column,
    find_spend_column,
    money_problem,
    words,
)
from core.mmm.prepare_types import (
    ControlAgg,
    ControlSource,
    KpiMode,
    KpiSource,
    MediaFile,
    PrepareMapping,
    SkippedFile,
)

DEFAULT_KPI = "leads"  # the KPI column counted from the leads file (the model's default target)
LEAD_WORDS = frozenset({"lead", "leads", "enquiry", "enquiries", "inquiry", "inquiries"})
LEAD_ID = re.compile(r"^lead_?id$|^lead$")  # a first column like this means one row per lead
COMPETITOR_WORDS = frozenset({"competitor", "competitors", "competition"})
COMPETITOR_CONTROL = "competitor_spend"
# Contracts are documents: a CSV whose name reads like one ("Radio_Airtime_Bookings.csv") is judged by its columns.
NOT_RAW = frozenset({Category.MMM, Category.ASSETS})
RESERVED = frozenset({"week_start", *KPI_COLUMNS})  # never control names: the loader would not read them as one
KPI_EXAMPLE = "e.g. --kpi vehicle_sales.csv:price_paid"


@dataclass(frozen=True)
class KpiChoice:
    """The user's `--kpi FILE[:COLUMN]`: count FILE's rows per week, or sum COLUMN."""

    file: str
    column: str | None = None

    @classmethod
    def parse(cls, text: str) -> KpiChoice:
        """'vehicle_sales.csv:price_paid' → file and column; 'leads.csv' → rows counted."""
        file, sep, column = text.strip().partition(":")
        if not file or (sep and not column.strip()):
            raise MmmDataError(f"--kpi expects FILE or FILE:COLUMN ({KPI_EXAMPLE}), got {text!r}")
        return cls(file.strip(), column.strip() or None)


def key_of(name: str, fallback: str) -> str:
    """A column name as an output key: 'Consumer Confidence' → 'consumer_confidence'."""
    return "_".join(words(name)) or fallback


def _stem(file: str) -> str:
    return PurePath(file).stem


def _date_or_fail(df: pd.DataFrame, file: str, role: str) -> tuple[str, str]:
    """(date column, why) of a file that must have dates; MmmDataError naming the file otherwise."""
    choice = find_date_column(df)
    if choice is None:
        raise MmmDataError(f"{file} ({role}) has no column that reads as dates; columns are {list(df.columns)}: "
                           "write dates like 2024-01-08 or 08/01/2024")
    return choice.column, choice.why


def media_file(file: str, df: pd.DataFrame) -> MediaFile | SkippedFile:
    """A media plan for one export, or why it is not media (no spend column, no channel)."""
    spend, notes = find_spend_column(df)
    if spend is None:
        extra = f" ({'; '.join(notes)})" if notes else ""
        return SkippedFile(file, f"no spend column (looked for names like {', '.join(SPEND_PRIORITY)}){extra}")
    choice = find_channel(df, channel_of(file), exclude=(spend.column,))
    if choice is None:
        return SkippedFile(file, "no channel: neither its name nor a column names a known channel; rename the "
                                 "file after its channel (e.g. tv_itv.csv) or add a channel column")
    date, why_date = _date_or_fail(df, file, f"media, spend in '{spend.column}'")
    return MediaFile(file=file, date_column=date, spend_column=spend.column, channel=choice.channel,
                     channel_column=choice.column, channel_values=choice.values, why_date=why_date,
                     why_spend="; ".join([spend.why, *notes]), why_channel=choice.why)


def find_leads_file(frames: Mapping[str, pd.DataFrame], pipeline: Sequence[str]) -> tuple[str, str]:
    """(file, why) of the leads file among the sales-pipeline files: named like leads, else one row per lead id."""
    def score(file: str) -> int:
        if set(words(_stem(file))) & LEAD_WORDS:
            return 2
        first = key_of(str(frames[file].columns[0]), "") if len(frames[file].columns) else ""
        return 1 if LEAD_ID.match(first) else 0

    ranked = sorted((f for f in pipeline if score(f)), key=lambda f: (-score(f), -len(frames[f]), f))
    if not ranked:
        seen = ", ".join(sorted(frames)) or "none"
        raise MmmDataError(f"no leads file found among the raw exports ({seen}): name the leads export like "
                           f"leads.csv, or pass --kpi FILE[:COLUMN] to use another KPI ({KPI_EXAMPLE})")
    best = ranked[0]
    why = "file name says leads" if score(best) == 2 else "one row per lead id"
    if len(ranked) > 1:
        why += f"; chosen over {', '.join(ranked[1:])} (more rows); pass --kpi FILE to choose another"
    return best, why


def kpi_source(frames: Mapping[str, pd.DataFrame], choice: KpiChoice | None, pipeline: Sequence[str]) -> KpiSource:
    """The KPI: the user's --kpi, else rows per week of the leads file."""
    if choice is None:
        file, why = find_leads_file(frames, pipeline)
        date, why_date = _date_or_fail(frames[file], file, "the KPI")
        return KpiSource(file=file, date_column=date, name=DEFAULT_KPI, mode=KpiMode.COUNT, why_date=why_date,
                         why=f"rows per week of the leads file ({why})")
    if choice.file not in frames:
        raise MmmDataError(f"--kpi file {choice.file} is not among the raw exports ({', '.join(sorted(frames))})")
    df = frames[choice.file]
    date, why_date = _date_or_fail(df, choice.file, "the KPI")
    if choice.column is None:
        name = key_of(_stem(choice.file), "kpi")
        return KpiSource(file=choice.file, date_column=date, name=_not_spend(name), mode=KpiMode.COUNT,
                         why=f"--kpi {choice.file}: rows per week", why_date=why_date)
    if choice.column not in df.columns or choice.column == date:
        raise MmmDataError(f"--kpi column '{choice.column}' is not a value column of {choice.file}; "
                           f"columns are {list(df.columns)}")
    problem = money_problem(df[choice.column])
    if problem and problem != "it has negative amounts":
        raise MmmDataError(f"--kpi column '{choice.column}' of {choice.file} cannot be summed: {problem}")
    return KpiSource(file=choice.file, date_column=date, name=_not_spend(key_of(choice.column, "kpi")),
                     mode=KpiMode.SUM, column=choice.column, why_date=why_date,
                     why=f"--kpi {choice.file}:{choice.column}: weekly sum")


def _not_spend(name: str) -> str:
    """A KPI name the loader will not read as spend."""
    return f"kpi_{name}" if name.startswith(SPEND_PREFIX) else name


def _unique(name: str, file: str, taken: set[str]) -> str:
    """A control name not yet taken (and not a KPI or spend name): prefixed with the file's stem if needed."""
    candidate = name
    if candidate in taken or candidate in RESERVED or candidate.startswith(SPEND_PREFIX):
        candidate = f"{key_of(_stem(file), 'file')}_{name}"
    n = 2
    base = candidate
    while candidate in taken or candidate in RESERVED:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def control_sources(file: str, df: pd.DataFrame, taken: set[str]) -> list[ControlSource] | SkippedFile:
    """Controls from an external file: competitor spend (weekly sum) or each numeric indicator (weekly mean)."""
    choice = find_date_column(df)
    if choice is None:
        return SkippedFile(file, "external file with no column that reads as dates")
    date = choice.column
    competitor = bool(set(words(_stem(file))) & COMPETITOR_WORDS or
                      any(set(words(str(c))) & COMPETITOR_WORDS for c in df.columns))
    if competitor:  # several competitor files add up into one control
        spend, _ = find_spend_column(df, exclude=(date,))
        if spend is None:
            return SkippedFile(file, "competitor file with no spend column")
        return [ControlSource(name=COMPETITOR_CONTROL, file=file, date_column=date, column=spend.column,
                              agg=ControlAgg.SUM, why=f"competitor spend: weekly sum of '{spend.column}' ({spend.why})",
                              why_date=choice.why)]
    numeric = [str(c) for c in df.columns if str(c) != date and pd.api.types.is_numeric_dtype(df[c])
               and not pd.api.types.is_bool_dtype(df[c])]
    if not numeric:
        return SkippedFile(file, "external file with no numeric columns")
    return [ControlSource(name=_unique(key_of(col, "control"), file, taken), file=file, date_column=date, column=col,
                          agg=ControlAgg.MEAN, why=f"economic indicator: weekly mean of '{col}'", why_date=choice.why)
            for col in numeric]


def plan(frames: Mapping[str, pd.DataFrame], kpi: KpiChoice | None = None,
         unreadable: Sequence[SkippedFile] = ()) -> PrepareMapping:
    """Decide, for every file, what it feeds; MmmDataError when no media or no KPI is found.

    frames are the readable exports by file name; unreadable ones are passed on as skipped.
    """
    media: list[MediaFile] = []
    controls: list[ControlSource] = []
    skipped: list[SkippedFile] = list(unreadable)
    pipeline: list[str] = []
    not_media: dict[str, SkippedFile] = {}  # no spend or channel: may still be the leads file ("CRM_Enquiries.csv")
    taken = {DEFAULT_KPI, COMPETITOR_CONTROL}  # control names in use; competitor files share theirs
    for file in sorted(frames):
        df, category = frames[file], category_of(file)
        if category in NOT_RAW:
            skipped.append(SkippedFile(file, f"not a raw export ({category.value} file)"))
        elif category is Category.SALES_PIPELINE:
            pipeline.append(file)
        elif category is Category.EXTERNAL:
            found = control_sources(file, df, taken)
            if isinstance(found, SkippedFile):
                skipped.append(found)
            else:
                controls.extend(found)
        else:
            one = media_file(file, df)
            if isinstance(one, SkippedFile):
                not_media[file] = one
            else:
                media.append(one)
    if not media:
        reasons = "; ".join(f"{s.file}: {s.reason}" for s in [*skipped, *not_media.values()])
        raise MmmDataError("no media files found: a media export needs a date column, a spend column (spend, cost, "
                           f"amount, ...) and a channel in its name or a column ({reasons or 'the folder has no CSV files'})")
    source = kpi_source(frames, kpi, [*pipeline, *not_media])
    controls = [c for c in controls if c.name != source.name]
    used = {source.file} | {m.file for m in media} | {c.file for c in controls}
    skipped += [SkippedFile(f, "sales pipeline file, not the KPI") for f in pipeline if f not in used]
    skipped += [why for f, why in not_media.items() if f not in used]
    return PrepareMapping(media=tuple(media), kpi=source, controls=tuple(controls),
                          skipped=tuple(sorted(skipped, key=lambda s: s.file)))
