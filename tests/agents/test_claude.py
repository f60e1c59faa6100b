"""The Claude backend driven offline: a fake Transport speaks the CLI's side of the protocol to the real SDK."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from claude_agent_sdk import CLIConnectionError
from claude_agent_sdk._internal.transport import Transport
from claude_agent_sdk._internal.transport.subprocess_cli import SubprocessCLITransport

from core.agents import claude
from core.agents.ask import ask
from core.agents.session import SessionStore
from core.agents.tools import Toolbox
from core.agents.types import Backend, Intent
from core.config import Settings
from tests.fakes import FakeIndex, fake_mmm


class FakeCli(Transport):
    """Answers initialize; on the user's message calls one MCP tool through the SDK's bridge, then replies."""

    def __init__(self, tool: str = "search_data", arguments: dict | None = None, fail_connect: bool = False,
                 error_result: bool = False):
        self.tool, self.arguments = tool, arguments or {"query": "notice to cancel ITV bookings"}
        self.fail_connect, self.error_result = fail_connect, error_result
        self.out: asyncio.Queue = asyncio.Queue()
        self.pending: dict[str, asyncio.Future] = {}
        self.ready = False
        self.prompts: list[str] = []
        self.tool_reply: dict | None = None
        self.tasks: list[asyncio.Task] = []

    async def connect(self) -> None:
        if self.fail_connect:
            raise CLIConnectionError("the Claude CLI could not start")
        self.ready = True

    def is_ready(self) -> bool:
        return self.ready

    async def write(self, data: str) -> None:
        for line in filter(None, data.splitlines()):
            msg = json.loads(line)
            if msg["type"] == "control_request" and msg["request"]["subtype"] == "initialize":
                await self.out.put({"type": "control_response", "response": {
                    "subtype": "success", "request_id": msg["request_id"], "response": {}}})
            elif msg["type"] == "user":
                self.prompts.append(msg["message"]["content"])
                self.tasks.append(asyncio.create_task(self.converse()))
            elif msg["type"] == "control_response":
                self.pending.pop(msg["response"]["request_id"]).set_result(msg["response"])

    async def mcp(self, rid: str, message: dict) -> dict:
        """Send one JSON-RPC message to the SDK's in-process server and wait for its control response."""
        fut = asyncio.get_running_loop().create_future()
        self.pending[rid] = fut
        await self.out.put({"type": "control_request", "request_id": rid, "request": {
            "subtype": "mcp_message", "server_name": "mip", "message": message}})
        return await fut

    async def converse(self) -> None:
        await self.mcp("m1", {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "fake", "version": "0"}}})
        await self.mcp("m2", {"jsonrpc": "2.0", "method": "notifications/initialized"})
        reply = await self.mcp("m3", {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
            "name": self.tool, "arguments": self.arguments}})
        self.tool_reply = reply["response"]["mcp_response"]
        text = self.tool_reply["result"]["content"][0]["text"]
        answer = f"Per the tool: {text[:600]}"
        await self.out.put({"type": "assistant", "message": {"role": "assistant", "model": "fake", "content": [
            {"type": "text", "text": answer}]}})
        await self.out.put({"type": "result", "subtype": "error_during_execution" if self.error_result else "success",
                            "duration_ms": 1, "duration_api_ms": 1, "is_error": self.error_result, "num_turns": 1,
                            "session_id": "claude-session-1", "result": answer, "total_cost_usd": 0.0, "usage": {}})

    async def read_messages(self):
        while True:
            msg = await self.out.get()
            if msg is None:
                return
            yield msg

    async def end_input(self) -> None:
        await self.out.put(None)

    async def close(self) -> None:
        self.ready = False
        await self.out.put(None)


@pytest.fixture
def keyed(tmp_path):
    """Settings with a (fake) key, model data present, and a Toolbox over the fake index and MMM."""
    settings = Settings(data_dir=tmp_path, anthropic_api_key="test-key")
    settings.model_ready_path.parent.mkdir(parents=True)
    settings.model_ready_path.write_text("week_start,spend_tv,leads\n")
    return settings, Toolbox(settings, index=FakeIndex(), mmm=fake_mmm())


def _with(monkeypatch, cli: FakeCli) -> FakeCli:
    monkeypatch.setattr(claude, "TRANSPORT_FACTORY", lambda: cli)
    return cli


