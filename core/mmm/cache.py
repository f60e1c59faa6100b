"""Fitted models cached on disk, keyed by the data file's bytes, the target and the FitConfig."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import asdict
from pathlib import Path

from core.config import Settings
from core.mmm.data import load_weekly
from core.mmm.fit import fit_model
from core.mmm.types import FitConfig, MmmFit

CACHE_VERSION = "mmm-2"  # bump when the model changes so old fits are not reused


def fit_key(data_bytes: bytes, target: str, config: FitConfig) -> str:
    """sha256 of everything that determines a fit."""
    h = hashlib.sha256()
    for part in (CACHE_VERSION.encode(), data_bytes, target.encode(), repr(sorted(asdict(config).items())).encode()):
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()


def get_fit(settings: Settings, target: str = "leads", config: FitConfig | None = None,
            data_path: Path | None = None) -> MmmFit:
    """The fit for a weekly CSV (default: model_ready.csv), from the cache or fitted and stored."""
    config = config or FitConfig(seed=settings.seed)
    path = Path(data_path or settings.model_ready_path)
    data = load_weekly(path, target=target)  # validates (clear MmmDataError) before any cache lookup
    cache_file = settings.cache_dir / "mmm" / f"{fit_key(path.read_bytes(), target, config)}.pkl"
    if cache_file.exists():
        try:
            with cache_file.open("rb") as fh:
                return pickle.load(fh)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            cache_file.unlink(missing_ok=True)  # stale or corrupt: refit
    fit = fit_model(data, config)
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache_file.with_suffix(".tmp")
    with tmp.open("wb") as fh:
        pickle.dump(fit, fh)
    tmp.replace(cache_file)  # atomic: a reader never sees half a file
    return fit
