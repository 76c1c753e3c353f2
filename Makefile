# blueprint: `make course` builds every design into output/, `make test` runs the checks.
# Both create or refresh the local virtual environment and install Graphviz when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: course test lint typecheck unit bench system browser mermaid excalidraw mxgraph axe clean accept fuzz

# The site is made in the build's own process, from the designs the build just prepared (see the README's website
# section): the same files `blueprint site designs --out site --from output` writes.
course: $(STAMP) system
	$(BIN)/blueprint build designs --out output --site site
	$(BIN)/blueprint schema --out output/schema.json

test: $(STAMP) system lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) system browser mermaid excalidraw mxgraph axe
	$(BIN)/python -m pytest

accept: $(STAMP) system
	BLUEPRINT_ACCEPT=1 $(BIN)/python -m pytest tests/test_cases.py
	$(BIN)/python -m generator.build.fingerprint

# Property tests at scale: 10,000 generated designs (BLUEPRINT_FUZZ_EXAMPLES to change) through validate, lint,
# plan, layout and render, plus random bytes and mutated YAML. Takes about half an hour on two cores.
fuzz: $(STAMP) system
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -p no:cacheprovider tests/test_property.py tests/test_fuzz_pipeline.py

bench: $(STAMP) system
	$(BIN)/python -m generator.bench

# The virtual environment is rebuilt whenever pyproject.toml changes.
$(STAMP): pyproject.toml
	@sh tools/need.sh venv "$(PYTHON)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# System tools the Python packages cannot bring: Graphviz (dot) and fontconfig, and the fallback fonts for
# non-Latin labels (a build works without them, printing how to install them).
system:
	@sh tools/need.sh graphviz
	@sh tools/need.sh fonts || true

# Headless Chromium for the live-preview browser test (the test says why it skips when there is none).
browser:
	@sh tools/need.sh chromium || true

# mermaid-cli, for the tests that render the Mermaid export (installed under .venv/node with npm).
mermaid: $(STAMP) browser
	@sh tools/need.sh mermaid || true

# Excalidraw's own code and the mxGraph library, for the tests that load the Excalidraw and draw.io exports in
# Chromium (installed under .venv/node with npm; Excalidraw bundled into one script with esbuild).
excalidraw: $(STAMP) browser
	@sh tools/need.sh excalidraw || true

mxgraph: $(STAMP) browser
	@sh tools/need.sh mxgraph || true

# axe-core, for the accessibility check of the course website in Chromium (installed under .venv/node with npm).
axe: $(STAMP) browser
	@sh tools/need.sh axe || true

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
