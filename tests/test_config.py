"""Settings read the environment once and derive every path from the data folder."""

from pathlib import Path

from core.config import EmbeddingBackend, Settings


def test_paths_follow_the_data_folder(tmp_path: Path) -> None:
    s = Settings.from_env({"MIP_DATA_DIR": str(tmp_path)})
    assert s.raw_dir == tmp_path / "raw"
    assert s.contracts_dir == tmp_path / "raw" / "contracts"
    assert s.manifest_path == tmp_path / "assets" / "asset_manifest.csv"
    assert s.model_ready_path == tmp_path / "mmm" / "model_ready.csv"
    assert s.qdrant_path == tmp_path / "index" / "qdrant"


def test_index_folder_can_live_elsewhere(tmp_path: Path) -> None:
    s = Settings.from_env({"MIP_DATA_DIR": str(tmp_path / "d"), "MIP_INDEX_DIR": str(tmp_path / "i")})
    assert s.qdrant_path == tmp_path / "i" / "qdrant"
    assert s.bm25_path == tmp_path / "i" / "bm25"


def test_openai_embeddings_need_both_the_choice_and_the_key() -> None:
    assert Settings.from_env({"EMBEDDINGS": "openai"}).embeddings is EmbeddingBackend.LOCAL
    assert Settings.from_env({"OPENAI_API_KEY": "sk-x"}).embeddings is EmbeddingBackend.LOCAL
    keyed = Settings.from_env({"EMBEDDINGS": "OpenAI", "OPENAI_API_KEY": "sk-x"})
    assert keyed.embeddings is EmbeddingBackend.OPENAI


def test_empty_keys_count_as_absent() -> None:
    s = Settings.from_env({"ANTHROPIC_API_KEY": "", "QDRANT_URL": ""})
    assert s.anthropic_api_key is None and s.qdrant_url is None


def test_overrides_win_over_environment(tmp_path: Path) -> None:
    s = Settings.from_env({"MIP_SEED": "7"}, seed=11, data_dir=tmp_path)
    assert s.seed == 11 and s.data_dir == tmp_path
    assert s.with_data_dir(tmp_path / "x").raw_dir == tmp_path / "x" / "raw"


def test_repr_hides_secrets_but_says_which_services_are_on():
    s = Settings.from_env({"OPENAI_API_KEY": "sk-openai-secret", "ANTHROPIC_API_KEY": "sk-ant-secret",
                           "QDRANT_API_KEY": "qdrant-secret", "QDRANT_URL": "http://127.0.0.1:6333"})
    text = repr(s) + str(s)
    assert "secret" not in text
    assert "127.0.0.1:6333" in text and s.anthropic_api_key == "sk-ant-secret"
