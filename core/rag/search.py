"""CLI: python -m core.rag.search "query" [--k 5] [--category C] [--channel X] [--json]."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from core.cli import run_cli
from core.rag.build import CLI_ERRORS, settings_from_args
from core.rag.index import HybridIndex
from core.rag.types import Hit

PREVIEW_CHARS = 160


def hit_lines(hits: list[Hit]) -> list[str]:
    """Numbered hits with score, file, section or rows, and the start of the text."""
    out = []
    for i, h in enumerate(hits, 1):
        where = h.section or (f"rows {h.rows}" if h.rows else h.metadata.get("group", ""))
        out.append(f"{i}. {h.score:.4f} {h.source_file} [{where}]\n   {h.text[:PREVIEW_CHARS].replace(chr(10), ' ')}")
    return out


def _run(args: argparse.Namespace) -> int:
    """Open the index, search, print; user-facing failures raise and become one line."""
    index = HybridIndex.open(settings_from_args(args.data, args.index))
    try:
        hits = index.search_text(args.query, k=args.k, category=args.category, channel=args.channel)
    finally:
        index.close()
    if args.json:
        print(json.dumps([asdict(h) | {"source_file": h.source_file} for h in hits], indent=2, default=str))
    else:
        for line in hit_lines(hits):
            print(line)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Search the text index and print hits."""
    ap = argparse.ArgumentParser(prog="python -m core.rag.search", description=__doc__)
    ap.add_argument("query")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--category"), ap.add_argument("--channel")
    ap.add_argument("--data"), ap.add_argument("--index")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    return run_cli(lambda: _run(args), CLI_ERRORS)


if __name__ == "__main__":
    raise SystemExit(main())
