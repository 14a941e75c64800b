# The two commands of the README are `make run` and `make test`; both set up everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One stamp per set of extras: `make run` installs only what running needs.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
# `make run PORT=8001` when 8000 is taken (or set LUCY_HTTP_PORT).
PORT ?=

.PHONY: run test bench lint install browser clean ocr ocr-if-possible

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP) $(RUN_STAMP)

$(BENCH_STAMP): $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP) $(TEST_STAMP) $(RUN_STAMP)

install: $(RUN_STAMP)

## Run the service on the embedded default (SQLite under ./var, in-process consumers);
## another port: make run PORT=8001.
run: $(RUN_STAMP) ocr-if-possible
	$(BIN)/lucy-events serve --demo $(if $(PORT),--port $(PORT))

## Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Debian's tesseract (nld, fra, deu, eng) and poppler-utils for reading scans; only the
## missing ones, waiting for the dpkg lock rather than failing.
OCR_PACKAGES := tesseract-ocr tesseract-ocr-nld tesseract-ocr-fra tesseract-ocr-deu \
	tesseract-ocr-eng poppler-utils
ocr:
	@missing=$$(for p in $(OCR_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian's $$missing for OCR"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get -o DPkg::Lock::Timeout=600 \
			install -y -qq $$missing >/dev/null; \
	fi

## The service runs without OCR when it cannot be installed (it says so once at start).
ocr-if-possible:
	@$(MAKE) --no-print-directory ocr || echo "OCR could not be installed: scans stay unrecognised"

## Install what the tests need and run every test (PostgreSQL at 127.0.0.1:5432).
test: $(TEST_STAMP) lint browser ocr
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

## Every benchmark, each against its raw baseline in the same run (PostgreSQL, tansu).
bench: $(BENCH_STAMP)
	$(BIN)/python bench/write_path.py
	$(BIN)/python bench/relay.py
	$(BIN)/python bench/consume.py
	$(BIN)/python bench/projections.py
	$(BIN)/python bench/dashboard_query.py
	$(BIN)/python bench/delivery.py
	$(BIN)/python bench/history.py
	$(BIN)/python bench/peppol_validation.py
	$(BIN)/python bench/intake.py 2>/dev/null
	$(BIN)/python bench/recognition.py
	$(BIN)/python bench/kbo_search.py

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var build *.egg-info src/*.egg-info
