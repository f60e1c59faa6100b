from dataclasses import dataclass

from core.chat_export import ChatTurn, Role, citation_label, to_markdown


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
    md = to_markdown(turns)
    order = [md.index(s) for s in ("## Q: What is the ITV", "**90 days**", "1. itv.md § Cancellation",
                                   "## Q: Show TikTok", "asset_manifest.csv rows 3-4", "![creative](tiktok/a.png)")]
    assert order == sorted(order)
    assert "rag-analyst · offline" in md and "“90 days notice”" in md


def test_citation_label_prefers_section_then_rows():
    assert citation_label(Src("a.md", "Term", "1-2")) == "a.md § Term"
    assert citation_label(Src("b.csv", None, "1-20")) == "b.csv rows 1-20"
    assert citation_label(Src("c.csv")) == "c.csv"
