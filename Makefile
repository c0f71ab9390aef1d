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

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
