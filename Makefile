# Two commands do all the set-up on a fresh machine (Python 3.11, no conda):
#   make lab    - JupyterLab on notebooks/00-start-here.ipynb, at http://127.0.0.1:8888
#   make test   - the whole suite (unit, data, notebooks under nbval, browser)
# Each makes .venv with the pinned stack (requirements.txt) if it is missing or stale.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Jupyter refuses to run as root without this (containers, CI machines).
ROOTFLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help lab present lite lite-serve lite-deps test test-fast lint browser-deps clean

help:
	@echo "make lab      open the notebooks in JupyterLab (127.0.0.1:$(PORT))"
	@echo "make present  the clinician session view (Voila, code hidden)"
	@echo "make lite     the kit as an offline JupyterLite site in site-lite/ (runs in any browser)"
	@echo "make lite-serve  serve site-lite/ on 127.0.0.1:$(LITE_PORT)"
	@echo "make test     the whole test suite"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# Lab and Voila settings for this venv: no news or update checks (nothing leaves the machine).
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	$(BIN)/python -m pip check
	touch $(STAMP)

# jupyter/jupyter_server_config.py: notebooks are saved without outputs or widget state (git stays clean).
lab: $(STAMP)
	cd notebooks && ../$(BIN)/jupyter lab 00-start-here.ipynb --config=../jupyter/jupyter_server_config.py \
	  --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) --ServerApp.root_dir=. $(ROOTFLAG)

# The session view on http://127.0.0.1:$(PRESENT_PORT); handouts go to ~/sciatica-edu-handouts
# unless HANDOUTS=folder is given. Stop it with Ctrl+C.
PRESENT_PORT ?= 8866
present: $(STAMP)
	$(BIN)/sciatica-edu present --port $(PRESENT_PORT) $(if $(HANDOUTS),--handouts "$(HANDOUTS)") $(if $(LOCALE),--locale $(LOCALE))

# The kit in any browser: an offline JupyterLite site in site-lite/ (sciatica_edu/lite/, docs/lite.md).
# The first build downloads its pinned parts into .cache/lite (PyPI, and npm for the Pyodide core); later
# builds are offline. Copy site-lite/ to any static web server, or try it with `make lite-serve`.
LITE_PORT ?= 8000
lite: $(STAMP) lite-deps
	$(BIN)/sciatica-edu lite --out site-lite

lite-serve: $(STAMP)
	@test -f site-lite/jupyter-lite.json || $(MAKE) lite
	$(BIN)/sciatica-edu lite-serve --site site-lite --port $(LITE_PORT)

# npm fetches the Pyodide core once (lite/npm.txt); CI installs Debian's npm if it is missing.
lite-deps:
	@if ! command -v npm >/dev/null && [ ! -f .cache/lite/pyodide-$$(sed -n 's/^pyodide@\([0-9.]*\) .*/\1/p' lite/npm.txt).tgz ]; then \
	  if [ "$${CI:-}" = "true" ] || [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian's npm to fetch the Pyodide core once"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "no npm: the JupyterLite build needs it once (sudo apt-get install -y npm)"; fi; \
	fi

# Debian's Chromium for the browser tests; Firefox ESR and WebKitGTK (Safari's engine, its WebDriver and a virtual
# display) for the JupyterLite site's (tests/browser/firefox.py, webkit.py); poppler-utils' pdftotext reads the
# printed handout's PDF (test_handout_print_size.py). CI installs what is missing, elsewhere the tests say how.
BROWSER_DEPS_MISSING = $(if $(wildcard /usr/bin/chromium),,chromium) $(if $(wildcard /usr/bin/firefox-esr),,firefox-esr) \
  $(if $(wildcard /usr/bin/WebKitWebDriver),,webkit2gtk-driver) $(if $(wildcard /usr/bin/Xvfb),,xvfb) \
  $(if $(wildcard /usr/bin/pdftotext),,poppler-utils)
browser-deps:
	@missing="$(strip $(BROWSER_DEPS_MISSING))"; if [ -n "$$missing" ]; then \
	  if [ "$${CI:-}" = "true" ] || [ "$$(id -u)" = "0" ]; then \
	    echo "installing Debian's $$missing for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "no $$missing: its browser tests will skip (sudo apt-get install -y $$missing)"; fi; \
	fi

# Each notebook runs once: nbval first, in the course export's mode (--export-mode, see conftest.py), keeping every
# run that passed in build/executed; then tests/, whose exported_site fixture exports from those runs (a notebook
# changed since, or a run that failed, is run again by the export). JupyterLab's plain display is covered by the
# browser tests (notebooks 03 and 08 in Lab, 10 in Voila); `pytest --nbval-lax notebooks` runs all of them plain.
test: $(STAMP) browser-deps lite-deps
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest --export-mode --nbval-lax --nbval-cell-timeout=120 -p no:cacheprovider notebooks
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow and not browser"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache .import_linter_cache test-artefacts site site-lite
