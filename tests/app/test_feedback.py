import json
from datetime import UTC, datetime

from core.feedback import Feedback, Rating, read_feedback, record_feedback


def _item(turn: int, rating: Rating) -> Feedback:
    return Feedback("s1", turn, f"q{turn}", f"a{turn}", rating, "rag-analyst", "offline")


def test_records_append_and_read_back(tmp_path):
    path = tmp_path / "sub" / "feedback.jsonl"
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    record_feedback(path, _item(1, Rating.UP), now)
    record_feedback(path, _item(2, Rating.DOWN), now)
    back = read_feedback(path)
    assert [(f.turn, f.rating) for f in back] == [(1, Rating.UP), (2, Rating.DOWN)]
    assert all(f.timestamp.startswith("2025-01-02") for f in back)
    assert json.loads(path.read_text().splitlines()[0])["rating"] == "up"


def test_broken_lines_are_skipped(tmp_path):
    path = tmp_path / "feedback.jsonl"
    record_feedback(path, _item(1, Rating.UP))
    with path.open("a") as fh:
        fh.write("{not json\n")
    record_feedback(path, _item(3, Rating.DOWN))
    assert [f.turn for f in read_feedback(path)] == [1, 3]


def test_thumbs_mapping_and_missing_file(tmp_path):
    assert Rating.from_thumbs(1) is Rating.UP and Rating.from_thumbs(0) is Rating.DOWN
    assert read_feedback(tmp_path / "none.jsonl") == []
