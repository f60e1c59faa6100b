"""Never lose a user's file: replaced uploads are kept, regeneration only rewrites what the generator owns,
restore/quarantine/delete keep every byte recoverable."""

from __future__ import annotations

import filecmp
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.bootstrap import BootstrapError, Step, install_world, run_bootstrap
from core.catalog import (
    CatalogError,
    check_upload,
    delete_file,
    inventory,
    keep_version,
    list_quarantined,
    list_versions,
    quarantine,
    release,
    restore_version,
    save_upload,
    validate_folder,
    versioned_files,
)
from core.catalog.versions import GENERATED_STAMP, data_path, file_sha256, read_stamp, write_stamp
from core.config import Settings
from tests.app.conftest import app_data, app_pointed_at, open_app  # noqa: F401 - the AppTest world fixture

USER_META = b"date,campaign_id,impressions,clicks,spend\n2025-03-03,MINE,1000,10,99.5\n"
T0 = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


class FakeIndex:
    def build(self, text=True, assets=True, progress=None):
        return None


def _settings(data: Path) -> Settings:
    return Settings(data_dir=data)


def _staged(tmp_path: Path, files: dict[str, bytes], seed: int = 1) -> Path:
    """A staging folder as generate_world leaves it: the files plus their stamp."""
    staging = tmp_path / "staging"
    for rel, content in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_bytes(content)
    write_stamp(staging, [staging / rel for rel in files], "test", seed)
    return staging


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


# --- the reported probe, end to end with the real generator ---------------------------------------------------

@pytest.mark.slow
def test_first_run_is_byte_identical_then_upload_replace_and_regenerate_loses_nothing(tmp_path, world_dir):
    data = tmp_path / "data"
    run_bootstrap(_settings(data), [Step.WORLD], lambda: FakeIndex())
    # the session world also holds what other tests wrote into it (caches, sessions): compare the generated files
    files = [p.relative_to(world_dir).as_posix() for p in world_dir.rglob("*")
             if p.is_file() and p.relative_to(world_dir).parts[0] not in ("cache", "index")]
    match, mismatch, errors = filecmp.cmpfiles(world_dir, data, files, shallow=False)
    assert not mismatch and not errors and GENERATED_STAMP in match  # same bytes as before, plus the stamp
    assert not (data / "cache").exists()  # the staging folder is gone
    generated = (data / "raw" / "meta_ads.csv").read_bytes()

    check = check_upload("meta_ads.csv", USER_META, data / "raw")
    assert check.ok and check.would_overwrite
    save_upload(check, USER_META, data / "raw", overwrite=True)
    assert [v.path.read_bytes() for v in list_versions(data, "raw/meta_ads.csv")] == [generated]

    leads_before = (data / "raw" / "leads.csv").read_bytes()
    with pytest.raises(BootstrapError) as err:
        run_bootstrap(_settings(data), [Step.WORLD, Step.INDEX], lambda: FakeIndex())
    message = str(err.value)
    assert "raw/meta_ads.csv" in message and "did not write or that were changed" in message
    assert "Nothing was changed" in message and "keep them as versions" in message
    assert (data / "raw" / "meta_ads.csv").read_bytes() == USER_META
    assert (data / "raw" / "leads.csv").read_bytes() == leads_before
    assert not (data / "cache").exists()


# --- regeneration writes only what the generator owns ---------------------------------------------------------

def test_stamp_lists_every_generated_file_with_its_hash(world_dir):
    owned = read_stamp(world_dir)
    on_disk = {p.relative_to(world_dir).as_posix() for p in world_dir.rglob("*") if p.is_file()
               and p.name != GENERATED_STAMP and not {"cache", "index"} & set(p.relative_to(world_dir).parts)}
    assert set(owned) == on_disk and len(owned) > 80
    assert owned["raw/meta_ads.csv"] == file_sha256(world_dir / "raw" / "meta_ads.csv")
    stamp = json.loads((world_dir / GENERATED_STAMP).read_text())
    assert set(stamp) == {"schema", "generator", "seed", "files"}  # no times: same seed, same stamp bytes


def test_install_into_an_empty_folder_moves_everything(tmp_path):
    staging = _staged(tmp_path, {"raw/a.csv": b"a\n1\n", "mmm/t.json": b"{}"})
    data = tmp_path / "data"
    assert install_world(staging, data) == []
    assert _snapshot(data) == {"raw/a.csv": b"a\n1\n", "mmm/t.json": b"{}",
                               GENERATED_STAMP: json.dumps(json.loads((data / GENERATED_STAMP).read_text()),
                                                           indent=2).encode() + b"\n"}
    assert set(read_stamp(data)) == {"raw/a.csv", "mmm/t.json"}


def test_generator_owned_unchanged_files_are_replaced(tmp_path):
    data = tmp_path / "data"
    install_world(_staged(tmp_path / "one", {"raw/a.csv": b"a\n1\n"}), data)
    install_world(_staged(tmp_path / "two", {"raw/a.csv": b"a\n2\n"}, seed=2), data)
    assert (data / "raw" / "a.csv").read_bytes() == b"a\n2\n" and list_versions(data, "raw/a.csv") == []


