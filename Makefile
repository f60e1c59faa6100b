# The README's two commands: `make run` starts the app, `make test` runs every test.
# Both create the virtual environment and install pinned packages on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8501

.PHONY: run test test-fast lint browser-deps data index clean-data

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m streamlit run app.py --server.address $(HOST) --server.port $(PORT)

test: lint browser-deps
	$(BIN)/python -m pytest --cov --cov-report=term

# Lint, types and import layers: part of `make test`, runnable alone while editing.
lint: $(STAMP)
	$(BIN)/ruff check core ui pages app.py tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

browser-deps:
	bash scripts/ensure_chromium.sh

data: $(STAMP)
	$(BIN)/python -m core.synth
	$(BIN)/python -m core.synth --check

index: $(STAMP)
	$(BIN)/python -m core.rag.build

clean-data:
	find data -mindepth 1 -not -name README.md -delete
