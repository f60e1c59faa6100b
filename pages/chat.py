"""Chat: ask questions of the campaign data, contracts, creatives and the MMM."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from core.agents.ask import ask
from core.catalog.images import ImageCheck, modified, open_image_inside
from core.chat_export import ChatTurn, Role, citation_label, error_turn, to_markdown, word_chunks
from core.feedback import Feedback, Rating, record_feedback
from core.viz.markdown import strip_remote_images as clean
from ui.common import backend_label, settings, toolbox

STARTERS = (
    "What is the notice period in the ITV airtime agreement?",
    "Which channel has the highest ROI?",
    "Show me TikTok creatives for the DEEPAL S07",
    "How should we reallocate the budget?",
)
THUMB_WIDTH = 150
THUMB_PIXELS = 2 * THUMB_WIDTH  # sharp on high-density screens, small to cache
log = logging.getLogger("mip.app.chat")

s = settings()
state = st.session_state
state.setdefault("chat_turns", [])
state.setdefault("chat_session", uuid.uuid4().hex[:12])
turns: list[ChatTurn] = state.chat_turns


def _save_feedback(turn_no: int) -> None:
    """Store the thumbs rating the user just gave to answer turn_no."""
    value = state.get(f"fb_{turn_no}")
    if value is None:
        return
    question = turns[turn_no - 1].content if turn_no > 0 else ""
    answer = turns[turn_no]
    try:
        record_feedback(s.feedback_path, Feedback(state.chat_session, turn_no, question, answer.content,
                                                  Rating.from_thumbs(value), answer.agent_used, answer.backend))
    except OSError as exc:
        log.exception("could not save feedback")
        st.toast(f"Feedback could not be saved: {exc}", icon=":material/error:")
        return
    st.toast("Thanks — feedback saved.", icon=":material/thumb_up:")


@st.cache_data(show_spinner=False, max_entries=256)
def _thumbnail(root: str, path: str, mtime: float) -> ImageCheck:
    """An answer's image opened safely, only from inside the data folder (mtime in the key: edits show up)."""
    return open_image_inside(Path(root), path, max_side=THUMB_PIXELS)


def _show_images(paths: list[str]) -> None:
    """Thumbnails of the good images (absolute or relative to the data folder); a caption with the file name
    and reason for each bad one."""
    checks = [_thumbnail(str(s.data_dir), p, modified(s.data_dir / p)) for p in paths]
    good = [(c.thumbnail, c.path.name) for c in checks if c.thumbnail is not None]
    if good:
        st.image([img for img, _ in good], width=THUMB_WIDTH, caption=[name for _, name in good])
    for c in checks:
        if not c.ok:
            st.caption(f":material/broken_image: Image not shown: {clean(c.reason())}")


def _show_answer_extras(turn: ChatTurn, turn_no: int) -> None:
    """Badge, notice, citations, thumbnails and feedback under an answer."""
    if turn.agent_used or turn.backend:
        st.badge(clean(" · ".join(x for x in (turn.agent_used, turn.backend) if x)), icon=":material/smart_toy:")
    if turn.notice:
        st.info(clean(turn.notice))
    if turn.images:
        _show_images(turn.images)
    if turn.sources:
        with st.expander(f"Sources ({len(turn.sources)})"):
            for i, src in enumerate(turn.sources, 1):
                st.markdown(clean(f"**[{i}] {citation_label(src)}**"))
                if src.snippet:
                    st.caption(clean(src.snippet))
    st.feedback("thumbs", key=f"fb_{turn_no}", on_change=_save_feedback, args=(turn_no,))


def _show_turn(turn: ChatTurn, turn_no: int) -> None:
    """One stored turn: an error turn as an error, an answer with its extras."""
    if turn.failed:
        st.error(clean(turn.content), icon=":material/error:")
        return
    st.markdown(clean(turn.content))
    if turn.role == Role.ASSISTANT:
        _show_answer_extras(turn, turn_no)


def _answer(question: str) -> ChatTurn:
    """The assistant's turn for a question (the session id keeps follow-ups in context); an error turn if
    answering failed in any way, so the conversation goes on."""
    try:
        ans = ask(question, session_id=state.chat_session, settings=s, toolbox=toolbox(s))
        state.chat_session = ans.session_id or state.chat_session
        return ChatTurn(Role.ASSISTANT, ans.reply, list(ans.sources), list(ans.images), ans.agent_used.analysts,
                        ans.backend.value, ans.notice)
    except Exception as exc:  # the page's last line of defence: any failure becomes an error turn
        log.exception("failed to answer %r", question)
        return error_turn("answer that question", exc)


def _stream(turn: ChatTurn) -> Iterator[str]:
    """The finished reply (remote images removed) in small chunks, for a streamed display."""
    yield from word_chunks(clean(turn.content))


def _export(items: list[ChatTurn]) -> str:
    """The conversation as markdown for the download button ('' if it cannot be written)."""
    try:
        return to_markdown(items, clean=clean)
    except Exception:  # a turn that cannot be exported must not take the page down
        log.exception("failed to export the conversation")
        return ""


st.title("Chat with your marketing data")
st.caption(f"Ask about campaigns, contracts, creatives or the marketing mix model · {backend_label(s)}")

for n, turn in enumerate(turns):
    with st.chat_message(turn.role.value):
        try:
            _show_turn(turn, n)
        except Exception as exc:  # one broken turn must not hide the others
            log.exception("failed to show turn %d", n)
            st.error(f"This message could not be shown: {clean(str(exc))}", icon=":material/error:")

pending = None
if not turns:
    st.markdown("**Try one of these:**")
    cols = st.columns(len(STARTERS))
    for col, q in zip(cols, STARTERS):
        if col.button(q, width="stretch"):
            pending = q

typed = st.chat_input("Ask a question about your marketing data…", max_chars=2000)
question = (typed or pending or "").strip()
if typed is not None and not question:
    st.warning("Type a question first.")
if question:
    turns.append(ChatTurn(Role.USER, question))
    with st.chat_message("user"):
        st.markdown(clean(question))
    with st.chat_message("assistant"):
        with st.spinner("Searching the data and composing an answer…"):
            answer = _answer(question)
        turns.append(answer)
        try:
            if answer.failed:
                st.error(clean(answer.content), icon=":material/error:")
            else:
                st.write_stream(_stream(answer))
                _show_answer_extras(answer, len(turns) - 1)
        except Exception as exc:  # showing the answer failed: keep an error turn in its place
            log.exception("failed to show the answer to %r", question)
            turns[-1] = error_turn("show that answer", exc)
            st.error(clean(turns[-1].content), icon=":material/error:")

# Rendered last so they see this run's new turns.
with st.sidebar:
    st.divider()
    if st.button("New conversation", icon=":material/add_comment:", disabled=not turns):
        state.chat_turns, state.chat_session = [], uuid.uuid4().hex[:12]
        st.rerun()
    export = _export(turns)
    st.download_button("Export conversation (.md)", export, file_name="conversation.md",
                       mime="text/markdown", icon=":material/download:", disabled=not turns or not export)
