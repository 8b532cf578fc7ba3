# Volunteer Bank. `make run` and `make test` set themselves up on a fresh machine.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEV_INSTALLED := $(VENV)/.installed-dev

.PHONY: run test lint format setup messages worker beat web clean bench bench-assign bench-pages bench-impact

# Runtime packages only (requirements.txt): what `make run`, `make web` and a server need.
$(INSTALLED): requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# Tests and lint add requirements-dev.txt (pytest, Playwright, schemathesis, ruff, djLint...).
$(DEV_INSTALLED): $(INSTALLED) requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(INSTALLED)
	$(PY) manage.py compile_catalogues
	$(PY) manage.py migrate --noinput -v 0

run: setup
	$(PY) manage.py load_demo
	PORT=$(PORT) $(PY) manage.py serve --port $(PORT)

lint: $(DEV_INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint --quiet
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run -v 0

test: $(DEV_INSTALLED) setup lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

format: $(DEV_INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Extract new strings into locale/ar (needs GNU gettext), then translate them.
messages: $(INSTALLED)
	$(PY) manage.py makemessages -l ar --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compile_catalogues

# The production-like stack (see README): PostgreSQL and Redis from DATABASE_URL and REDIS_URL.
web: setup
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-volunteerbank.settings.production} $(PY) manage.py collectstatic --noinput -v 0
	PORT=$(PORT) $(VENV)/bin/gunicorn volunteerbank.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile -
worker: $(INSTALLED)
	$(VENV)/bin/celery -A volunteerbank worker -l info -Q default,matching,notifications
beat: $(INSTALLED)
	$(VENV)/bin/celery -A volunteerbank beat -l info

# Matching benchmark on the PostgreSQL of DATABASE_URL (a throw-away <name>_bench database).
SIZE ?= 100000
bench: $(DEV_INSTALLED) setup
	$(PY) manage.py bench_matching --size $(SIZE)

# Greedy need-by-need matching against the global assignment, in a simulated week (no database).
bench-assign: $(INSTALLED)
	$(PY) manage.py bench_assignment

# Public pages under load (gunicorn + wrk) at SIZE open cases, in a throw-away <name>_pagesbench database.
bench-pages: $(DEV_INSTALLED) setup
	$(PY) manage.py bench_pages --size $(SIZE)

# Impact page and /api/v1/stats/ at 1,000,000 attendance records and 50,000 cases (a throw-away <name>_impactbench database).
bench-impact: $(DEV_INSTALLED) setup
	$(PY) manage.py bench_impact

clean:
	rm -rf var/static tests/artifacts
