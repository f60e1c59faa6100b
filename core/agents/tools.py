"""The analysts' tools as plain methods on a Toolbox: typed results, every call logged for citation."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pandas as pd

from core import mmm
from core.agents.scenario import parse as parse_scenario
from core.agents.tables import TableAnswer, TableStore, shared_store
from core.catalog import load_csv, profile
from core.config import Settings
from core.mmm import MmmDataError, MmmFit, Optimization, WeeklyData, WhatIf, load_weekly
from core.mmm.data import read_table
from core.mmm.outputs import carryover_table
from core.mmm.summary import FittedSummary, same_data, summarize_fitted
from core.rag.types import Hit, RagError, SearchIndex

DEFAULT_TEXT_K = 5
DEFAULT_ASSET_K = 8
DEFAULT_BOUNDS = 0.3  # optimiser: each channel may move ±30% from its current spend


T = TypeVar("T")


class ToolError(ValueError):
    """A tool could not answer; the message is meant for the user."""


@dataclass(frozen=True)
class RoiRow:
    """One channel's model read-out over the plan period (ROI in £ of KPI value per £ spent)."""

    channel: str
    spend: float
    contribution: float
    roi: float
    roi_low: float
    roi_high: float
    marginal_roi: float
    cost_per_unit: float


@dataclass(frozen=True)
class CarryOver:
    """One channel's fitted carry-over and plan-year saturation (0 = linear part, near 1 = at its ceiling)."""

    channel: str
    decay: float
    half_life_weeks: int
    weeks_to_90: int
    saturation: float


@dataclass(frozen=True)
class ContributionRow:
    """One channel's modelled KPI over the plan period, its 90% band, and its shares of the total and of media."""

    channel: str
    contribution: float
    low: float
    high: float
    share: float  # of the predicted total (baseline + media), as a fraction
    media_share: float  # of all media-driven KPI, as a fraction


@dataclass(frozen=True)
class Contributions:
    """The plan period's predicted KPI split into baseline (what happens with no media) and each channel."""

    total: float
    baseline: float
    media: float
    baseline_share: float
    media_share: float
    rows: list[ContributionRow]  # largest contribution first


def _share(part: float, whole: float) -> float:
    """part / whole as a fraction; NaN when there is no whole to share."""
    return part / whole if whole > 0 else float("nan")


@dataclass(frozen=True)
class ScenarioRun:
    """A what-if read from words: what could not be read, today's spend, the new spend and the prediction."""

    question: str
    problems: tuple[str, ...]
    current: dict[str, float]
    allocation: dict[str, float]
    result: WhatIf | None


@dataclass(frozen=True)
class PlanRow:
    """One channel in the optimiser's plan: spend now and proposed, the change, marginal ROI before/after."""

    channel: str
    current: float
    optimal: float
    change_pct: float | None  # None for a channel with no current spend
    marginal_roi_current: float
    marginal_roi_optimal: float


@dataclass(frozen=True)
class BudgetPlan:
    """The optimiser's result as the analysts quote it: total, KPI before/after, uplift, rows by change."""

    total: float
    current_kpi: float
    optimal_kpi: float
    uplift_pct: float
    rows: list[PlanRow]

    @classmethod
    def from_optimization(cls, opt: Optimization) -> BudgetPlan:
        """From core.mmm.Optimization: rows sorted from biggest increase to biggest cut."""
        rows = [PlanRow(ch, cur, opt.optimal[ch], 100 * (opt.optimal[ch] - cur) / cur if cur else None,
                        opt.marginal_roi_current[ch], opt.marginal_roi_optimal[ch]) for ch, cur in opt.current.items()]
        rows.sort(key=lambda r: -(r.optimal - r.current))
        return cls(sum(opt.optimal.values()), opt.current_kpi, opt.optimal_kpi, opt.uplift_pct, rows)


class MmmBackend(Protocol):
    """What the tools need from the marketing mix model; `CoreMmm` is core.mmm, tests pass a typed fake."""

    errors: tuple[type[Exception], ...]  # the data errors whose messages are meant for the user

    def get_fit(self, settings: Settings, target: str = "leads") -> MmmFit: ...

    def roi_table(self, fit: MmmFit, value_per_unit: float) -> pd.DataFrame: ...

    def optimize_budget(self, fit: MmmFit, *, value_per_unit: float, total_budget: float | None = None,
                        bounds: float = DEFAULT_BOUNDS) -> Optimization: ...

    def whatif(self, fit: MmmFit, allocation: dict[str, float], *, value_per_unit: float) -> WhatIf: ...

    def diagnostics(self, fit: MmmFit) -> dict[str, float]: ...

    def current_allocation(self, fit: MmmFit) -> dict[str, float]: ...

    def carryover(self, fit: MmmFit) -> pd.DataFrame: ...


