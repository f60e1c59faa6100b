"""LlamaIndex's retriever interface over the hybrid index (no LLM, no network)."""

from __future__ import annotations

from core.rag.llama import HybridRetriever
from tests.fakes import FakeIndex


def test_retrieve_returns_nodes_with_citation_metadata():
    index = FakeIndex()
    nodes = HybridRetriever(index, k=2, channel="tv").retrieve("notice to cancel ITV bookings")
    assert len(nodes) == 2 and index.queries == [("notice to cancel ITV bookings", "tv")]
    assert nodes[0].node.metadata["source_file"] == "itv_airtime_agreement.md"
    assert "28 days" in nodes[0].node.get_content() and nodes[0].score == 0.5


def test_creative_retrieval_carries_image_paths():
    nodes = HybridRetriever(FakeIndex(), assets=True).retrieve("AVATR 12 at night")
    assert nodes[0].node.metadata["image_path"].endswith("avatr12_story_04.png")
