"""The hybrid index behind LlamaIndex's retriever interface, for agents and pipelines built on LlamaIndex.

Storage, fusion and BM25 stay in core.rag.index (qdrant-client directly: LlamaIndex's QdrantVectorStore hybrid
mode fuses client-side and its default sparse encoder downloads a model, and QueryFusionRetriever rewrites queries
with an LLM by default). This adapter only converts hits to nodes: no LLM, no network.
"""

from __future__ import annotations

from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from core.rag.types import SearchIndex


class HybridRetriever(BaseRetriever):
    """retrieve("query") → NodeWithScore per hit, with the hit's citation metadata (and image path for creatives)."""

    def __init__(self, index: SearchIndex, k: int = 5, category: str | None = None, channel: str | None = None,
                 assets: bool = False) -> None:
        super().__init__()
        self._index, self._k, self._category, self._channel, self._assets = index, k, category, channel, assets

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        """Hybrid search (text or creatives) as LlamaIndex nodes."""
        q = query_bundle.query_str
        hits = (self._index.search_assets(q, k=self._k, channel=self._channel) if self._assets
                else self._index.search_text(q, k=self._k, category=self._category, channel=self._channel))
        return [NodeWithScore(node=TextNode(id_=h.id, text=h.text,
                                            metadata={**h.metadata, **({"image_path": h.image_path}
                                                                       if h.image_path else {})}),
                              score=h.score) for h in hits]
