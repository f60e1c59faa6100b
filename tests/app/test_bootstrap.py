import pytest

from core.bootstrap import (
    BootstrapError,
    Step,
    missing_steps,
    run_bootstrap,
    world_present,
)
from core.config import Settings


class FakeIndex:
    def __init__(self, fail: bool = False):
        self.fail, self.built = fail, False

    def build(self, text=True, assets=True, progress=None):
        if self.fail:
            raise RuntimeError("disk full")
        for f in (0.0, 0.5, 1.0):
            progress(f, "embedding")
        self.built = True


def test_missing_steps(tmp_path):
    s = Settings(data_dir=tmp_path)
    assert missing_steps(s, index_built=True) == [Step.WORLD, Step.INDEX]  # new data always needs indexing
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "mine.csv").write_text("a\n1\n")
    assert world_present(tmp_path)
    assert missing_steps(s, index_built=False) == [Step.INDEX]
    assert missing_steps(s, index_built=True) == []


def test_index_only_progress_is_monotonic_and_complete(tmp_path):
    seen, ix = [], FakeIndex()
    run_bootstrap(Settings(data_dir=tmp_path), [Step.INDEX], lambda: ix, lambda f, m: seen.append(f))
    assert ix.built and seen == sorted(seen) and seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen)


def test_index_failure_is_a_user_message(tmp_path):
    with pytest.raises(BootstrapError, match="search index failed: disk full"):
        run_bootstrap(Settings(data_dir=tmp_path), [Step.INDEX], lambda: FakeIndex(fail=True))


def test_world_generation_reports_progress(tmp_path, monkeypatch):
    import core.synth as synth

    def fake_generate(out_dir, seed=42, progress=None):
        (out_dir / "raw").mkdir(parents=True)
        (out_dir / "raw" / "x.csv").write_text("a\n1\n")
        progress(0.5, "half")
        progress(1.0, "done")

    monkeypatch.setattr(synth, "generate_world", fake_generate, raising=False)
    seen, ix = [], FakeIndex()
    report = run_bootstrap(Settings(data_dir=tmp_path), [Step.WORLD, Step.INDEX], lambda: ix,
                           lambda f, m: seen.append(f))
    assert report.ran == [Step.WORLD, Step.INDEX] and world_present(tmp_path) and ix.built
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_generation_goes_through_a_staging_folder_and_a_failure_changes_nothing(tmp_path, monkeypatch):
    import core.synth as synth

    seen = []

    def failing_generate(out_dir, seed=42, progress=None):
        seen.append(out_dir)
        (out_dir / "raw").mkdir(parents=True)
        (out_dir / "raw" / "half.csv").write_text("a\n")
        raise RuntimeError("out of paint")

    monkeypatch.setattr(synth, "generate_world", failing_generate, raising=False)
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "mine.csv").write_text("a\n1\n")
    with pytest.raises(BootstrapError, match="Generating the data failed: out of paint"):
        run_bootstrap(Settings(data_dir=tmp_path), [Step.WORLD], lambda: FakeIndex())
    assert seen and seen[0] != tmp_path and seen[0].is_relative_to(tmp_path / "cache")
    assert not seen[0].exists() and not (tmp_path / "cache").exists()  # staging removed
    assert sorted(p.name for p in (tmp_path / "raw").iterdir()) == ["mine.csv"]
