# Kinerja: the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
# On machines with pyenv the default python3 may be older: prefer a python3.12 on PATH.
PY312 := $(shell python3.12 -c 'import sys; print(sys.executable)' 2>/dev/null)
ifneq ($(PY312),)
export UV_PYTHON ?= $(PY312)
endif
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
RUN := $(UV) run --frozen --no-sync
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: help uv install install-dev assets messages run test lint types migrations-check pytest e2e bench clean

help:
	@echo "make run   - install everything, migrate, load demo data once, serve http://127.0.0.1:8000"
	@echo "make test  - lint, types, migrations check and the full test suite"

uv:
	@$(UV) --version >/dev/null 2>&1 || { echo "Installing uv…"; $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv; }

install: uv assets
	$(UV) sync --frozen --no-dev
	@$(MAKE) --no-print-directory messages

install-dev: uv assets
	$(UV) sync --frozen
	@$(MAKE) --no-print-directory messages

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

assets: node_modules/.package-lock.json
	@mkdir -p var/assets/vendor
	@cp node_modules/@picocss/pico/css/pico.min.css var/assets/vendor/pico.min.css

messages:
	@DEBUG=true $(RUN) python manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: install
	DEBUG=true $(RUN) python manage.py migrate --no-input -v 0
	DEBUG=true $(RUN) python manage.py seed_demo --if-empty
	DEBUG=true $(RUN) python manage.py runserver 127.0.0.1:8000

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

types:
	KINERJA_TESTING=true $(RUN) mypy .

migrations-check:
	KINERJA_TESTING=true $(RUN) python manage.py makemigrations --check --dry-run

# Two workers (pytest-xdist): the suite is CPU-bound; each worker gets its own test database.
PYTEST_WORKERS ?= 2
pytest:
	KINERJA_TESTING=true $(RUN) pytest -q -n $(PYTEST_WORKERS)

test: install-dev lint types migrations-check pytest

e2e: install-dev
	KINERJA_TESTING=true $(RUN) pytest -q tests/e2e

bench: install-dev
	$(RUN) python bench/run.py

clean:
	rm -rf var/assets var/staticfiles .venv node_modules