@pytest.mark.parametrize("stamped", [True, False])
def test_a_changed_or_unstamped_file_stops_regeneration_and_nothing_moves(tmp_path, stamped):
    data = tmp_path / "data"
    if stamped:
        install_world(_staged(tmp_path / "one", {"raw/a.csv": b"a\n1\n", "raw/b.csv": b"b\n1\n"}), data)
    else:  # e.g. the user's own data folder: nothing here was written by the generator
        (data / "raw").mkdir(parents=True)
        (data / "raw" / "b.csv").write_bytes(b"b\n1\n")
    (data / "raw" / "a.csv").write_bytes(b"a\nmine\n")
    (data / "raw" / "other.csv").write_bytes(b"x\n1\n")
    before = _snapshot(data)
    with pytest.raises(BootstrapError, match=r"1 file\(s\).*raw/a\.csv") as err:
        install_world(_staged(tmp_path / "two", {"raw/a.csv": b"a\n2\n", "raw/b.csv": b"b\n1\n"}, seed=2), data)
    assert "raw/b.csv" not in str(err.value)  # same bytes as the new world: nothing to lose
    assert _snapshot(data) == before


def test_keep_changed_keeps_the_users_bytes_as_versions_then_replaces(tmp_path):
    data = tmp_path / "data"
    install_world(_staged(tmp_path / "one", {"raw/a.csv": b"a\n1\n"}), data)
    (data / "raw" / "a.csv").write_bytes(b"a\nmine\n")
    kept = install_world(_staged(tmp_path / "two", {"raw/a.csv": b"a\n2\n"}), data, keep_changed=True)
    assert kept == ["raw/a.csv"] and (data / "raw" / "a.csv").read_bytes() == b"a\n2\n"
    assert [v.path.read_bytes() for v in list_versions(data, "raw/a.csv")] == [b"a\nmine\n"]


def test_a_folder_in_the_way_is_never_replaced(tmp_path):
    data = tmp_path / "data"
    (data / "raw" / "a.csv").mkdir(parents=True)
    (data / "raw" / "a.csv" / "mine.txt").write_bytes(b"keep me")
    for keep in (False, True):
        with pytest.raises(BootstrapError, match="raw/a.csv"):
            install_world(_staged(tmp_path / str(keep), {"raw/a.csv": b"a\n1\n"}), data, keep_changed=keep)
    assert (data / "raw" / "a.csv" / "mine.txt").read_bytes() == b"keep me"


def test_run_bootstrap_with_a_fake_generator_stages_and_cleans_up(tmp_path, monkeypatch):
    import core.synth as synth

    def fake_generate(out_dir, seed=42, progress=None):
        (out_dir / "raw").mkdir(parents=True)
        (out_dir / "raw" / "meta_ads.csv").write_bytes(b"generated\n")
        write_stamp(out_dir, [out_dir / "raw" / "meta_ads.csv"], "fake", seed)

    monkeypatch.setattr(synth, "generate_world", fake_generate)
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "meta_ads.csv").write_bytes(USER_META)
    with pytest.raises(BootstrapError, match="raw/meta_ads.csv"):
        run_bootstrap(_settings(data), [Step.WORLD], lambda: FakeIndex())
    assert (data / "raw" / "meta_ads.csv").read_bytes() == USER_META and not (data / "cache").exists()
    report = run_bootstrap(_settings(data), [Step.WORLD], lambda: FakeIndex(), keep_changed=True)
    assert report.kept == ["raw/meta_ads.csv"]
    assert [v.path.read_bytes() for v in list_versions(data, "raw/meta_ads.csv")] == [USER_META]
    assert set(read_stamp(data)) == {"raw/meta_ads.csv"}


# --- versions, restore, quarantine, delete -------------------------------------------------------------------

def _data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "raw").mkdir(parents=True)
    (data / "raw" / "mine.csv").write_bytes(b"lead_id\n1\n")
    return data


def test_restore_brings_back_the_previous_bytes_and_keeps_the_current(tmp_path):
    data = _data(tmp_path)
    save_upload(check_upload("mine.csv", b"lead_id\n2\n", data / "raw"), b"lead_id\n2\n", data / "raw",
                overwrite=True)
    [old] = list_versions(data, "raw/mine.csv")
    assert old.path.read_bytes() == b"lead_id\n1\n" and old.path.suffix == ".bak"
    restore_version(data, old)
    assert (data / "raw" / "mine.csv").read_bytes() == b"lead_id\n1\n"
    newest, oldest = list_versions(data, "raw/mine.csv")
    assert newest.path.read_bytes() == b"lead_id\n2\n" and oldest == old  # newest first, nothing dropped


def test_versions_at_the_same_instant_do_not_overwrite_each_other(tmp_path):
    data = _data(tmp_path)
    first = keep_version(data, "raw/mine.csv", now=T0)
    (data / "raw" / "mine.csv").write_bytes(b"lead_id\n3\n")
    second = keep_version(data, "raw/mine.csv", now=T0)
    assert first and second and first.path != second.path
    assert {v.path.read_bytes() for v in list_versions(data, "raw/mine.csv")} == {b"lead_id\n1\n", b"lead_id\n3\n"}


