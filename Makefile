# Resumate: `make run` serves on http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install install-dev migrate worker bench clean fuzz

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/resumate serve --host $(HOST) --port $(PORT)

migrate: install
	$(BIN)/resumate migrate

worker: install
	$(BIN)/resumate worker

lint: install-dev
	$(BIN)/ruff check src tests benchmarks migrations
	$(BIN)/ruff format --check src tests benchmarks migrations
	$(BIN)/mypy src

format: install-dev
	$(BIN)/ruff check --fix src tests benchmarks migrations
	$(BIN)/ruff format src tests benchmarks migrations

test: install-dev lint
	$(BIN)/pytest

# The Schemathesis run of `make test` with a bigger budget (local runs; ~10-20 minutes).
FUZZ_EXAMPLES ?= 60
FUZZ_STATEFUL ?= 150
fuzz: install-dev
	RESUMATE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) RESUMATE_FUZZ_STATEFUL=$(FUZZ_STATEFUL) \
		$(BIN)/pytest tests/robustness/test_fuzz.py -s -q -o timeout=3600

bench: install-dev
	$(BIN)/python benchmarks/bench_startup.py
	$(BIN)/python benchmarks/bench_health.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
