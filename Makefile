# Two commands matter: `make run` and `make test`. Everything else is a convenience.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/dagster_home

.PHONY: run test check ui install install-dev lint format sample bench clean

# `make run` and `make ui` install only what running needs; the test, lint and benchmark extras come with the
# targets that use them.
$(BIN)/etl: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	@touch $@

$(BIN)/pytest: $(BIN)/etl
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/etl

install-dev: $(BIN)/pytest

run: install  ## set up, make the synthetic sample if data/raw is empty, materialize everything, print a summary
	$(BIN)/etl run

test: install-dev  ## the whole test suite (what CI runs)
	$(BIN)/pytest -n 2 -q

# The inner loop, under 90 s on 2 cores: ruff, the parsing library's unit and gold-label tests (209 labelled
# files), the warehouse SQL on hand-made lakes. No webserver, no real processes (e2e), no whole-corpus runs.
CHECK_TESTS := tests/test_complexity.py tests/dumps tests/gold tests/warehouse/test_build.py tests/warehouse/test_bursts.py \
	tests/warehouse/test_keywords.py tests/warehouse/test_rematerialize.py
check: install-dev  ## the fast subset for the inner loop (make test is the whole suite)
	$(BIN)/ruff check etl tests bench deploy
	$(BIN)/ruff format --check etl tests bench deploy
	$(BIN)/pytest -n 2 -q -m "not e2e" $(CHECK_TESTS) \
		--deselect tests/dumps/test_urls.py::test_plain_url_shortcut_agrees_on_every_corpus_url

ui: install  ## the Dagster UI on http://127.0.0.1:3000
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

lint: install-dev
	$(BIN)/ruff check etl tests bench deploy
	$(BIN)/ruff format --check etl tests bench deploy

format: install-dev
	$(BIN)/ruff format etl tests bench deploy
	$(BIN)/ruff check --fix etl tests bench deploy

bench: install-dev  ## the quick benchmarks (the others, at 100k and 1M articles, are listed in the README's speed table)
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/extractors.py

clean:  ## remove generated data and Dagster history (keeps config)
	rm -rf data/raw data/lake data/reports data/warehouse.duckdb* dagster_home/storage dagster_home/history dagster_home/schedules dagster_home/logs
