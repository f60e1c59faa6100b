"""Claude backend: one agent over the in-process MCP tools (the same typed tools as the offline analyst).

Used by ask() only when ANTHROPIC_API_KEY is set. Any failure returns a notice string so ask() answers
with the offline analyst instead. Tests drive the real SDK through a fake Transport set in TRANSPORT_FACTORY.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from claude_agent_sdk import (
    AssistantMessage,
    ClaudeAgentOptions,
    ClaudeSDKClient,
    ResultMessage,
    TextBlock,
)
from claude_agent_sdk._internal.transport import Transport  # the SDK's documented seam for custom transports

from core.agents.mcp_tools import SERVER, TOOL_NAMES, build_server
from core.agents.rag_analyst import manifest_field, source_of
from core.agents.router import route
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.agents.types import Answer, Backend, Intent, Source, Turn
from core.config import Settings

TRANSPORT_FACTORY: Callable[[], Transport] | None = None  # None: the SDK's bundled CLI; tests put a fake here
TIMEOUT_SECONDS = 90
MAX_TURNS = 12
MAX_RETRIES = "1"  # bounded: unbounded, a key without network retries for minutes (a dead network still costs ~25 s)
HISTORY_TURNS = 3
HISTORY_CHARS = 400
PERMISSION_MODE: Literal["dontAsk"] = "dontAsk"  # anything not on the allow-list is denied, never prompted for
BUILTIN_TOOLS: list[str] = []  # no Bash, files, web, Task subagents, cron, worktrees or messaging: our tools only
SETTING_SOURCES: list[Literal["user", "project", "local"]] = []  # ignore ~/.claude and project settings
DENY_ALWAYS = ["Bash", "Read", "Write", "Edit", "Glob", "Grep", "WebFetch", "WebSearch", "NotebookEdit", "Task",
               "Agent"]  # belt and braces: a deny rule wins even if a setting re-enabled one of them

SYSTEM_PROMPT = """You are the analyst behind the Marketing Intelligence Platform.
Answer the analyst's question about their marketing data: campaign CSVs, media contracts, ad creatives and the
marketing mix model (MMM), using only the mcp__mip__ tools.
- Documents, campaigns, leads, contracts or creatives: search_data, filter_by_channel, search_assets,
  data_profile. Quote the sentence or row that answers and cite its file and section or rows.
- ROI, contribution, marginal ROI, budget optimisation, what-if and model fit: the mmm_ tools. Give ROI with its
  90% interval and say in one line what the number means for the budget.
- A question that needs both: use both kinds of tool and combine the answers under two headings.
Rules: state only numbers that a tool returned; say plainly when the data does not answer the question.
Answer in concise markdown."""


class ClaudeFailure(RuntimeError):
    """The agent run ended without a usable answer."""


def options(settings: Settings, tools: Toolbox, resume: str | None) -> ClaudeAgentOptions:
    """Least-privilege agent options: our in-process MCP tools only, everything else denied, no outside settings.

    The CLI runs in the data folder and keeps its transcripts under <data>/cache/claude, not the home folder.
    """
    config_dir = settings.cache_dir / "claude"
    config_dir.mkdir(parents=True, exist_ok=True)
    return ClaudeAgentOptions(
        system_prompt=SYSTEM_PROMPT, mcp_servers={SERVER: build_server(tools)}, strict_mcp_config=True,
        tools=list(BUILTIN_TOOLS), allowed_tools=list(TOOL_NAMES), disallowed_tools=list(DENY_ALWAYS),
        permission_mode=PERMISSION_MODE, setting_sources=list(SETTING_SOURCES), cwd=settings.data_dir,
        resume=resume, max_turns=MAX_TURNS,
        env={"ANTHROPIC_API_KEY": settings.anthropic_api_key or "", "CLAUDE_CODE_MAX_RETRIES": MAX_RETRIES,
             "CLAUDE_CONFIG_DIR": str(config_dir)})


def prompt_with_history(question: str, resolved: str, history: list[Turn]) -> str:
    """The question, with how a follow-up was read and the last few turns for context."""
    lines = []
    if history:
        lines.append("Earlier in this conversation:")
        for t in history[-HISTORY_TURNS:]:
            lines.append(f"Q: {t.resolved}\nA: {t.reply[:HISTORY_CHARS]}")
        lines.append("")
    lines.append(f"Question: {question}")
    if resolved != question:
        lines.append(f"(Read as a follow-up: {resolved})")
    return "\n".join(lines)


async def run(prompt: str, opts: ClaudeAgentOptions, transport: Transport | None = None
              ) -> tuple[str, str | None]:
    """(reply, Claude session id) of one agent run."""
    texts: list[str] = []
    final, session = None, None
    async with ClaudeSDKClient(opts, transport=transport) as client:
        await client.query(prompt)
        async for msg in client.receive_response():
            if isinstance(msg, AssistantMessage):
                for block in msg.content:
                    if isinstance(block, TextBlock):
                        texts.append(block.text)
            elif isinstance(msg, ResultMessage):
                session = msg.session_id
                if msg.is_error:
                    raise ClaudeFailure(msg.result or msg.subtype)
                final = msg.result
    reply = (final or "\n\n".join(texts)).strip()
    if not reply:
        raise ClaudeFailure("the agent returned no answer")
    return reply, session


def citations(tools: Toolbox) -> tuple[list[Source], list[str], set[str]]:
    """Sources, images and tool families from the tool calls the agents made."""
    sources, images, families = [], [], set()
    for call in tools.calls:
        families.add("mmm" if call.name.startswith("mmm_") else "rag")
        if call.name in ("search_data", "filter_by_channel", "search_assets"):
            for hit in call.result:
                snippet = manifest_field(hit, "description") or hit.text
                sources.append(source_of(hit, snippet))
                if hit.image_path:
                    images.append(hit.image_path)
        elif call.name.startswith("mmm_"):
            sources.append(Source(file="model_ready.csv", section=f"marketing mix model: {call.name}", score=1.0))
    return sources, images, families


def agent_of(families: set[str], resolved: str) -> Intent:
    """Which analyst(s) answered: from the tools the agent used, else the router."""
    rag, mmm = "rag" in families, "mmm" in families
    if rag and mmm:
        return Intent.MIXED
    if rag or mmm:
        return Intent.MMM if mmm else Intent.RAG
    return route(resolved).intent


def answer(question: str, resolved: str, history: list[Turn], session_id: str, settings: Settings,
           tools: Toolbox, store: SessionStore, transport: Transport | None = None) -> Answer | str:
    """Claude's answer, or a one-line notice for the offline fallback. Never raises."""
    transport = transport or (TRANSPORT_FACTORY() if TRANSPORT_FACTORY else None)
    opts = options(settings, tools, store.claude_ids.get(session_id))
    tools.calls.clear()
    try:
        reply, claude_session = asyncio.run(asyncio.wait_for(
            run(prompt_with_history(question, resolved, history), opts, transport), TIMEOUT_SECONDS))
    except Exception as exc:  # any SDK, CLI, network or timeout failure means: answer offline instead
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return f"Claude was unavailable ({reason}); this answer is from the offline analyst."
    if claude_session:
        store.claude_ids[session_id] = claude_session
    sources, images, families = citations(tools)
    return Answer(reply=reply, sources=sources, images=images, agent_used=agent_of(families, resolved),
                  session_id=session_id, backend=Backend.CLAUDE)
