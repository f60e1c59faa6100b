from dataclasses import dataclass

from core.chat_export import ChatTurn, Role, citation_label, error_turn, to_markdown
from core.viz.markdown import strip_remote_images


@dataclass
class Src:
    file: str
    section: str | None = None
    rows: str | None = None
    snippet: str = ""


def test_markdown_keeps_order_sources_and_images():
    turns = [
        ChatTurn(Role.USER, "What is the ITV notice period?"),
        ChatTurn(Role.ASSISTANT, "**90 days**", [Src("itv.md", "Cancellation", None, "90 days notice")],
                 agent_used="rag-analyst", backend="offline"),
        ChatTurn(Role.USER, "Show TikTok creatives"),
        ChatTurn(Role.ASSISTANT, "Two creatives", [Src("asset_manifest.csv", rows="3-4")], ["tiktok/a.png"]),
    ]
    md = to_markdown(turns, clean=strip_remote_images)
    order = [md.index(s) for s in ("## Q: What is the ITV", "**90 days**", "1. itv.md § Cancellation",
                                   "## Q: Show TikTok", "asset_manifest.csv rows 3-4", "![creative](tiktok/a.png)")]
    assert order == sorted(order)
    assert "rag-analyst · offline" in md and "“90 days notice”" in md


def test_citation_label_prefers_section_then_rows():
    assert citation_label(Src("a.md", "Term", "1-2")) == "a.md § Term"
    assert citation_label(Src("b.csv", None, "1-20")) == "b.csv rows 1-20"
    assert citation_label(Src("c.csv")) == "c.csv"


def test_clean_is_applied_to_every_data_derived_string():
    turns = [ChatTurn(Role.USER, "q <b>"), ChatTurn(Role.ASSISTANT, "answer", [Src("f.md", "S", None, "snip")],
                                                  ["a.png"], notice="note")]
    md = to_markdown(turns, clean=str.upper)
    assert "## Q: Q <B>" in md and "ANSWER" in md and "> NOTE" in md and "F.MD § S" in md and "“SNIP”" in md
    assert "![CREATIVE](A.PNG)" in md and md.startswith("# Marketing Intelligence conversation")  # title is ours


def test_error_turn_is_marked_and_exported():
    turn = error_turn("answer that question", RuntimeError("index locked"))
    assert turn.failed and turn.role == Role.ASSISTANT and "index locked" in turn.content
    assert error_turn("x", KeyError()).content.startswith("Sorry — I could not x: KeyError")
    md = to_markdown([ChatTurn(Role.USER, "q"), turn], clean=strip_remote_images)
    assert "⚠️ Sorry — I could not answer that question: index locked" in md
