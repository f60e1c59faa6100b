"""A failed chat turn is an error turn and the chat goes on; bad thumbnails are captions, never a crash."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import core.agents.ask as ask_module
import core.chat_export as chat_export
from core.agents.types import Answer, Source
from core.chat_export import ChatTurn, Role
from tests.app.conftest import app_pointed_at, build_index, make_world, open_app
from tests.faults.test_images import bomb_png, truncated_png

GOOD_QUESTION = "how much notice to cancel ITV bookings"
GOOD_ANSWER = Answer(reply="**From itv_airtime_agreement.md** (§ 2 Cancellation) [1]: 28 days written notice.",
                     sources=[Source(file="itv_airtime_agreement.md", section="§ 2 Cancellation",
                                     snippet="28 days written notice")])


def _answers(*args, **kwargs) -> Answer:
    """A fixed, well-formed answer: these tests are about the page, not about routing or retrieval."""
    return GOOD_ANSWER


@pytest.fixture(scope="module")
def chat_world(tmp_path_factory) -> Path:
    """The small RAG fixture world with its index built, once for this module (the chat needs no MMM)."""
    data = make_world(tmp_path_factory.mktemp("chat_world"))
    build_index(data)
    return data


@pytest.fixture
def app_env(chat_world, monkeypatch) -> Iterator[Path]:
    """The app pointed at the module's world, offline."""
    with app_pointed_at(chat_world, monkeypatch) as data:
        yield data


def _assistant(at):
    return [m for m in at.chat_message if m.name == "assistant"]


def _errors(message) -> list[str]:
    return [e.value for e in message.get("error")]


def _raising_once(real, exc: Exception):
    """A stand-in for a function that raises exc on its first call, then behaves like real."""
    calls = {"n": 0}

    def fn(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise exc
        return real(*args, **kwargs)
    return fn


def test_an_answer_that_raises_is_an_error_turn_and_the_next_question_works(app_env, monkeypatch):
    monkeypatch.setattr(ask_module, "ask", _raising_once(_answers, TypeError("the engine fell over")))
    at = open_app()
    at.chat_input[0].set_value("first question").run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert at.chat_message[0].markdown[0].value == "first question"  # the question is kept
    assert any("could not answer that question: the engine fell over" in e for e in _errors(_assistant(at)[0]))

    at.chat_input[0].set_value(GOOD_QUESTION).run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant", "user", "assistant"]
    first, second = _assistant(at)
    assert _errors(first) and not _errors(second)  # the error turn is still there, the new answer is fine
    assert "itv_airtime_agreement.md" in " ".join(m.value for m in second.markdown)


def test_an_answer_that_fails_to_render_is_replaced_by_an_error_turn(app_env, monkeypatch):
    monkeypatch.setattr(ask_module, "ask", _answers)
    monkeypatch.setattr(chat_export, "citation_label",
                        _raising_once(chat_export.citation_label, KeyError("section")))
    at = open_app()
    at.chat_input[0].set_value(GOOD_QUESTION).run()
    assert not at.exception
    assert any("could not show that answer" in e for e in _errors(_assistant(at)[0]))
    turns = at.session_state["chat_turns"]
    assert [t.role for t in turns] == [Role.USER, Role.ASSISTANT] and turns[1].failed

    at.chat_input[0].set_value(GOOD_QUESTION).run()
    assert not at.exception and len(_assistant(at)) == 2 and not _errors(_assistant(at)[1])
    assert any(e.label.startswith("Sources (") for e in at.expander)


def test_a_stored_turn_that_cannot_be_shown_does_not_hide_the_others(app_env, monkeypatch):
    monkeypatch.setattr(ask_module, "ask", _answers)
    at = open_app()
    at.session_state["chat_turns"] = [ChatTurn(Role.USER, "old question"),
                                      ChatTurn(Role.ASSISTANT, "old answer", sources=[object()])]  # type: ignore[list-item]
    at.run()
    assert not at.exception
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert any("could not be shown" in e for e in _errors(_assistant(at)[0]))
    at.chat_input[0].set_value(GOOD_QUESTION).run()
    assert not at.exception and len(at.chat_message) == 4
    assert "itv_airtime_agreement.md" in " ".join(m.value for m in _assistant(at)[1].markdown)


# ---- bad thumbnails ------------------------------------------------------------------------------------------
@pytest.fixture
def image_world(app_env, tmp_path, monkeypatch) -> Path:
    """A copy of the session world (index included) with broken images in its assets folder."""
    data = tmp_path / "data"
    shutil.copytree(app_env, data)
    bad = data / "assets" / "bad"
    bad.mkdir()
    (bad / "truncated.png").write_bytes(truncated_png())
    (bad / "bomb.png").write_bytes(bomb_png())
    (bad / "notes.png").write_text("not an image\n")
    (bad / "folder.png").mkdir()
    (tmp_path / "outside.png").write_bytes((data / "assets" / "meta" / "aurora_sunset.png").read_bytes())
    monkeypatch.setenv("MIP_DATA_DIR", str(data))
    return data


def test_bad_thumbnails_are_captions_not_crashes(image_world, tmp_path, monkeypatch):
    data = image_world
    images = [str(data / "assets" / "meta" / "aurora_sunset.png")] + [
        str(data / "assets" / "bad" / n) for n in ("truncated.png", "bomb.png", "notes.png", "folder.png")] + [
        str(tmp_path / "outside.png"), str(data / "assets" / "bad" / "gone.png")]
    fake = Answer(reply="Here are the creatives.", images=images,
                  sources=[Source(file="asset_manifest.csv", snippet="a creative")])
    monkeypatch.setattr(ask_module, "ask", lambda *a, **k: fake)
    at = open_app()
    at.chat_input[0].set_value("show me creatives").run()
    assert not at.exception
    reply = _assistant(at)[0]
    shown = [c for img in reply.get("image") for c in img.captions]
    assert shown == ["aurora_sunset.png"]
    captions = " | ".join(c.value for c in reply.caption)
    for expected in ("truncated.png is damaged or truncated", "bomb.png is too large to open safely",
                     "notes.png is not an image", "folder.png is a folder",
                     "outside.png points outside the data folder", "gone.png file is missing"):
        assert expected in captions
