"""CLI: python -m core.rag.search "query" [--k 5] [--category C] [--channel X] [--json]."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from core.rag.build import settings_from_args
from core.rag.index import HybridIndex
from core.rag.types import RagError


def main(argv: list[str] | None = None) -> int:
    """Search the text index and print hits."""
    ap = argparse.ArgumentParser(prog="python -m core.rag.search", description=__doc__)
    ap.add_argument("query")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--category"), ap.add_argument("--channel")
    ap.add_argument("--data"), ap.add_argument("--index")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    index = HybridIndex.open(settings_from_args(args.data, args.index))
    try:
        hits = index.search_text(args.query, k=args.k, category=args.category, channel=args.channel)
    except RagError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        index.close()
    if args.json:
        print(json.dumps([asdict(h) | {"source_file": h.source_file} for h in hits], indent=2, default=str))
    else:
        for i, h in enumerate(hits, 1):
            where = h.section or (f"rows {h.rows}" if h.rows else h.metadata.get("group", ""))
            print(f"{i}. {h.score:.4f} {h.source_file} [{where}]\n   {h.text[:160].replace(chr(10), ' ')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
