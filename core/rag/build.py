"""CLI: python -m core.rag.build [--data DIR] [--index DIR] [--text] [--assets] [--check]."""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from dataclasses import replace
from pathlib import Path

from core.cli import USER_ERRORS, run_cli
from core.config import Settings
from core.rag.index import HybridIndex
from core.rag.types import BuildReport, IndexStatus, RagError

BAR_WIDTH = 30
MESSAGE_WIDTH = 60
# sqlite3.Error: embedded Qdrant's storage ("attempt to write a readonly database" when its folder vanished).
CLI_ERRORS = (*USER_ERRORS, sqlite3.Error)


def settings_from_args(data: str | None, index: str | None) -> Settings:
    """Environment settings with --data / --index overrides."""
    s = Settings.from_env()
    if data:
        s = s.with_data_dir(Path(data))
    return replace(s, index_dir=Path(index)) if index else s


def _fit(message: str, width: int = MESSAGE_WIDTH) -> str:
    """The message padded to width, or its tail (where the chunk counts are) when longer."""
    return f"{message:<{width}}" if len(message) <= width else "…" + message[-(width - 1):]


def _bar(fraction: float, message: str) -> None:
    """A one-line text progress bar on stderr."""
    filled = int(fraction * BAR_WIDTH)
    print(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {fraction:4.0%} {_fit(message)}", end="",
          file=sys.stderr)


def check_lines(st: IndexStatus) -> list[str]:
    """What --check prints: counts and staleness, then each problem and skipped file."""
    lines = [f"built: {st.built}; counts: {st.counts}; stale: {st.stale or 'none'}; missing: {st.missing or 'none'}"]
    lines += [f"needs a rebuild: {p}" for p in st.problems]
    return lines + [str(s) for s in st.skipped]


def report_lines(rep: BuildReport, seconds: float) -> list[str]:
    """What a build prints: one line per skipped file, then the summary."""
    summary = (f"embedded {len(rep.embedded_files)} files, unchanged {len(rep.unchanged_files)}, "
               f"removed {len(rep.removed_files)}, skipped {len(rep.skipped)}, {rep.chunks} chunks in {seconds:.1f}s")
    return [str(s) for s in rep.skipped] + [summary]


def _data_folder_error(data: Path) -> str | None:
    """Why the data folder cannot be indexed, or None."""
    if data.is_dir():
        return None
    return f"data folder {data} is a file, not a folder" if data.exists() else f"data folder {data} does not exist"


def _run(args: argparse.Namespace) -> int:
    """Open the index, then check or build it; user-facing failures raise and become one line."""
    settings = settings_from_args(args.data, args.index)
    if problem := _data_folder_error(settings.data_dir):
        raise RagError(problem)
    index = HybridIndex.open(settings)
    try:
        if args.check:
            st = index.status()
            print("\n".join(check_lines(st)))
            return 0 if st.built and not st.stale and not st.missing else 1
        both = not args.text and not args.assets
        t0 = time.perf_counter()
        try:
            rep = index.build(text=both or args.text, assets=both or args.assets, progress=_bar)
        finally:
            print(file=sys.stderr)  # end the progress line, so an error starts on its own line
        print("\n".join(report_lines(rep, time.perf_counter() - t0)))
        return 0
    finally:
        index.close()


def main(argv: list[str] | None = None) -> int:
    """Build (incrementally) or check the index."""
    ap = argparse.ArgumentParser(prog="python -m core.rag.build", description=__doc__)
    ap.add_argument("--data"), ap.add_argument("--index")
    ap.add_argument("--text", action="store_true", help="text collections only")
    ap.add_argument("--assets", action="store_true", help="asset collection only")
    ap.add_argument("--check", action="store_true", help="report counts and staleness, build nothing")
    args = ap.parse_args(argv)
    return run_cli(lambda: _run(args), CLI_ERRORS)


if __name__ == "__main__":
    raise SystemExit(main())
