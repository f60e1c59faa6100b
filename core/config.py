"""One settings object: paths and environment, read once."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VALUE_PER_LEAD = 150.0  # £ a lead is worth when MIP_VALUE_PER_LEAD is unset
DEFAULT_CURRENCY = "£"  # the generated world's currency; a user's file brings its own (core.mmm.units)
DEFAULT_KPI_NAME = "leads"  # the generated world's KPI


class EmbeddingBackend(str, Enum):
    """Which embedding model builds and queries the vector index."""

    LOCAL = "local"
    OPENAI = "openai"


@dataclass(frozen=True)
class Settings:
    """Where data lives and which optional services are switched on."""

    data_dir: Path = ROOT / "data"
    index_dir: Path | None = None
    seed: int = 42
    embeddings: EmbeddingBackend = EmbeddingBackend.LOCAL
    openai_api_key: str | None = field(default=None, repr=False)  # secrets never reach logs or tracebacks
    anthropic_api_key: str | None = field(default=None, repr=False)
    qdrant_url: str | None = None
    qdrant_api_key: str | None = field(default=None, repr=False)
    value_per_lead: float = DEFAULT_VALUE_PER_LEAD  # money one KPI unit is worth; turns KPI ROI into money ROI
    currency: str = DEFAULT_CURRENCY  # the modelled dataset's currency (code or symbol): what replies write money in
    kpi_name: str = DEFAULT_KPI_NAME  # the modelled dataset's KPI ("sales", "test_drives"): what replies count

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from environment variables; keyword overrides win."""
        env = os.environ if env is None else env
        data_dir = Path(env.get("MIP_DATA_DIR", ROOT / "data"))
        index_dir = env.get("MIP_INDEX_DIR")
        wanted = env.get("EMBEDDINGS", "local").strip().lower()
        openai_key = env.get("OPENAI_API_KEY") or None
        # OpenAI embeddings only switch on when asked for *and* keyed.
        embeddings = (
            EmbeddingBackend.OPENAI
            if wanted == EmbeddingBackend.OPENAI.value and openai_key
            else EmbeddingBackend.LOCAL
        )
        settings = cls(
            data_dir=data_dir,
            index_dir=Path(index_dir) if index_dir else None,
            seed=int(env.get("MIP_SEED", "42")),
            embeddings=embeddings,
            openai_api_key=openai_key,
            anthropic_api_key=env.get("ANTHROPIC_API_KEY") or None,
            qdrant_url=env.get("QDRANT_URL") or None,
            qdrant_api_key=env.get("QDRANT_API_KEY") or None,
            value_per_lead=float(env.get("MIP_VALUE_PER_LEAD", DEFAULT_VALUE_PER_LEAD)),
        )
        return replace(settings, **overrides) if overrides else settings

    def with_data_dir(self, data_dir: Path | str) -> Settings:
        """The same settings pointed at another data folder (index follows unless set)."""
        return replace(self, data_dir=Path(data_dir))

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def contracts_dir(self) -> Path:
        return self.raw_dir / "contracts"

    @property
    def assets_dir(self) -> Path:
        return self.data_dir / "assets"

    @property
    def manifest_path(self) -> Path:
        return self.assets_dir / "asset_manifest.csv"

    @property
    def mmm_dir(self) -> Path:
        return self.data_dir / "mmm"

    @property
    def model_ready_path(self) -> Path:
        return self.mmm_dir / "model_ready.csv"

    @property
    def ground_truth_path(self) -> Path:
        return self.mmm_dir / "ground_truth.json"

    @property
    def index_path(self) -> Path:
        return self.index_dir if self.index_dir is not None else self.data_dir / "index"

    @property
    def qdrant_path(self) -> Path:
        return self.index_path / "qdrant"

    @property
    def bm25_path(self) -> Path:
        return self.index_path / "bm25"

    @property
    def cache_dir(self) -> Path:
        return self.data_dir / "cache"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings.from_env()
