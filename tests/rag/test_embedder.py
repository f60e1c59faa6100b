import json

import httpx
import numpy as np
import openai

from core.rag.embedder import OPENAI_DIM, LocalMiniLM, OpenAIEmbedder


def test_local_minilm_is_normalised_and_semantic():
    emb = LocalMiniLM()
    v = emb.embed(["television advertising budget", "TV ad spend", "a recipe for banana bread"])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_openai_embedder_batches_through_fake_transport():
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        calls.append(len(body["input"]))
        data = [{"object": "embedding", "index": i, "embedding": [float(i + 1)] * OPENAI_DIM}
                for i in range(len(body["input"]))][::-1]  # out of order on purpose
        return httpx.Response(200, json={"object": "list", "data": data, "model": body["model"],
                                         "usage": {"prompt_tokens": 1, "total_tokens": 1}})

    client = openai.OpenAI(api_key="test", max_retries=0,
                           http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    vecs = OpenAIEmbedder("test", client=client, batch_size=2).embed(["a", "b", "c"])
    assert calls == [2, 1]
    assert vecs.shape == (3, OPENAI_DIM)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1)
