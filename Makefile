# The two commands of the README are `make run` and `make test`; both set up everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

## Run the service on the embedded default (SQLite under ./var, in-process consumers).
run: $(STAMP)
	$(BIN)/lucy-events serve --demo

## Install what the tests need and run every test (PostgreSQL at 127.0.0.1:5432).
test: $(STAMP) lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

bench: $(STAMP)
	$(BIN)/python bench/write_path.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
