import itertools
import random

from core.rag.fusion import rrf_fuse


def brute_rrf(rankings, k):
    ids = {d for r in rankings for d in r}
    return {d: sum(1 / (k + r.index(d) + 1) for r in rankings if d in r) for d in ids}


def test_rrf_matches_brute_force_on_random_rankings():
    rng = random.Random(0)
    for _ in range(50):
        pool = [f"d{i}" for i in range(12)]
        rankings = [rng.sample(pool, rng.randint(0, 8)) for _ in range(rng.randint(1, 4))]
        k = rng.choice([1, 2, 60])
        fused = rrf_fuse(rankings, k)
        ref = brute_rrf(rankings, k)
        assert {d for d, _ in fused} == set(ref)
        for d, s in fused:
            assert abs(s - ref[d]) < 1e-12
        assert all(a[1] >= b[1] for a, b in itertools.pairwise(fused))


def test_doc_in_both_lists_beats_doc_in_one():
    fused = rrf_fuse([["a", "b"], ["b", "c"]], 60)
    assert fused[0][0] == "b"


def test_empty_lists_fuse_to_nothing():
    assert rrf_fuse([[], []], 60) == []
