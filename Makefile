# hkdash: influencer-campaign ROI dashboard.
#
#   make run     set up, load the sample data if the warehouse is empty, serve the app
#   make test    set up (incl. Chromium + poppler, Java 17 + PySpark), run the test suite (lint and types included)
#   make lint    ruff (lint, format) and mypy (metrics/, warehouse/) only: what tests/test_lint.py checks
#   make bench   run the benchmark harness (make bench ARGS="...")
#   make setup   system packages + .venv only (what run/test do first)
#   make clean   remove caches and generated files (keeps .venv and the warehouse)
#   make distclean  clean + remove .venv
#
# Variables: JOBS (pytest-xdist workers, 0 = serial; default 2), PYTEST_ARGS,
# SERVE_ARGS (extra `hkdash serve` options), ARGS (for bench), HKDASH_DB (warehouse path).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
HKDASH    := $(VENV)/bin/hkdash
SAMPLE    := data/sample
JOBS      ?= 2
PYTEST_ARGS ?=
SERVE_ARGS  ?=
ARGS      ?=

.PHONY: help setup run test lint bench clean distclean

help:
	@sed -n '3,13p' Makefile | sed 's/^# \{0,1\}//'

setup:
	@bash scripts/setup.sh --for test

run:
	@bash scripts/setup.sh --for run
	@if ! $(PY) scripts/has_data.py; then \
	    echo "make run: loading the sample data set"; \
	    $(HKDASH) sample --out $(SAMPLE) && $(HKDASH) import $(SAMPLE); \
	fi
	$(HKDASH) serve $(SERVE_ARGS)

test:
	@bash scripts/setup.sh --for test --spark
	@xdist=""; \
	if [ "$(JOBS)" != 0 ] && $(PY) -c 'import xdist' 2>/dev/null; then \
	    xdist="-n $(JOBS) --dist loadgroup"; \
	fi; \
	echo "$(PY) -m pytest $$xdist $(PYTEST_ARGS)"; \
	$(PY) -m pytest $$xdist $(PYTEST_ARGS)

lint:
	@bash scripts/setup.sh --for test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

bench:
	@bash scripts/setup.sh --for run
	$(PY) -m bench $(ARGS)

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .pytest_cache .hypothesis .mypy_cache .ruff_cache build *.egg-info out bench/.cache $(SAMPLE)
	rm -f data/*.tmp*

distclean: clean
	rm -rf $(VENV)
