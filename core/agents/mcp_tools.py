"""The Toolbox exposed as in-process MCP tools for the Claude agents (claude_agent_sdk.tool + create_sdk_mcp_server)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pandas as pd
from claude_agent_sdk import create_sdk_mcp_server, tool

from core.agents.tools import Toolbox, ToolError
from core.domain import CHANNEL_KEYS

SERVER = "mip"
SEARCH_SCHEMA = {"type": "object", "properties": {
    "query": {"type": "string"}, "k": {"type": "integer"}, "category": {"type": "string"},
    "channel": {"type": "string"}}, "required": ["query"]}
ASSET_SCHEMA = {"type": "object", "properties": {
    "query": {"type": "string"}, "k": {"type": "integer"}, "channel": {"type": "string"}, "model": {"type": "string"}},
    "required": ["query"]}
CHANNEL_SCHEMA = {"type": "object", "properties": {"channel": {"type": "string"}, "query": {"type": "string"}},
                  "required": ["channel"]}
ROI_SCHEMA = {"type": "object", "properties": {"channel": {"type": "string"}}}
OPT_SCHEMA = {"type": "object", "properties": {"total_budget": {"type": "number"}, "bounds": {"type": "number"}}}
WHATIF_SCHEMA = {"type": "object", "properties": {"allocation": {
    "type": "object", "additionalProperties": {"type": "number"},
    "description": "plan-year £ per channel key (tv, meta, …); channels left out keep today's spend"}},
    "required": ["allocation"]}
SCENARIO_SCHEMA = {"type": "object", "properties": {"question": {"type": "string"}}, "required": ["question"]}
PROFILE_SCHEMA = {"type": "object", "properties": {"file": {"type": "string"}}, "required": ["file"]}
EMPTY_SCHEMA: dict = {"type": "object", "properties": {}}


def to_jsonable(value: Any) -> Any:
    """Tool results as plain JSON: hits keep text and citation metadata, tables become records."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, pd.DataFrame):
        return json.loads(value.to_json(orient="records"))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def _wrap(fn: Callable[..., Any]) -> Callable[[dict], Any]:
    """An async MCP handler around a Toolbox method: JSON text on success, an is_error result on ToolError."""
    async def handler(args: dict) -> dict:
        try:
            result = fn(**{k: v for k, v in args.items() if v is not None})
        except ToolError as exc:
            return {"content": [{"type": "text", "text": str(exc)}], "is_error": True}
        return {"content": [{"type": "text", "text": json.dumps(to_jsonable(result), default=str)}]}
    return handler


# (tool name = Toolbox method, description, input schema)
SPECS: tuple[tuple[str, str, dict], ...] = (
    ("search_data", "Hybrid search over campaign CSV summaries/rows and contract clauses; returns cited passages.",
     SEARCH_SCHEMA),
    ("search_assets", "Search ad creatives by description; returns image paths and manifest text.", ASSET_SCHEMA),
    ("filter_by_channel", f"Passages about one channel only ({', '.join(CHANNEL_KEYS)}).", CHANNEL_SCHEMA),
    ("mmm_roi", "Marketing mix model ROI per channel with 90% interval, contribution, marginal ROI.", ROI_SCHEMA),
    ("mmm_optimize", "Budget allocation maximising predicted leads, total unchanged, each channel within ±bounds.",
     OPT_SCHEMA),
    ("mmm_whatif", "Predicted leads for a plan-year spend allocation.", WHATIF_SCHEMA),
    ("mmm_scenario", "A what-if in the analyst's words (e.g. 'move £500k from TV to Google', 'cut Meta by 20%', "
     "'stop radio', 'split £1M across YouTube and Meta'), parsed with the model's channels and predicted with a "
     "90% band; returns what could not be read instead of guessing.", SCENARIO_SCHEMA),
    ("mmm_carryover", "Per channel: half-life and weeks to 90% of a burst's effect (fitted adstock), and plan-year "
     "saturation (0 linear … 1 at its ceiling).", EMPTY_SCHEMA),
    ("mmm_contributions", "The plan year's predicted KPI split into baseline and each channel's contribution, "
     "with 90% bands and shares of the total and of media.", EMPTY_SCHEMA),
    ("mmm_diagnostics", "Model fit: R², adjusted R², NRMSE, MAPE, holdout MAPE, weeks.", EMPTY_SCHEMA),
    ("mmm_summary", "Spend and KPI totals of the modelled weekly data.", EMPTY_SCHEMA),
    ("data_profile", "Column profile of one data file (path relative to the data folder).", PROFILE_SCHEMA),
)
TOOL_NAMES = tuple(f"mcp__{SERVER}__{name}" for name, _, _ in SPECS)


def build_server(tools: Toolbox):
    """The in-process MCP server whose tools call this Toolbox (so every call is logged for citations)."""
    return create_sdk_mcp_server(name=SERVER, tools=[tool(name, desc, schema)(_wrap(getattr(tools, name)))
                                                     for name, desc, schema in SPECS])
