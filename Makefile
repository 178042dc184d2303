# Two commands do all the set-up on a fresh machine:
#   make run    create .venv, install briefbot and the spaCy model, start briefbot (SQLite + local console without tokens)
#   make test   the same set-up, then lint, types, import rules and the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test lint typecheck pytest bench eval clean

setup: $(STAMP)

# scripts/install.sh is also what the Dockerfile runs: one set of install steps for both.
$(STAMP): pyproject.toml requirements/model.txt scripts/install.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	sh scripts/install.sh $(BIN)/python -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/briefbot run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy briefings bot

pytest: setup
	$(BIN)/python -m pytest -q

test: lint typecheck pytest

bench: setup
	$(BIN)/python -m bench.engine

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
