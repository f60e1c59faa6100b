"""Chat: ask questions of the campaign data, contracts, creatives and the MMM."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from core.agents.ask import ask
from core.chat_export import ChatTurn, Role, citation_label, to_markdown, word_chunks
from core.feedback import Feedback, Rating, record_feedback
from ui.common import backend_label, friendly, settings, toolbox

STARTERS = (
    "What is the notice period in the ITV airtime agreement?",
    "Which channel has the highest ROI?",
    "Show me TikTok creatives for the DEEPAL S07",
    "How should we reallocate the budget?",
)

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
    record_feedback(s.feedback_path, Feedback(state.chat_session, turn_no, question, answer.content,
                                              Rating.from_thumbs(value), answer.agent_used, answer.backend))
    st.toast("Thanks — feedback saved.", icon=":material/thumb_up:")


def _image_path(path: str) -> Path:
    """Asset paths may be absolute or relative to the assets folder."""
    p = Path(path)
    return p if p.is_absolute() else s.assets_dir / p


def _show_answer_extras(turn: ChatTurn, turn_no: int) -> None:
    """Badge, notice, citations, thumbnails and feedback under an answer."""
    if turn.agent_used or turn.backend:
        st.badge(" · ".join(x for x in (turn.agent_used, turn.backend) if x), icon=":material/smart_toy:")
    if turn.notice:
        st.info(turn.notice)
    images = [p for p in map(_image_path, turn.images) if p.exists()]
    if images:
        st.image([str(p) for p in images], width=150, caption=[p.name for p in images])
    if turn.sources:
        with st.expander(f"Sources ({len(turn.sources)})"):
            for i, src in enumerate(turn.sources, 1):
                st.markdown(f"**[{i}] {citation_label(src)}**")
                if src.snippet:
                    st.caption(src.snippet)
    st.feedback("thumbs", key=f"fb_{turn_no}", on_change=_save_feedback, args=(turn_no,))


def _answer(question: str) -> ChatTurn:
    """The assistant's turn for a question (the session id keeps follow-ups in context)."""
    ans = ask(question, session_id=state.chat_session, settings=s, toolbox=toolbox(s))
    state.chat_session = ans.session_id or state.chat_session
    return ChatTurn(Role.ASSISTANT, ans.reply, list(ans.sources), list(ans.images), ans.agent_used.analysts,
                    ans.backend.value, ans.notice)


def _stream(turn: ChatTurn) -> Iterator[str]:
    """The finished reply in small chunks, for a streamed display."""
    yield from word_chunks(turn.content)


st.title("Chat with your marketing data")
st.caption(f"Ask about campaigns, contracts, creatives or the marketing mix model · {backend_label(s)}")

for n, turn in enumerate(turns):
    with st.chat_message(turn.role.value):
        st.markdown(turn.content)
        if turn.role == Role.ASSISTANT:
            _show_answer_extras(turn, n)

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
        st.markdown(question)
    with st.chat_message("assistant"):
        answer = None
        with st.spinner("Searching the data and composing an answer…"), friendly("answer that question"):
            answer = _answer(question)
        if answer is not None:
            st.write_stream(_stream(answer))
            turns.append(answer)
            _show_answer_extras(answer, len(turns) - 1)
        else:
            turns.pop()

# Rendered last so they see this run's new turns.
with st.sidebar:
    st.divider()
    if st.button("New conversation", icon=":material/add_comment:", disabled=not turns):
        state.chat_turns, state.chat_session = [], uuid.uuid4().hex[:12]
        st.rerun()
    st.download_button("Export conversation (.md)", to_markdown(turns), file_name="conversation.md",
                       mime="text/markdown", icon=":material/download:", disabled=not turns)
