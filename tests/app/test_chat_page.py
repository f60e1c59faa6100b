import json

from tests.app.conftest import open_app


def _assistant(at):
    return [m for m in at.chat_message if m.name == "assistant"]


def test_chat_round_trip_cites_the_contract(app_env):
    at = open_app()
    at.chat_input[0].set_value("how much notice to cancel ITV bookings").run()
    assert not at.exception
    replies = _assistant(at)
    assert len(replies) == 1
    text = " ".join(m.value for m in replies[0].markdown)
    assert "itv_airtime_agreement.md" in text  # the cited file is named under the answer
    assert any(e.label.startswith("Sources (") for e in at.expander)


def test_conversation_survives_page_switch_and_resets(app_env):
    at = open_app()
    at.chat_input[0].set_value("Northgate Motors leads").run()
    at.switch_page("pages/gallery.py").run()
    at.switch_page("pages/chat.py").run()
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    at.sidebar.button[0].click().run()  # New conversation
    assert len(at.chat_message) == 0


def test_starter_question_asks_it(app_env):
    at = open_app()
    starter = next(b for b in at.button if b.label.startswith("What is the notice period"))
    starter.click().run()
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert at.chat_message[0].markdown[0].value == starter.label


def test_blank_question_gets_a_hint_not_an_answer(app_env):
    at = open_app()
    at.chat_input[0].set_value("   ").run()
    assert not at.exception and len(at.chat_message) == 0
    assert any("Type a question" in w.value for w in at.warning)


def test_thumbs_feedback_is_stored(app_env):
    at = open_app()
    at.chat_input[0].set_value("ITV cancellation notice").run()
    at.feedback(key="fb_1").set_value(1).run()  # thumbs up on turn 1 (the first answer)
    lines = (app_env / "feedback.jsonl").read_text().splitlines()
    record = json.loads(lines[-1])
    assert record["rating"] == "up" and record["question"] == "ITV cancellation notice" and record["turn"] == 1
