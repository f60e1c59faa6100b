"""The MMM fit cache holds data, never code: crafted or broken entries are refitted and replaced, never run."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from core.config import Settings
from core.mmm import FitConfig, MmmFit, cache, fit_model, load_weekly, roi_table
from core.mmm.cache import entry_path, fit_from_entry, fit_key, fit_to_entry, get_fit
from core.mmm.simulate import simulate_world

CONFIG = FitConfig(n_bootstrap=2)


class _Payload:
    """Unpickling this opens (and so creates) a file: what `os.system` in a crafted cache would do, harmlessly."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return open, (str(self.marker), "w")


@pytest.fixture(scope="module")
def world_csv(tmp_path_factory) -> bytes:
    """A small simulated weekly table as CSV bytes (three channels: fast to fit)."""
    return simulate_world(3, n_channels=3).table.to_csv(index=False).encode()


@pytest.fixture(scope="module")
def real_fit(world_csv, tmp_path_factory) -> MmmFit:
    """The genuine fit of that table, computed once."""
    path = tmp_path_factory.mktemp("fit") / "weekly.csv"
    path.write_bytes(world_csv)
    return fit_model(load_weekly(path), CONFIG)


@pytest.fixture()
def settings(tmp_path, world_csv) -> Settings:
    """Settings whose model_ready.csv is the small world."""
    s = Settings(data_dir=tmp_path)
    s.mmm_dir.mkdir(parents=True)
    s.model_ready_path.write_bytes(world_csv)
    return s


@pytest.fixture()
def refits(monkeypatch, real_fit) -> list[int]:
    """Counts refits; each returns the genuine fit at once (the tests are about the cache, not the fitting)."""
    calls: list[int] = []

    def fake_fit(data, config):
        calls.append(1)
        return real_fit

    monkeypatch.setattr(cache, "fit_model", fake_fit)
    return calls


def _key(settings: Settings) -> str:
    return fit_key(settings.model_ready_path.read_bytes(), "leads", CONFIG)


def _valid_entry(settings: Settings, real_fit: MmmFit) -> dict:
    return json.loads(json.dumps(fit_to_entry(real_fit, _key(settings))))


def _assert_replaced_by_a_valid_entry(settings: Settings) -> None:
    entry = json.loads(entry_path(settings, _key(settings)).read_text())
    data = load_weekly(settings.model_ready_path)
    assert fit_from_entry(entry, _key(settings), data, CONFIG).channels == data.channels


def test_a_valid_entry_is_reused_without_refitting(settings, real_fit, refits):
    # The control for every test below: a genuine entry is loaded, so "refitted" there means "rejected".
    entry_path(settings, _key(settings)).parent.mkdir(parents=True)
    entry_path(settings, _key(settings)).write_text(json.dumps(_valid_entry(settings, real_fit)))
    fit = get_fit(settings, config=CONFIG)
    assert refits == [] and fit is not real_fit
    assert roi_table(fit, 150.0).equals(roi_table(real_fit, 150.0))


def test_a_crafted_pickle_where_the_old_cache_lived_is_never_run(settings, real_fit, refits, tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(marker))
    pickle.loads(payload)  # negative control: the payload is live
    assert marker.exists()
    marker.unlink()
    with monkeypatch.context() as m:
        m.setattr(cache, "CACHE_VERSION", "mmm-2")  # the pickle cache's version: its file name for this very fit
        old_key = _key(settings)
    folder = entry_path(settings, _key(settings)).parent
    folder.mkdir(parents=True)
    for stem in (old_key, _key(settings)):
        (folder / f"{stem}.pkl").write_bytes(payload)
    get_fit(settings, config=CONFIG)
    assert not marker.exists()
    assert refits == [1] and not list(folder.glob("*.pkl"))  # old pickles are deleted once a JSON entry is written
    _assert_replaced_by_a_valid_entry(settings)


def test_a_pickle_under_the_new_name_is_not_run_and_is_replaced(settings, refits, tmp_path):
    marker = tmp_path / "pwned"
    path = entry_path(settings, _key(settings))
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps(_Payload(marker)))
    get_fit(settings, config=CONFIG)
    assert not marker.exists() and refits == [1]
    _assert_replaced_by_a_valid_entry(settings)