def test_quarantine_takes_a_file_out_of_inventory_validation_and_index_and_release_brings_it_back(tmp_path):
    from core.rag.documents import text_sources

    data = _data(tmp_path)
    (data / "raw" / "broken.csv").write_bytes(b"a,b\r1,2,3\r")
    entry = quarantine(data, "raw/broken.csv")
    assert "raw/broken.csv" not in set(inventory(data).file)
    assert all(r.name != "raw/broken.csv" for r in validate_folder(data))
    assert all("broken" not in p.name for p in text_sources(data))
    assert list_quarantined(data) == [entry] and entry.path.read_bytes() == b"a,b\r1,2,3\r"
    release(data, entry)
    assert (data / "raw" / "broken.csv").read_bytes() == b"a,b\r1,2,3\r" and list_quarantined(data) == []


def test_delete_keeps_a_version_that_restores(tmp_path):
    data = _data(tmp_path)
    kept = delete_file(data, "raw/mine.csv")
    assert not (data / "raw" / "mine.csv").exists() and versioned_files(data) == ["raw/mine.csv"]
    assert restore_version(data, kept) is None  # nothing was there to keep
    assert (data / "raw" / "mine.csv").read_bytes() == b"lead_id\n1\n"


@pytest.mark.parametrize("rel", ["../outside.csv", "/etc/passwd", ".versions/raw/x.csv", ".quarantine/a", ""])
def test_paths_outside_the_data_files_are_refused(tmp_path, rel):
    with pytest.raises(CatalogError):
        data_path(_data(tmp_path), rel)


def test_an_upload_that_cannot_keep_a_version_writes_nothing(tmp_path):
    data = _data(tmp_path)
    (data / ".versions").write_bytes(b"not a folder")  # so no version can be kept
    check = check_upload("mine.csv", b"lead_id\n2\n", data / "raw")
    with pytest.raises(CatalogError, match="could not keep a copy"):
        save_upload(check, b"lead_id\n2\n", data / "raw", overwrite=True)
    assert (data / "raw" / "mine.csv").read_bytes() == b"lead_id\n1\n"


# --- the Data page's buttons ---------------------------------------------------------------------------------

@pytest.fixture
def own_world(app_data, tmp_path, monkeypatch) -> Path:  # noqa: F811 - the fixture imported above
    """A private copy of the AppTest world (with its built index), so buttons may change files freely."""
    data = tmp_path / "data"
    shutil.copytree(app_data, data, ignore=shutil.ignore_patterns("*.lock", ".lock"))
    with app_pointed_at(data, monkeypatch):
        yield data


def _inventory_files(at) -> set[str]:
    return set(at.dataframe[0].value.file)


def test_page_quarantine_then_release(own_world):
    at = open_app("pages/data.py")
    at.selectbox(key="explore_file").set_value("raw/leads.csv").run()
    at.button(key="quarantine_file").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "raw/leads.csv" not in _inventory_files(at) and not (own_world / "raw" / "leads.csv").exists()
    assert any("quarantine" in s.value for s in at.success)
    at.button(key="release_file").click().run()
    assert not at.exception and "raw/leads.csv" in _inventory_files(at)


def test_page_delete_needs_confirmation_and_restore_brings_it_back(own_world):
    original = (own_world / "raw" / "leads.csv").read_bytes()
    at = open_app("pages/data.py")
    at.selectbox(key="explore_file").set_value("raw/leads.csv").run()
    assert at.button(key="delete_file").disabled
    at.checkbox(key="confirm_delete").check().run()
    at.button(key="delete_file").click().run()
    assert not at.exception and not (own_world / "raw" / "leads.csv").exists()
    at.selectbox(key="kept_file").set_value("raw/leads.csv").run()
    at.button(key="kept_restore").click().run()
    assert not at.exception and (own_world / "raw" / "leads.csv").read_bytes() == original


def test_page_restores_a_replaced_upload(own_world):
    original = (own_world / "raw" / "meta_ads.csv").read_bytes()
    (own_world / "raw" / "meta_ads.csv").write_bytes(USER_META)
    keep_version(own_world, "raw/meta_ads.csv", now=T0)  # an older version of the user's own
    (own_world / "raw" / "meta_ads.csv").write_bytes(original)
    at = open_app("pages/data.py")
    at.selectbox(key="explore_file").set_value("raw/meta_ads.csv").run()
    at.button(key="restore_version").click().run()
    assert not at.exception and (own_world / "raw" / "meta_ads.csv").read_bytes() == USER_META
    assert [v.path.read_bytes() for v in list_versions(own_world, "raw/meta_ads.csv")][0] == original


@pytest.mark.slow
def test_page_regenerate_refuses_to_overwrite_files_it_did_not_write(own_world):
    before = _snapshot(own_world / "raw")
    at = open_app("pages/data.py")
    at.checkbox(key="confirm_regen").check().run()
    at.button(key="regen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("raw/meta_ads.csv" in e.value and "Nothing was changed" in e.value for e in at.error)
    assert _snapshot(own_world / "raw") == before
