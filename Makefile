# Two commands do everything (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint install clean-db mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

## Install, build the demo store on first run, open the dashboard.
demo: $(VENV)/.installed
	$(BIN)/python -m data demo --if-empty
	$(BIN)/streamlit run dashboard.py

## Install, then lint, type-check (mypy over data, geo, linking, ui: pyproject) and run every test.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean-db:
	rm -f var/brassmap.sqlite

## Mutation score of the code that must not break (issue #15); writes var/mutation.json. Not in CI.
mutation: $(STAMP)
	$(BIN)/python -m tools.mutation --max-children 2
