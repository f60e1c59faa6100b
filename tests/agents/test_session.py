"""Follow-ups resolve against the previous question of the same session."""

from __future__ import annotations

from core.agents.ask import ask
from core.agents.session import SessionStore, resolve


def test_short_followup_swaps_the_channel():
    r = resolve("and for Meta?", "What is the ROI of TV?")
    assert r.is_followup and r.question == "What is the ROI of Meta?"


def test_followup_swaps_a_car_model():
    assert resolve("what about the AVATR 11?", "Show me creatives for the AVATR 12").question == \
        "Show me creatives for the AVATR 11"


def test_a_new_full_question_is_not_a_followup():
    r = resolve("What is the notice period in the Sky contract?", "What is the ROI of TV?")
    assert not r.is_followup and r.question == "What is the notice period in the Sky contract?"
    assert not resolve("and for Meta?", None).is_followup


def test_ask_resolves_followups_within_a_session_only(toolbox):
    store = SessionStore()
    first = ask("What is the ROI of TV?", session_id="s1", settings=toolbox.settings, toolbox=toolbox, store=store)
    follow = ask("and for Meta?", session_id="s1", settings=toolbox.settings, toolbox=toolbox, store=store)
    assert "TV" in first.reply and "**Meta** ROI is **0.39**" in follow.reply
    assert "What is the ROI of Meta?" in follow.reply  # says how it read the follow-up
    other = ask("and for Meta?", session_id="s2", settings=toolbox.settings, toolbox=toolbox, store=store)
    assert "Meta** ROI" not in other.reply
    assert [t.resolved for t in store.history("s1")] == ["What is the ROI of TV?", "What is the ROI of Meta?"]


def test_history_passed_by_the_app_is_used(toolbox):
    from core.agents.types import Turn

    history = [Turn("What is the ROI of TV?", "What is the ROI of TV?")]
    ans = ask("and Google?", history=history, settings=toolbox.settings, toolbox=toolbox, store=SessionStore())
    assert "**Google** ROI is **0.88**" in ans.reply


def test_a_saved_store_continues_a_session_in_a_new_process(toolbox, tmp_path):
    path = tmp_path / "sessions.json"
    ask("What is the ROI of TV?", session_id="cli", settings=toolbox.settings, toolbox=toolbox,
        store=SessionStore(path=path))
    later = SessionStore(path=path)  # what the next CLI invocation loads
    ans = ask("and for Meta?", session_id="cli", settings=toolbox.settings, toolbox=toolbox, store=later)
    assert "**Meta** ROI is" in ans.reply
    path.write_text("{not json")
    assert SessionStore(path=path).history("cli") == []