class CoreMmm:
    """core.mmm behind the MmmBackend protocol."""

    errors: tuple[type[Exception], ...] = (MmmDataError,)

    def get_fit(self, settings: Settings, target: str = "leads") -> MmmFit:
        """The cached or freshly fitted model of model_ready.csv."""
        return mmm.get_fit(settings, target=target)

    def roi_table(self, fit: MmmFit, value_per_unit: float) -> pd.DataFrame:
        """ROI per channel in £ of KPI value per £."""
        return mmm.roi_table(fit, value_per_unit)

    def optimize_budget(self, fit: MmmFit, *, value_per_unit: float, total_budget: float | None = None,
                        bounds: float = DEFAULT_BOUNDS) -> Optimization:
        """The optimiser's allocation."""
        return mmm.optimize_budget(fit, value_per_unit=value_per_unit, total_budget=total_budget, bounds=bounds)

    def whatif(self, fit: MmmFit, allocation: dict[str, float], *, value_per_unit: float) -> WhatIf:
        """Predicted plan-period KPI for an allocation."""
        return mmm.whatif(fit, allocation, value_per_unit=value_per_unit)

    def diagnostics(self, fit: MmmFit) -> dict[str, float]:
        """Fit quality figures."""
        return mmm.fit_diagnostics(fit)

    def current_allocation(self, fit: MmmFit) -> dict[str, float]:
        """Plan-period spend per channel."""
        return mmm.current_allocation(fit)

    def carryover(self, fit: MmmFit) -> pd.DataFrame:
        """Half-life, weeks to 90% of the effect and saturation per channel."""
        return carryover_table(fit)


@dataclass(frozen=True)
class ToolCall:
    """One tool invocation and what it returned (the only numbers an offline reply may quote)."""

    name: str
    args: dict[str, Any]
    result: Any


