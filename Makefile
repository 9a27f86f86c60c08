# The two commands: `make run` (set up, build, serve) and `make test` (set up, test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test build setup lint bench clean vendor

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: setup vendor
	$(BIN)/krm build
	$(BIN)/krm export --dumps var/dumps

run: build
	$(BIN)/krm stats

test: setup vendor
	$(BIN)/ruff check .
	$(BIN)/pytest --doctest-modules kg tests

bench: build
	$(BIN)/python bench/browse_pages.py --store var/store
	$(BIN)/python bench/network_bench.py

lint: setup
	$(BIN)/ruff check .

# Web assets from npm (package-lock.json pins them), served locally: no CDN.
VENDOR := server/static/vendor
vendor: $(VENDOR)/cytoscape/.installed

$(VENDOR)/cytoscape/.installed: package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p $(VENDOR)/cytoscape
	cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape-svg/cytoscape-svg.js \
	   $(VENDOR)/cytoscape/
	touch $@

clean:
	rm -rf $(VENV) var
