# The two commands: `make run` (set up, build, serve) and `make test` (set up, test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test build setup lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: setup
	$(BIN)/krm build
	$(BIN)/krm export --dumps var/dumps

run: build
	$(BIN)/krm stats

test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest --doctest-modules kg tests

bench: build
	$(BIN)/python bench/browse_pages.py --store var/store

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
