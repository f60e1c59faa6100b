import subprocess
import sys

from core.rag.sparse import doc_sparse, query_sparse, token_index, tokenize


def test_token_index_is_stable_across_processes():
    out = subprocess.run([sys.executable, "-c", "from core.rag.sparse import token_index; print(token_index('spend'))"],
                         capture_output=True, text=True, check=True).stdout.strip()
    assert int(out) == token_index("spend")


def test_tokenize_keeps_numbers_whole():
    assert "1,234.50" in tokenize("Spend was 1,234.50 GBP")


def test_doc_weights_saturate_with_term_frequency():
    _, one = doc_sparse("tv")
    _, many = doc_sparse(" ".join(["tv"] * 50))
    assert many[0] > one[0]
    assert many[0] < 1.2 + 1  # BM25 bound k1 + 1


def test_query_sparse_dedups_tokens():
    idx, vals = query_sparse("tv tv radio")
    assert len(idx) == 2 and vals == [1.0, 1.0]