def test_claude_answers_through_a_real_mcp_tool_call(keyed, monkeypatch):
    settings, tools = keyed
    cli = _with(monkeypatch, FakeCli())
    store = SessionStore()
    ans = ask("How much notice to cancel ITV bookings?", session_id="s1", settings=settings, toolbox=tools,
              store=store)
    assert ans.backend == Backend.CLAUDE and ans.notice is None
    assert [c.name for c in tools.calls] == ["search_data"]  # the SDK bridge called our Toolbox
    assert "28 days" in ans.reply and ans.agent_used == Intent.RAG
    assert ans.sources[0].file == "itv_airtime_agreement.md"
    assert store.claude_ids["s1"] == "claude-session-1"
    assert "How much notice" in cli.prompts[0]


def test_mmm_tool_through_the_bridge_and_session_resume(keyed, monkeypatch):
    settings, tools = keyed
    store = SessionStore()
    store.claude_ids["s2"] = "earlier-session"
    _with(monkeypatch, FakeCli(tool="mmm_roi", arguments={"channel": "tv"}))
    opts = claude.options(settings, tools, store.claude_ids.get("s2"))
    assert opts.resume == "earlier-session" and opts.env["CLAUDE_CODE_MAX_RETRIES"] == claude.MAX_RETRIES
    ans = ask("What is the ROI of TV?", session_id="s2", settings=settings, toolbox=tools, store=store)
    assert ans.backend == Backend.CLAUDE and ans.agent_used == Intent.MMM
    assert '"roi": 0.584' in ans.reply and ans.sources[0].file == "model_ready.csv"


def test_tool_error_reaches_the_agent_as_an_error_result(keyed, monkeypatch):
    settings, tools = keyed
    cli = _with(monkeypatch, FakeCli(tool="data_profile", arguments={"file": "../../etc/passwd"}))
    ask("profile a file", session_id="s3", settings=settings, toolbox=tools, store=SessionStore())
    assert cli.tool_reply["result"]["isError"] is True
    assert "outside the data folder" in cli.tool_reply["result"]["content"][0]["text"]


@pytest.mark.parametrize("cli", [FakeCli(fail_connect=True), FakeCli(error_result=True)], ids=["connect", "result"])
def test_failure_falls_back_to_the_offline_analyst_and_says_so(keyed, monkeypatch, cli):
    settings, tools = keyed
    _with(monkeypatch, cli)
    ans = ask("How much notice to cancel ITV bookings?", settings=settings, toolbox=tools, store=SessionStore())
    assert ans.backend == Backend.OFFLINE
    assert ans.notice.startswith("Claude was unavailable") and "offline analyst" in ans.notice
    assert "28 days written notice" in ans.reply  # the offline answer is still complete


def test_options_allow_only_our_mcp_tools_and_deny_everything_else(keyed):
    settings, tools = keyed
    opts = claude.options(settings, tools, None)
    assert opts.tools == []  # no built-in tool is even available: no Bash, files, web, subagents, cron
    assert opts.allowed_tools and all(t.startswith("mcp__mip__") for t in opts.allowed_tools)
    assert {"Bash", "Read", "WebFetch", "Task"} <= set(opts.disallowed_tools)
    assert opts.permission_mode == "dontAsk" and opts.setting_sources == [] and opts.strict_mcp_config
    assert opts.agents is None and set(opts.mcp_servers) == {"mip"}
    data = settings.data_dir.resolve()
    assert Path(opts.cwd).resolve() == data
    assert Path(opts.env["CLAUDE_CONFIG_DIR"]).resolve().is_relative_to(data)  # transcripts stay in the data folder


def test_the_cli_is_started_with_the_least_privilege_flags(keyed):
    settings, tools = keyed
    transport = SubprocessCLITransport("question", claude.options(settings, tools, None))
    transport._cli_path = "claude"  # resolved at connect(); the command line is what we check
    cmd = transport._build_command()
    assert cmd[cmd.index("--tools") + 1] == ""
    assert cmd[cmd.index("--permission-mode") + 1] == "dontAsk"
    assert "--setting-sources=" in cmd and "--strict-mcp-config" in cmd
    allowed = cmd[cmd.index("--allowedTools") + 1].split(",")
    assert allowed and all(t.startswith("mcp__mip__") for t in allowed)
