#!/usr/bin/env bash
# Creates .venv-pymc, a separate Python 3.11 environment holding pymc-marketing for scripts/compare_pymc.py.
# Separate because pymc-marketing pins its own pandas/numpy/pytensor; our .venv never sees it.
# Idempotent: an existing venv with the pinned version installed is left as it is.
set -euo pipefail
PIN="0.19.2"  # the last pymc-marketing release for Python 3.11
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PYMC_VENV:-$ROOT/.venv-pymc}"
PY="$VENV/bin/python"
if [ -x "$PY" ] && "$PY" -c "import importlib.metadata as m, sys; sys.exit(m.version('pymc-marketing') != '$PIN')" 2>/dev/null; then
  echo "pymc-marketing==$PIN already installed in $VENV"
  exit 0
fi
PYTHON311="${PYTHON311:-$(command -v python3.11 || true)}"
if [ -z "$PYTHON311" ]; then
  echo "python3.11 not found: install it or set PYTHON311=/path/to/python3.11" >&2
  exit 1
fi
test -x "$PY" || "$PYTHON311" -m venv "$VENV"
"$PY" -m pip install --quiet --disable-pip-version-check "pymc-marketing==$PIN"
"$PY" -c "import pymc_marketing; print('pymc-marketing', pymc_marketing.__version__, 'installed in $VENV')"
