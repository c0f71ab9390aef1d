# The two commands of the README:
#   make run    serve the app at http://127.0.0.1:8000 with a worker and beat
#   make test   lint, check and run the whole test suite
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test services bench clean

run: $(VENV)/.runtime-installed
	$(PY) scripts/dev.py run

test: $(VENV)/.dev-installed
	$(PY) scripts/dev.py test

services: $(VENV)/.runtime-installed
	$(PY) scripts/dev.py services

bench: $(VENV)/.dev-installed
	$(PY) scripts/dev.py bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Locks with hashes (see the README's "Locked dependencies"): requirements.txt is what
# production runs, requirements-local.txt adds the embedded Postgres and Redis, and
# requirements-dev.txt the test and lint tools. One pip call per target, so hash checking
# covers every package it installs.
$(VENV)/.runtime-installed: requirements.txt requirements-local.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-local.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-local.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.txt -r requirements-local.txt -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
