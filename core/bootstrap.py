"""First run: generate the synthetic world and build the search index when they are missing.

Generation writes into a staging folder first and only then moves the files in, and it never replaces a file the
generator did not write (or that changed since): see install_world.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path, PurePosixPath
from typing import Protocol

from core.catalog.versions import GENERATED_STAMP, file_sha256, keep_version, read_stamp
from core.config import Settings
from core.domain import Progress

WORLD_SHARE = 0.7  # generation takes most of a first run; the index build the rest
STAGING_DIR = "cache"  # staging lives in <data>/cache/: same file system, skipped by the inventory and the index
STAGING_PREFIX = "regenerate-"
NAMED_CONFLICTS = 8  # files named in a refusal before "and N more"


class Step(str, Enum):
    """A first-run task."""

    WORLD = "world"
    INDEX = "index"


class BootstrapError(RuntimeError):
    """A first-run task failed; the message is meant for the user."""


class BuildableIndex(Protocol):
    """What bootstrap needs of the search index (core.rag.HybridIndex satisfies it)."""

    def build(self, text: bool = True, assets: bool = True, progress: Progress | None = None) -> object: ...


@dataclass(frozen=True)
class BootstrapReport:
    """Which steps ran, and which of the user's files regeneration kept as versions before replacing them."""

    ran: list[Step] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def world_present(data_dir: Path) -> bool:
    """True when the data folder already holds any raw file (generated or the user's own)."""
    raw = data_dir / "raw"
    return raw.is_dir() and any(p.is_file() for p in raw.rglob("*"))


def missing_steps(settings: Settings, index_built: bool) -> list[Step]:
    """The first-run steps still to do, in order."""
    steps = [] if world_present(settings.data_dir) else [Step.WORLD]
    if steps or not index_built:
        steps.append(Step.INDEX)
    return steps


def _span(progress: Progress, start: float, end: float) -> Progress:
    """A progress callback mapping a step's 0..1 onto [start, end] of the whole: f ↦ start + f·(end − start)."""
    return lambda f, msg: progress(start + max(0.0, min(1.0, f)) * (end - start), msg)


def staged_files(staging: Path) -> list[str]:
    """Relative names of the files a generator wrote into staging (its stamp aside), sorted."""
    return sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*")
                  if p.is_file() and p.name != GENERATED_STAMP)


def unplaceable(data_dir: Path, rel: str) -> bool:
    """True when rel cannot become a file: it is a folder, or a folder on its way is something else."""
    target = data_dir / rel
    ancestors = list(PurePosixPath(rel).parents)[:-1]  # e.g. raw/contracts, raw (not "." itself)
    return (target.is_dir() and not target.is_symlink()) or any(
        (data_dir / a).exists() and not (data_dir / a).is_dir() for a in ancestors)


def conflicts(data_dir: Path, staging: Path, rels: list[str], owned: dict[str, str]) -> list[str]:
    """Files regeneration would replace that are not the generator's: not in its stamp, changed since (hash
    differs), or not a plain file; a file already holding exactly the new bytes loses nothing and is no conflict."""
    out = []
    for rel in rels:
        target = data_dir / rel
        if unplaceable(data_dir, rel):
            out.append(rel)
            continue
        if not (target.exists() or target.is_symlink()):
            continue
        if target.is_symlink() or not target.is_file():
            out.append(rel)
            continue
        digest = file_sha256(target)
        if digest != owned.get(rel) and digest != file_sha256(staging / rel):
            out.append(rel)
    return out


def refusal(clash: list[str]) -> str:
    """The message when regeneration would overwrite the user's files."""
    named = ", ".join(clash[:NAMED_CONFLICTS]) + (f" and {len(clash) - NAMED_CONFLICTS} more"
                                                   if len(clash) > NAMED_CONFLICTS else "")
    return (f"Regenerating stopped: it would overwrite {len(clash)} file(s) that the generator did not write or "
            f"that were changed since it did: {named}. Nothing was changed. Move or rename those files, or "
            "choose to keep them as versions and regenerate.")


def install_world(staging: Path, data_dir: Path, keep_changed: bool = False) -> list[str]:
    """Move a staged world into data_dir; BootstrapError (nothing moved) when that would overwrite files the
    generator does not own, unless keep_changed, which keeps those as versions first. Returns the kept files."""
    rels = staged_files(staging)
    clash = conflicts(data_dir, staging, rels, read_stamp(data_dir))
    if clash and not keep_changed:
        raise BootstrapError(refusal(clash))
    blocked = [rel for rel in clash if unplaceable(data_dir, rel)]
    if blocked:
        raise BootstrapError(f"Regenerating stopped: a folder or file is in the way of {', '.join(blocked)}. "
                             "Nothing was changed. Move or rename it first.")
    try:
        for rel in clash:
            keep_version(data_dir, rel)
        for rel in rels:
            (data_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, data_dir / rel)
        if (staging / GENERATED_STAMP).is_file():
            os.replace(staging / GENERATED_STAMP, data_dir / GENERATED_STAMP)
    except (OSError, ValueError) as exc:  # CatalogError is a ValueError
        raise BootstrapError(f"Putting the generated data in place failed: {exc}") from exc
    return clash


def _generate(settings: Settings, progress: Progress, keep_changed: bool = False) -> list[str]:
    """Generate the world with core.synth into a staging folder, then install_world it into settings.data_dir;
    returns the user's files kept as versions."""
    try:
        from core.synth import generate_world
    except ImportError as exc:
        raise BootstrapError("The data generator (core.synth) is not available, so no data could be "
                             "created. Add CSV files under data/raw/ or install the generator.") from exc
    data_dir = Path(settings.data_dir)
    parent = data_dir / STAGING_DIR
    made_parent = not parent.exists()
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
    except OSError as exc:
        raise BootstrapError(f"Generating the data failed: cannot write to {data_dir} ({exc})") from exc
    try:
        try:
            generate_world(staging, seed=settings.seed, progress=progress)
        except Exception as exc:  # noqa: BLE001 - any generator failure becomes one message
            raise BootstrapError(f"Generating the data failed: {exc}") from exc
        return install_world(staging, data_dir, keep_changed)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if made_parent:
            with contextlib.suppress(OSError):  # something else now lives there
                parent.rmdir()


def run_bootstrap(settings: Settings, steps: list[Step], open_index: Callable[[], BuildableIndex],
                  progress: Progress | None = None, keep_changed: bool = False) -> BootstrapReport:
    """Run the given first-run steps, reporting overall progress 0..1 with a message; keep_changed lets
    regeneration replace the user's files after keeping them as versions (else it refuses)."""
    note = progress or (lambda f, m: None)
    world_end = WORLD_SHARE if Step.WORLD in steps and Step.INDEX in steps else 1.0
    kept: list[str] = []
    if Step.WORLD in steps:
        note(0.0, "Generating the marketing data…")
        kept = _generate(settings, _span(note, 0.0, world_end), keep_changed)
    if Step.INDEX in steps:
        start = world_end if Step.WORLD in steps else 0.0
        note(start, "Building the search index…")
        try:
            open_index().build(progress=_span(note, start, 1.0))
        except Exception as exc:  # noqa: BLE001 - embedder/qdrant failures become one message
            raise BootstrapError(f"Building the search index failed: {exc}") from exc
    note(1.0, "Ready")
    return BootstrapReport(list(steps), kept)
