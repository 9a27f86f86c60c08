# The two commands: `make run` (set up, build, serve) and `make test` (set up, test).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test build setup lint bench clean assets

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

build: setup
	$(BIN)/krm build
	$(BIN)/krm export --dumps var/dumps

run: build assets
	$(BIN)/krm stats
	$(BIN)/krm serve --host $(HOST) --port $(PORT)

# Web assets: pinned in package-lock.json, installed by npm, served from the project.
YASGUI := server/static/vendor/yasgui
CYTOSCAPE := server/static/vendor/cytoscape
assets: $(YASGUI)/yasgui.min.js

$(YASGUI)/yasgui.min.js: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(YASGUI) server/static/vendor/chartjs $(CYTOSCAPE)
	cp node_modules/@zazuko/yasgui/build/yasgui.min.js \
	   node_modules/@zazuko/yasgui/build/yasgui.min.css $(YASGUI)/
	cp node_modules/chart.js/dist/chart.umd.min.js server/static/vendor/chartjs/
	cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/cytoscape-svg/cytoscape-svg.js \
	   $(CYTOSCAPE)/
	mkdir -p server/static/vendor/d3 server/static/vendor/world-atlas
	cp node_modules/d3-array/dist/d3-array.min.js node_modules/d3-geo/dist/d3-geo.min.js \
	   node_modules/topojson-client/dist/topojson-client.min.js server/static/vendor/d3/
	cp node_modules/world-atlas/countries-110m.json node_modules/world-atlas/LICENSE \
	   server/static/vendor/world-atlas/
	touch $@

test: setup assets
	$(BIN)/ruff check .
	$(BIN)/pytest --doctest-modules kg server tests

bench: build
	$(BIN)/python bench/browse_pages.py --store var/store
	$(BIN)/python bench/sparql_bench.py --readme
	$(BIN)/python bench/network_bench.py

lint: setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
