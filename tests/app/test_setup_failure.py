"""When setup cannot finish (here: another process holds the index), the Data page still opens to fix it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.config import Settings
from core.rag import HybridIndex
from tests.app.conftest import APP, TIMEOUT, app_pointed_at, build_index, make_world


def test_a_held_index_leaves_the_data_page_working(tmp_path, monkeypatch):
    data = make_world(tmp_path / "world")  # its own folder: the app has no client cached for it yet
    build_index(data)
    holder = HybridIndex.open(Settings(data_dir=data))  # embedded Qdrant: a second client is refused
    try:
        with app_pointed_at(data, monkeypatch):
            at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
            assert not at.exception, [e.value for e in at.exception]
            assert any("could not be opened" in e.value for e in at.error)
            assert not at.chat_input  # the chat page itself did not run
            at.switch_page("pages/data.py").run()
            assert not at.exception, [e.value for e in at.exception]
            assert any(t.label == "Inventory" for t in at.tabs)
    finally:
        holder.close()
