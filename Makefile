# The commands people type. Every target installs what it needs first, so each one works on a
# fresh clone: a pinned uv bootstraps itself, then installs the locked dependencies (uv.lock).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
SYNCED := $(VENV)/.synced
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# Compile the dependencies to bytecode once, at install: otherwise every process (each scheduled
# run, each `dbt` call) compiles dbt's modules from source again wherever bytecode is not cached
# (PYTHONDONTWRITEBYTECODE, read-only installs), which costs about 1.7 s per `dbt` start-up.
export UV_COMPILE_BYTECODE := 1
export DBT_PROFILES_DIR := $(CURDIR)/dbt_project

.PHONY: help setup demo run freshness test bench docs lint clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-7s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(SYNCED): pyproject.toml uv.lock Makefile | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

setup: $(SYNCED)  ## create .venv with the locked dependencies

demo: $(SYNCED)  ## simulator + hourly runs over several simulated days, marts, published file, example queries
	$(PY) -m pipelines demo

run: $(SYNCED)  ## one scheduled run against Trackstar (ARGS="--help" for options)
	$(PY) -m pipelines run $(ARGS)

freshness: $(SYNCED)  ## dbt source freshness + per connection x function: data age at Trackstar and here
	$(PY) -m pipelines freshness

# The suite runs on every core (pytest-xdist; CI has 2): serially it takes over half an hour.
# Whole files go to a worker as it frees up, in collection order (the long end-to-end files come
# early). Test by test, xdist hands out the first quarter of the suite up front: one worker got
# most of the long tests while the other idled (1.1 of 2 cores busy on average).
# A file's tests share its module fixtures, which are built once.
TEST_WORKERS ?= auto
test: $(SYNCED)  ## the whole test suite (simulator, pipeline, dbt, end to end)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(ARGS)

# BENCH_FULL=1 adds the dbt build at 1,000,000 orders (long); ARGS="--help" lists the sizes.
bench: $(SYNCED)  ## this project vs dlt rest_api vs the floor, rate use per token, hourly dbt build
	$(PY) tests/bench/bench.py $(ARGS)

# The catalog (column types) comes from the warehouse when one exists: yours, else the demo's.
DOCS_DB = $(firstword $(wildcard $(or $(TRACKSTAR_DUCKDB_PATH),data/trackstar.duckdb) data/demo/trackstar.duckdb))
docs: $(SYNCED)  ## build the static dbt docs site into target/ (descriptions of every mart and column)
	@if [ -n "$(DOCS_DB)" ]; then \
	  TRACKSTAR_DUCKDB_PATH=$(DOCS_DB) $(VENV)/bin/dbt docs generate --project-dir . ; \
	else \
	  mkdir -p target && TRACKSTAR_DUCKDB_PATH=target/docs.duckdb $(VENV)/bin/dbt docs generate --project-dir . --empty-catalog ; \
	fi
	@echo "docs site: target/index.html (serve it with: $(VENV)/bin/dbt docs serve --project-dir . --profiles-dir dbt_project)"

lint: $(SYNCED)  ## ruff on Python, sqlfluff on the dbt models
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint models dbt_project

clean:  ## remove the virtual environments and build output (never the warehouse in data/)
	rm -rf $(VENV) $(TOOLS) target logs .pytest_cache .ruff_cache dbt_packages
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
