# The two set-up commands of WeGO Portal (see README.md):
#   make run   - virtualenv, install, migrate, reference data, start on 127.0.0.1:$(PORT)
#   make test  - install and run the whole suite on PostgreSQL and Redis
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

# Test services: the ones on this machine unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wego
TEST_BROKER_URL ?= redis://127.0.0.1:6379/14
TEST_CACHE_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint install messages clean bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Front-end packages (package.json): served as static files, or run by the
# tests (the Nu HTML Checker). npm ci installs exactly what the lock file says.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# The .mo files are committed (a checkout serves its translations as is);
# compiling rewrites them byte for byte the same, so make run leaves the tree
# clean (tests/portal/test_repository.py fails on a .mo older than its .po).
messages: install
	cd $(CURDIR) && $(PY) manage.py compilemessages --ignore=.venv -v 0

# Links in e-mails and the sites framework (migrate copies SITE_URL into the
# Site) follow the port served on, unless SITE_URL is set.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_wego_data
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Style and layout: ruff (lint and format) and import-linter's contracts
# (imports point one way, no cycles), all configured in pyproject.toml.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

test: install messages lint
	env -u SECRET_KEY \
	DATABASE_URL=$(TEST_DATABASE_URL) \
	CELERY_BROKER_URL=$(TEST_BROKER_URL) \
	CACHE_URL=$(TEST_CACHE_URL) \
	DJANGO_ALLOW_ASYNC_UNSAFE=true \
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Load benchmark of the public pages (bench/load.py): a wego_bench_$(N)
# database with N members, gunicorn with the production settings, autocannon.
N ?= 10000
bench: install
	$(PY) bench/load.py --members $(N)

clean:
	rm -rf $(VENV) var .pytest_cache
