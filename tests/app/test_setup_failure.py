"""When setup cannot finish (here: another process holds the index), the Data page still opens to fix it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.config import Settings
from core.rag import HybridIndex
from tests.app.conftest import APP, TIMEOUT


def test_a_held_index_leaves_the_data_page_working(app_env):
    holder = HybridIndex.open(Settings(data_dir=app_env))  # embedded Qdrant: a second client is refused
    try:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
        assert not at.exception, [e.value for e in at.exception]
        assert any("could not be opened" in e.value for e in at.error)
        assert not at.chat_input  # the chat page itself did not run
        at.switch_page("pages/data.py").run()
        assert not at.exception, [e.value for e in at.exception]
        assert any(t.label == "Inventory" for t in at.tabs)
    finally:
        holder.close()
