"""CLI: python -m core.rag.build [--data DIR] [--index DIR] [--text] [--assets] [--check]."""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from core.config import Settings
from core.rag.index import HybridIndex
from core.rag.types import RagError


def settings_from_args(data: str | None, index: str | None) -> Settings:
    """Environment settings with --data / --index overrides."""
    s = Settings.from_env()
    if data:
        s = s.with_data_dir(Path(data))
    return replace(s, index_dir=Path(index)) if index else s


def _bar(fraction: float, message: str) -> None:
    """A one-line text progress bar on stderr."""
    filled = int(fraction * 30)
    print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%} {message[:50]:<50}", end="", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Build (incrementally) or check the index."""
    ap = argparse.ArgumentParser(prog="python -m core.rag.build", description=__doc__)
    ap.add_argument("--data"), ap.add_argument("--index")
    ap.add_argument("--text", action="store_true", help="text collections only")
    ap.add_argument("--assets", action="store_true", help="asset collection only")
    ap.add_argument("--check", action="store_true", help="report counts and staleness, build nothing")
    args = ap.parse_args(argv)
    settings = settings_from_args(args.data, args.index)
    if not settings.data_dir.is_dir():
        print(f"error: data folder {settings.data_dir} does not exist", file=sys.stderr)
        return 2
    index = HybridIndex.open(settings)
    try:
        if args.check:
            st = index.status()
            print(f"built: {st.built}; counts: {st.counts}; stale: {st.stale or 'none'}; missing: {st.missing or 'none'}")
            return 0 if st.built and not st.stale and not st.missing else 1
        both = not args.text and not args.assets
        t0 = time.perf_counter()
        rep = index.build(text=both or args.text, assets=both or args.assets, progress=_bar)
        print(file=sys.stderr)
        print(f"embedded {len(rep.embedded_files)} files, unchanged {len(rep.unchanged_files)}, "
              f"removed {len(rep.removed_files)}, {rep.chunks} chunks in {time.perf_counter() - t0:.1f}s")
        return 0
    except (RagError, OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        index.close()


if __name__ == "__main__":
    raise SystemExit(main())
