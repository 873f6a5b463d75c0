# Kansa: `make run` starts the app on a local DuckDB file with demo data;
# `make test` runs every check and test (lint, types, unit, pages, browser).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
export KANSA_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test lint typecheck unit e2e bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the requirements change (keeps a second `make run` fast).
$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(BIN)/kansa init --demo
	$(BIN)/streamlit run server.py --server.port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy .

unit: $(VENV)/.installed-dev
	$(BIN)/pytest -m "not e2e"

e2e: $(VENV)/.installed-dev
	$(BIN)/pytest -m e2e

test: lint typecheck $(VENV)/.installed-dev
	$(BIN)/pytest -n 2

bench: $(VENV)/.installed-dev
	for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
