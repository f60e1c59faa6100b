"""First run: generate the synthetic world and build the search index when they are missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Protocol

from core.config import Settings
from core.domain import Progress

WORLD_SHARE = 0.7  # generation takes most of a first run; the index build the rest


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
    """Which steps ran."""

    ran: list[Step] = field(default_factory=list)


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


def _generate(settings: Settings, progress: Progress) -> None:
    """Generate the world into settings.data_dir with core.synth."""
    try:
        from core.synth import generate_world
    except ImportError as exc:
        raise BootstrapError("The data generator (core.synth) is not available, so no data could be "
                             "created. Add CSV files under data/raw/ or install the generator.") from exc
    try:
        generate_world(settings.data_dir, seed=settings.seed, progress=progress)
    except Exception as exc:  # noqa: BLE001 - any generator failure becomes one message
        raise BootstrapError(f"Generating the data failed: {exc}") from exc


def run_bootstrap(settings: Settings, steps: list[Step], open_index: Callable[[], BuildableIndex],
                  progress: Progress | None = None) -> BootstrapReport:
    """Run the given first-run steps, reporting overall progress 0..1 with a message."""
    note = progress or (lambda f, m: None)
    world_end = WORLD_SHARE if Step.WORLD in steps and Step.INDEX in steps else 1.0
    if Step.WORLD in steps:
        note(0.0, "Generating the marketing data…")
        _generate(settings, _span(note, 0.0, world_end))
    if Step.INDEX in steps:
        start = world_end if Step.WORLD in steps else 0.0
        note(start, "Building the search index…")
        try:
            open_index().build(progress=_span(note, start, 1.0))
        except Exception as exc:  # noqa: BLE001 - embedder/qdrant failures become one message
            raise BootstrapError(f"Building the search index failed: {exc}") from exc
    note(1.0, "Ready")
    return BootstrapReport(list(steps))
