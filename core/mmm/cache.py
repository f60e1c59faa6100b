"""Fitted models cached on disk as data, keyed by the data file's bytes, the target and the FitConfig.

An entry is JSON holding only the fitted numbers and names. The fit is rebuilt from the data file itself, so an
entry someone else wrote can at worst be wrong, and then it fails validation and is refitted: it can never run
code, as a pickle can. Old `.pkl` entries are never opened; they are deleted when a new entry is written.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import numpy as np

from core.atomic import write_atomic
from core.config import Settings
from core.mmm.data import WeeklyData, load_weekly
from core.mmm.design import baseline_matrix
from core.mmm.fit import fit_model
from core.mmm.types import AdstockKind, ChannelHyper, FitConfig, MmmFit

CACHE_VERSION = "mmm-3"  # bump when the model or the entry changes so old fits are not reused (3: JSON, no pickle)
SCHEMA_VERSION = 1  # layout of one JSON entry
CACHE_SUBDIR = "mmm"
MAX_ENTRY_BYTES = 16 * 2**20  # real entries are well under 1 MB; a bigger file is not ours and is not read
HYPER_FIELDS = tuple(f.name for f in fields(ChannelHyper))
ENTRY_FIELDS = frozenset({"schema", "key", "channels", "hyper", "beta", "baseline_names", "baseline_coef",
                          "roi_shrinkage", "cv_rmse", "holdout_mape", "fit_seconds", "draws"})

_log = logging.getLogger(__name__)

Params = tuple[dict[str, ChannelHyper], dict[str, float]]


class CacheEntryError(ValueError):
    """A cache entry that is not a valid fit for this data and config: it is refitted and replaced."""


def fit_key(data_bytes: bytes, target: str, config: FitConfig) -> str:
    """sha256 of everything that determines a fit (FitConfig's compared fields: not `workers`, which only times it)."""
    h = hashlib.sha256()
    settings = sorted((f.name, getattr(config, f.name)) for f in fields(config) if f.compare)
    for part in (CACHE_VERSION.encode(), data_bytes, target.encode(), repr(settings).encode()):
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()


def entry_path(settings: Settings, key: str) -> Path:
    """Where the entry for a key lives."""
    return settings.cache_dir / CACHE_SUBDIR / f"{key}.json"


# ---- fit -> JSON ----------------------------------------------------------------------------------------------

def _number(x: float) -> float | None:
    """A float for JSON; null for NaN/inf (only diagnostics may be missing)."""
    return float(x) if math.isfinite(x) else None


def _hyper_json(hp: ChannelHyper) -> dict[str, object]:
    """One channel's transform as plain values."""
    return {name: (hp.kind.value if name == "kind" else float(getattr(hp, name))) for name in HYPER_FIELDS}


def _params_json(hyper: dict[str, ChannelHyper], beta: dict[str, float], channels: tuple[str, ...]) -> dict:
    """Transforms and betas per channel, in data order."""
    return {"hyper": {ch: _hyper_json(hyper[ch]) for ch in channels},
            "beta": {ch: float(beta[ch]) for ch in channels}}


def fit_to_entry(fit: MmmFit, key: str) -> dict:
    """The fitted numbers of a fit (not its data or config, which are rebuilt from the file and the caller)."""
    return {
        "schema": SCHEMA_VERSION, "key": key, "channels": list(fit.channels),
        **_params_json(fit.hyper, fit.beta, fit.channels),
        "baseline_names": list(fit.baseline_names),
        "baseline_coef": [float(c) for c in fit.baseline_coef],
        "roi_shrinkage": float(fit.roi_shrinkage), "cv_rmse": _number(fit.cv_rmse),
        "holdout_mape": _number(fit.holdout_mape), "fit_seconds": float(fit.fit_seconds),
        "draws": [_params_json(h, b, fit.channels) for h, b in fit.draws],
    }


# ---- JSON -> fit, checking everything --------------------------------------------------------------------------

def _finite(x: object, what: str) -> float:
    """A finite JSON number (not a bool) as float."""
    try:
        value = float(x) if isinstance(x, int | float) and not isinstance(x, bool) else math.nan
    except OverflowError:  # an integer with hundreds of digits
        value = math.nan
    if not math.isfinite(value):
        raise CacheEntryError(f"{what} is not a finite number")
    return value


def _optional(x: object, what: str) -> float:
    """A finite number, or null for NaN."""
    return math.nan if x is None else _finite(x, what)


def _mapping(x: object, keys: set[str] | frozenset[str], what: str) -> dict:
    """A JSON object with exactly these keys."""
    if not isinstance(x, dict) or set(x) != set(keys):
        raise CacheEntryError(f"{what} does not have the expected fields")
    return x


def _hyper(x: object, what: str) -> ChannelHyper:
    """One channel's transform, with a known adstock kind and a positive half-saturation and slope."""
    d = _mapping(x, set(HYPER_FIELDS), what)
    try:
        kind = AdstockKind(d["kind"])
    except ValueError as exc:
        raise CacheEntryError(f"{what}: unknown adstock kind") from exc
    values = {name: _finite(d[name], f"{what}.{name}") for name in HYPER_FIELDS if name != "kind"}
    if values["half_sat"] <= 0 or values["slope"] <= 0:
        raise CacheEntryError(f"{what}: half-saturation and slope must be positive")
    return ChannelHyper(kind=kind, **values)


def _params(x: object, channels: tuple[str, ...], what: str) -> Params:
    """Transforms and betas for exactly the data's channels."""
    d = _mapping(x, {"hyper", "beta"}, what)
    hyper_d = _mapping(d["hyper"], set(channels), f"{what}.hyper")
    beta_d = _mapping(d["beta"], set(channels), f"{what}.beta")
    return ({ch: _hyper(hyper_d[ch], f"{what}.hyper.{ch}") for ch in channels},
            {ch: _finite(beta_d[ch], f"{what}.beta.{ch}") for ch in channels})


def fit_from_entry(entry: object, key: str, data: WeeklyData, config: FitConfig) -> MmmFit:
    """Rebuild the fit from an entry, the data and the config; CacheEntryError on any mismatch."""
    e = _mapping(entry, ENTRY_FIELDS, "the entry")
    if e["schema"] != SCHEMA_VERSION or e["key"] != key:
        raise CacheEntryError("schema version or key does not match")
    if e["channels"] != list(data.channels):
        raise CacheEntryError("channels differ from the data's")
    hyper, beta = _params({"hyper": e["hyper"], "beta": e["beta"]}, data.channels, "the fit")
    matrix, names = baseline_matrix(data.weeks, data.controls, config.fourier_order)
    coef = e["baseline_coef"]
    if e["baseline_names"] != names or not isinstance(coef, list) or len(coef) != matrix.shape[1]:
        raise CacheEntryError("baseline columns differ from the data's")
    if not isinstance(e["draws"], list):
        raise CacheEntryError("draws is not a list")
    return MmmFit(
        data=data, config=config, hyper=hyper, beta=beta, baseline_names=names, baseline_matrix=matrix,
        baseline_coef=np.array([_finite(c, "baseline_coef") for c in coef], dtype=float),
        roi_shrinkage=_finite(e["roi_shrinkage"], "roi_shrinkage"),
        cv_rmse=_optional(e["cv_rmse"], "cv_rmse"), holdout_mape=_optional(e["holdout_mape"], "holdout_mape"),
        fit_seconds=_finite(e["fit_seconds"], "fit_seconds"),
        draws=[_params(d, data.channels, f"draw {i}") for i, d in enumerate(e["draws"])],
    )


def _reject_constant(name: str) -> float:
    """json.loads hook: NaN and Infinity are not JSON and never written by us."""
    raise CacheEntryError(f"non-standard number {name}")


def read_entry(path: Path) -> object | None:
    """The parsed JSON at path; None when there is none; CacheEntryError when it is not readable JSON of ours."""
    try:
        if not path.is_file():
            return None
        size, text = path.stat().st_size, None
        if size <= MAX_ENTRY_BYTES:
            text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CacheEntryError(f"unreadable: {exc.__class__.__name__}") from exc
    if text is None:
        raise CacheEntryError(f"{size} bytes, larger than any real entry")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except CacheEntryError:
        raise
    except (ValueError, RecursionError) as exc:  # bad JSON, a 5,000-digit integer, nesting thousands deep
        raise CacheEntryError(f"not valid JSON: {exc.__class__.__name__}") from exc


# ---- the cache ---------------------------------------------------------------------------------------------------

def _cached(path: Path, key: str, data: WeeklyData, config: FitConfig) -> MmmFit | None:
    """The valid cached fit at path, or None (missing or invalid: it will be refitted and replaced)."""
    try:
        entry = read_entry(path)
        return None if entry is None else fit_from_entry(entry, key, data, config)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # CacheEntryError, or a shape not foreseen
        _log.info("ignoring cache entry %s (%s); refitting", path.name, exc)
        return None


def _store(path: Path, fit: MmmFit, key: str, warn: Callable[[str], None]) -> None:
    """Write the entry atomically and drop old pickles; a cache that cannot be written only costs a refit later."""
    try:
        write_atomic(path, json.dumps(fit_to_entry(fit, key), allow_nan=False))
        for old in path.parent.glob("*.pkl"):  # never read; deleting them removes what a crafted one could do
            old.unlink(missing_ok=True)
    except (OSError, ValueError) as exc:
        warn(f"the fit could not be cached in {path.parent} ({exc.__class__.__name__}: {exc}); "
             "it will be refitted next time")


def get_fit(settings: Settings, target: str = "leads", config: FitConfig | None = None,
            data_path: Path | None = None, warn: Callable[[str], None] = _log.warning) -> MmmFit:
    """The fit for a weekly CSV (default: model_ready.csv), from the cache or fitted and stored.

    `warn` receives a one-line message when the cache folder cannot be written (the fit is returned all the same).
    """
    config = config or FitConfig(seed=settings.seed)
    path = Path(data_path or settings.model_ready_path)
    data = load_weekly(path, target=target)  # validates (clear MmmDataError) before any cache lookup
    key = fit_key(path.read_bytes(), target, config)
    cache_file = entry_path(settings, key)
    fit = _cached(cache_file, key, data, config)
    if fit is None:
        fit = fit_model(data, config)
        _store(cache_file, fit, key, warn)
    return fit