def _other_channels(e: dict) -> dict:
    """The entry of a fit on other channels (ch01 renamed tv everywhere), with this key."""
    return json.loads(json.dumps(e).replace('"ch01"', '"tv"'))


def _set(e: dict, field: str, value: object) -> dict:
    return {**e, field: value}


GARBAGE_TEXT = {
    "not json": "{this is not json",
    "binary": "\udcff",  # written as raw bytes below
    "empty": "",
    "a list": "[1, 2, 3]",
    "a string": '"mmm"',
    "NaN": "NaN",
    "deep nesting": "[" * 100_000 + "]" * 100_000,
    "huge integer": "9" * 5000,
}


@pytest.mark.parametrize("name", list(GARBAGE_TEXT))
def test_garbage_json_is_replaced_by_a_refit(settings, refits, name):
    path = entry_path(settings, _key(settings))
    path.parent.mkdir(parents=True)
    if name == "binary":
        path.write_bytes(b"\x80\x81\xfe\xff")
    else:
        path.write_text(GARBAGE_TEXT[name])
    fit = get_fit(settings, config=CONFIG)
    assert refits == [1] and fit.channels == ("ch01", "ch02", "ch03")
    _assert_replaced_by_a_valid_entry(settings)


WRONG_ENTRIES = {
    "other channels": _other_channels,
    "wrong key": lambda e: _set(e, "key", "0" * 64),
    "old schema": lambda e: _set(e, "schema", 0),
    "infinite beta (1e400)": lambda e: _set(e, "beta", {**e["beta"], "ch01": "INF"}),
    "beta as text": lambda e: _set(e, "beta", {**e["beta"], "ch01": "1.0"}),
    "beta as bool": lambda e: _set(e, "beta", {**e["beta"], "ch01": True}),
    "missing channel": lambda e: _set(e, "beta", {k: v for k, v in e["beta"].items() if k != "ch01"}),
    "unknown adstock": lambda e: _set(e, "hyper", {**e["hyper"], "ch01": {**e["hyper"]["ch01"], "kind": "os.system"}}),
    "zero half-saturation": lambda e: _set(e, "hyper", {**e["hyper"], "ch01": {**e["hyper"]["ch01"], "half_sat": 0}}),
    "names shorter than the baseline": lambda e: _set(e, "baseline_names", e["baseline_names"][:-1]),
    "coefficients shorter than the baseline": lambda e: _set(e, "baseline_coef", e["baseline_coef"][:-1]),
    "extra field": lambda e: _set(e, "__reduce__", "os.system"),
    "draws not a list": lambda e: _set(e, "draws", {"hyper": {}}),
    "draw for other channels": lambda e: _set(e, "draws", [_other_channels(d) for d in e["draws"]]),
}


@pytest.mark.parametrize("name", list(WRONG_ENTRIES))
def test_well_formed_but_wrong_entries_are_replaced(settings, real_fit, refits, name):
    entry = WRONG_ENTRIES[name](_valid_entry(settings, real_fit))
    text = json.dumps(entry).replace('"INF"', "1e400")  # JSON numbers can overflow float: 1e400 parses as inf
    path = entry_path(settings, _key(settings))
    path.parent.mkdir(parents=True)
    path.write_text(text)
    get_fit(settings, config=CONFIG)
    assert refits == [1]
    _assert_replaced_by_a_valid_entry(settings)


def test_a_cache_folder_that_is_a_file_still_gives_the_fit(settings, refits):
    settings.cache_dir.write_text("not a folder")
    warnings: list[str] = []
    fit = get_fit(settings, config=CONFIG, warn=warnings.append)
    assert fit.channels == ("ch01", "ch02", "ch03") and refits == [1]
    assert len(warnings) == 1 and "could not be cached" in warnings[0] and "\n" not in warnings[0]
    assert settings.cache_dir.read_text() == "not a folder"


def test_an_entry_path_that_is_a_folder_still_gives_the_fit(settings, refits):
    entry_path(settings, _key(settings)).mkdir(parents=True)
    warnings: list[str] = []
    assert get_fit(settings, config=CONFIG, warn=warnings.append).channels == ("ch01", "ch02", "ch03")
    assert len(warnings) == 1 and refits == [1]
