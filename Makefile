# ctlex developer targets. `make run` and `make test` are the two README commands.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export CTLEX_DATA_DIR ?= data

.PHONY: install run test lint fmt golden migrate ingest serve reindex bench

$(BIN)/ctlex: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/ctlex

install: $(BIN)/ctlex

# Install, migrate, ingest the bundled corpus and serve on 127.0.0.1:8000.
run: install
	$(BIN)/ctlex db upgrade
	$(BIN)/ctlex ingest || echo "ingest reported failures (see above); serving what was stored"
	$(BIN)/ctlex serve --host 127.0.0.1 --port 8000

# Install and run the whole test suite (SQLite always; PostgreSQL when CTLEX_TEST_POSTGRES_URL is set).
test: install
	$(BIN)/ruff check .
	$(BIN)/pytest -q -rs

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: install
	$(BIN)/ctlex db upgrade

ingest: migrate
	$(BIN)/ctlex ingest

reindex: install
	$(BIN)/ctlex reindex

serve: install
	$(BIN)/ctlex serve

bench: install
	$(BIN)/python bench/tagging_quality.py
