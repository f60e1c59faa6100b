"""The command lines' shared edge: a failure the user can act on is one line on stderr and exit code 2."""

from __future__ import annotations

import sys
from collections.abc import Callable

EXIT_BAD_INPUT = 2
# ValueError covers every domain error (MmmDataError, RagError, QuestionError, AskError); OSError covers missing,
# unreadable or misplaced files; RuntimeError is what embedded Qdrant raises when another process holds the index.
USER_ERRORS: tuple[type[Exception], ...] = (ValueError, OSError, RuntimeError)


def one_line(exc: BaseException) -> str:
    """The first line of an error's message (its type name when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def run_cli(main: Callable[[], int], errors: tuple[type[Exception], ...] = USER_ERRORS) -> int:
    """Run a CLI body; known failures print `error: <one line>` to stderr and return EXIT_BAD_INPUT."""
    try:
        return main()
    except errors as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
