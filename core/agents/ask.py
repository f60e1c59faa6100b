"""ask(): the chat brain's entry point, and its CLI `python -m core.agents.ask "question" [--session ID] [--json]`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, replace

from core.agents import offline
from core.agents.grounding import mended
from core.agents.router import route
from core.agents.session import SESSIONS, SessionStore, looks_like_followup, previous_question, resolve
from core.agents.tools import Toolbox
from core.agents.types import Answer, AskError, Backend, Intent, Turn
from core.cli import run_cli
from core.config import Settings, get_settings

MAX_QUESTION_CHARS = 2000


def check_question(question: object) -> str:
    """The question stripped, or AskError with a message for the user."""
    if not isinstance(question, str) or not question.strip():
        raise AskError("Please type a question — for example “What is the ROI of TV?”.")
    q = question.strip()
    if len(q) > MAX_QUESTION_CHARS:
        raise AskError(f"That question is {len(q):,} characters long; please keep it under "
                       f"{MAX_QUESTION_CHARS:,} characters.")
    return q


def _claude_answer(question: str, resolved: str, history: list[Turn], session_id: str, settings: Settings,
                   tools: Toolbox, store: SessionStore) -> Answer | str:
    """The Claude backend's answer, or a notice saying why it failed (the caller then answers offline)."""
    from core.agents import claude  # imported only when keyed: the SDK is heavy

    return claude.answer(question, resolved, history, session_id, settings, tools, store)


def ask(question: str, session_id: str | None = None, history: Sequence[object] | None = None,
        settings: Settings | None = None, toolbox: Toolbox | None = None,
        store: SessionStore = SESSIONS, intent: Intent | None = None) -> Answer:
    """Answer a question in a session; never raises for bad input or failing tools (the reply says why).

    intent forces the analyst (the MMM page's "Ask MMM" box asks the MMM analyst only).
    """
    settings = settings or get_settings()
    session_id = session_id or store.new_id()
    try:
        q = check_question(question)
    except AskError as exc:
        return Answer(reply=str(exc), session_id=session_id, backend=Backend.OFFLINE)
    past = store.history(session_id)
    resolution = resolve(q, previous_question(history) if history else previous_question(past))
    typed = resolution.question
    resolution = replace(resolution, question=mended(typed, settings.data_dir))
    tools = toolbox or Toolbox(settings)
    notice = None
    if settings.anthropic_api_key:
        result = _claude_answer(q, resolution.question, past, session_id, settings, tools, store)
        if isinstance(result, Answer):
            store.append(session_id, Turn(q, resolution.question, result.reply, result.agent_used))
            return result
        notice = result
    orphan = not resolution.is_followup and looks_like_followup(q)  # "and for Meta?" with nothing before it
    r = route(resolution.question, override=intent if intent is not None else Intent.CLARIFY if orphan else None)
    draft = offline.answer(resolution.question, r, tools)
    reply = draft.text
    if resolution.is_followup or resolution.question != typed:  # a follow-up rewritten, or a slip mended
        reply = f"_Reading this as: “{resolution.question}”_\n\n{reply}"
    store.append(session_id, Turn(q, resolution.question, reply, r.intent))
    return Answer(reply=reply, sources=draft.sources, images=draft.images, agent_used=r.intent,
                  session_id=session_id, backend=Backend.OFFLINE, notice=notice, declined=draft.declined)


def main(argv: list[str] | None = None) -> int:
    """Ask one question from the command line."""
    p = argparse.ArgumentParser(prog="python -m core.agents.ask", description=__doc__)
    p.add_argument("question")
    p.add_argument("--session", help="continue a session (follow-ups resolve against its last question)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    def run() -> int:
        settings = get_settings()
        store = SessionStore(path=settings.cache_dir / "cli_sessions.json")  # --session works across invocations
        ans = ask(args.question, session_id=args.session, settings=settings, store=store)
        if args.json:
            print(json.dumps(asdict(ans), indent=2, default=str))
        else:
            if ans.notice:
                print(f"[{ans.notice}]")
            print(ans.reply)
            for i, s in enumerate(ans.sources, 1):
                where = s.section or (f"rows {s.rows}" if s.rows else "")
                print(f"  [{i}] {s.file} {where}".rstrip())
            for img in ans.images:
                print(f"  image: {img}")
            print(f"({ans.agent_used.analysts}, {ans.backend.value}, session {ans.session_id})")
        return 0

    return run_cli(run)


if __name__ == "__main__":
    sys.exit(main())