@dataclass
class Toolbox:
    """Settings plus the lazily opened index and lazily fitted MMM; each tool a method with a typed result."""

    settings: Settings
    index: SearchIndex | None = None
    fit: MmmFit | None = None
    mmm: MmmBackend = field(default_factory=CoreMmm)
    fit_loader: Callable[[], MmmFit] | None = None  # e.g. the app's cached fit, shared by every conversation
    calls: list[ToolCall] = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    # ---- plumbing ------------------------------------------------------------------------------
    def _index(self) -> SearchIndex:
        """The index, opened on first use."""
        with self._lock:
            if self.index is None:
                from core.rag import HybridIndex

                try:
                    self.index = HybridIndex.open(self.settings)
                except RuntimeError as exc:  # embedded Qdrant: another client holds the folder
                    raise ToolError(f"the search index is in use by another process ({exc})") from None
            return self.index

    def _fit(self) -> MmmFit:
        """The MMM fit of model_ready.csv, fitted (or read from cache) on first use."""
        with self._lock:
            if self.fit is None:
                api = self.mmm
                path = self.settings.model_ready_path
                if not path.exists():
                    raise ToolError(f"no weekly model table at {path} — build it from your files with “Build the "
                                    f"weekly table from my files” on the MMM page (or python -m core.mmm prepare)")
                try:
                    self.fit = self.fit_loader() if self.fit_loader else api.get_fit(self.settings, target="leads")
                except api.errors as exc:
                    raise ToolError(str(exc)) from None
            return self.fit

    def _log(self, name: str, args: dict[str, Any], result: T) -> T:
        """Record a call and hand its result back."""
        self.calls.append(ToolCall(name, args, result))
        return result

    def _search(self, name: str, fn: Callable[[], list[Hit]], args: dict[str, Any]) -> list[Hit]:
        """Run a search, turning retrieval errors into ToolError."""
        try:
            return self._log(name, args, fn())
        except RagError as exc:
            raise ToolError(str(exc)) from None

    # ---- RAG tools -----------------------------------------------------------------------------
    def search_data(self, query: str, k: int = DEFAULT_TEXT_K, category: str | None = None,
                    channel: str | None = None) -> list[Hit]:
        """Hybrid search over CSV summaries/rows and contract clauses."""
        args = {"query": query, "k": k, "category": category, "channel": channel}
        return self._search("search_data", lambda: self._index().search_text(
            query, k=k, category=category, channel=channel), args)

    def search_assets(self, query: str, k: int = DEFAULT_ASSET_K, channel: str | None = None,
                      model: str | None = None) -> list[Hit]:
        """Hybrid search over the creative manifest; hits carry image paths."""
        args = {"query": query, "k": k, "channel": channel, "model": model}
        return self._search("search_assets", lambda: self._index().search_assets(
            query, k=k, channel=channel, model=model), args)

    def filter_by_channel(self, channel: str, query: str | None = None, k: int = DEFAULT_TEXT_K) -> list[Hit]:
        """Text passages of one channel only (its performance files and contracts)."""
        q = query or f"{channel} spend performance"
        args = {"channel": channel, "query": q, "k": k}
        return self._search("filter_by_channel", lambda: self._index().search_text(
            q, k=k, channel=channel.lower()), args)

    def data_profile(self, file: str) -> pd.DataFrame:
        """Column profile of one data file (path relative to the data folder)."""
        root = self.settings.data_dir.resolve()
        path = (root / file).resolve() if not Path(file).is_absolute() else Path(file).resolve()
        if not path.is_relative_to(root):
            raise ToolError(f"{file} is outside the data folder")
        if not path.exists():
            raise ToolError(f"no such data file: {file}")
        loaded = load_csv(path)
        if loaded.error:
            raise ToolError(loaded.error)
        try:
            return self._log("data_profile", {"file": file}, profile(loaded.df))
        except (ValueError, OSError) as exc:
            raise ToolError(f"cannot profile {file}: {exc}") from None

    def table_query(self, question: str) -> TableAnswer | None:
        """A number computed from the CSV exports ("PPC spend for Q4 2025"); None when the question is not a table
        question or it is unclear which file or column is meant (then search the documents instead)."""
        return self._log("table_query", {"question": question}, self._tables().answer(question))

    def segments_named(self, question: str) -> list[str]:
        """The exports' names for parts of a channel (regions, car models ...) that a question names."""
        return self._tables().catalog.segments_named(question)

    def _tables(self) -> TableStore:
        """The exports of this data folder (the manifest too), read once per folder state."""
        return shared_store(self.settings.raw_dir, (self.settings.manifest_path,))

    # ---- MMM tools -----------------------------------------------------------------------------
    def _mmm(self, name: str, args: dict[str, Any], fn: Callable[[MmmBackend, MmmFit], T]) -> T:
        """Run an MMM function on the fit, turning its data errors into ToolError."""
        api, fit = self.mmm, self._fit()
        try:
            return self._log(name, args, fn(api, fit))
        except api.errors as exc:
            raise ToolError(str(exc)) from None

    def mmm_roi(self, channel: str | None = None) -> list[RoiRow]:
        """ROI per channel (with interval, contribution, marginal ROI); one channel when named."""
        def run(api: MmmBackend, fit: MmmFit) -> list[RoiRow]:
            table = api.roi_table(fit, value_per_unit=self.settings.value_per_lead)
            rows = [RoiRow(**{f: r[f] for f in RoiRow.__dataclass_fields__}) for r in table.to_dict("records")]
            if channel is None:
                return rows
            picked = [r for r in rows if r.channel.lower() == channel.lower()]
            if not picked:
                known = ", ".join(r.channel for r in rows)
                raise ToolError(f"the model has no channel {channel!r}; it has {known}")
            return picked
        return self._mmm("mmm_roi", {"channel": channel}, run)

    def mmm_contributions(self) -> Contributions:
        """How much of the plan period's predicted KPI each channel brought, and how much is baseline."""
        rows, today = self.mmm_roi(), self.mmm_whatif(self.mmm_current())
        per_unit = self.settings.value_per_lead
        media, total = sum(r.contribution for r in rows), today.kpi
        out = [ContributionRow(r.channel, r.contribution, r.roi_low * r.spend / per_unit,
                               r.roi_high * r.spend / per_unit, _share(r.contribution, total),
                               _share(r.contribution, media)) for r in sorted(rows, key=lambda r: -r.contribution)]
        return self._log("mmm_contributions", {}, Contributions(
            total, total - media, media, _share(total - media, total), _share(media, total), out))

    def mmm_optimize(self, total_budget: float | None = None, bounds: float = DEFAULT_BOUNDS) -> BudgetPlan:
        """Budget split that maximises modelled leads, each channel within ±bounds of today."""
        return self._mmm("mmm_optimize", {"total_budget": total_budget, "bounds": bounds},
                         lambda api, fit: BudgetPlan.from_optimization(api.optimize_budget(
                             fit, value_per_unit=self.settings.value_per_lead, total_budget=total_budget,
                             bounds=bounds)))

    def mmm_whatif(self, allocation: dict[str, float]) -> WhatIf:
        """Predicted leads for a spend allocation (channel → spend over the modelled period)."""
        return self._mmm("mmm_whatif", {"allocation": dict(allocation)}, lambda api, fit: api.whatif(
            fit, dict(allocation), value_per_unit=self.settings.value_per_lead))

    def mmm_summary(self) -> FittedSummary:
        """Spend and KPI totals of the data the model was fitted on (an uploaded table's too, not model_ready.csv)."""
        def run(api: MmmBackend, fit: MmmFit) -> FittedSummary:
            return summarize_fitted(fit.data, source=self._fitted_world_table(fit.data))
        return self._mmm("mmm_summary", {}, run)

    def _fitted_world_table(self, data: WeeklyData) -> pd.DataFrame | None:
        """model_ready.csv when it is the table `data` was fitted on, else None.

        Its units_sold and revenue columns are not in the fit, so they may be quoted only for the same rows: the
        file must read, the way the model reads it with the same KPI, as the same weeks, spend and KPI series.
        A file name or row count alone would also pass an upload that merely has as many weeks.
        """
        path = self.settings.model_ready_path
        if not path.is_file():
            return None
        try:
            table = read_table(path)
            return table if same_data(load_weekly(table, target=data.target_name), data) else None
        except MmmDataError:  # unreadable, or lacks the fit's KPI: not the fitted table
            return None

    def mmm_unmodelled(self) -> list[str]:
        """Outcome columns of the fitted weekly table that the model does not explain (test_drives and revenue beside
        a model of leads); [] when the fitted table is not model_ready.csv (an upload carries only what it fits).
        No call is logged: it returns column names, no numbers."""
        data = self._fit().data
        table = self._fitted_world_table(data)
        if table is None:
            return []
        used = {data.target_name, *data.controls.columns}
        spend = {n for n in table.columns for c in data.channels if n == c or n.endswith(f"_{c}") or n.startswith(f"{c}_")}
        return [n for n in table.columns if n not in used | spend and pd.api.types.is_numeric_dtype(table[n])]

    def mmm_diagnostics(self) -> dict[str, float]:
        """Fit quality: R², adjusted R², NRMSE, MAPE, holdout MAPE, weeks."""
        return self._mmm("mmm_diagnostics", {}, lambda api, fit: api.diagnostics(fit))

    def mmm_current(self) -> dict[str, float]:
        """Each channel's spend over the plan period (the base of what-if scenarios)."""
        return self._mmm("mmm_current", {}, lambda api, fit: api.current_allocation(fit))

    def mmm_carryover(self) -> list[CarryOver]:
        """How long each channel's spend keeps working (fitted adstock) and how saturated it is."""
        return self._mmm("mmm_carryover", {}, lambda api, fit: [
            CarryOver(**{f: r[f] for f in CarryOver.__dataclass_fields__})
            for r in api.carryover(fit).to_dict("records")])

    def mmm_scenario(self, question: str) -> ScenarioRun:
        """A what-if in words ("move £500k from TV to Google") read with the model's channels, then predicted."""
        current = self.mmm_current()
        scenario = parse_scenario(question, channels=list(current))
        if scenario.problems or scenario.empty:
            return ScenarioRun(question, scenario.problems, current, {}, None)
        try:
            allocation = scenario.apply(current)
        except ValueError as exc:
            raise ToolError(str(exc)) from None
        return ScenarioRun(question, (), current, allocation, self.mmm_whatif(allocation))

    def mmm_channels(self) -> list[str]:
        """The channels the model knows (no call is logged: it returns no numbers)."""
        return list(self.mmm.current_allocation(self._fit()))
