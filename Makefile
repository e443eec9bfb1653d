# Trellis: `make run` serves the demo locally; `make test` runs the whole suite on real services.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The suite runs against real PostgreSQL and Redis, with the application role under Row-Level
# Security (see organizations/rls.py).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/trellis
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1
TEST_APP_ROLE ?= trellis_app
TEST_LOCK ?= $(or $(TMPDIR),/tmp)/trellis-make-test.lock
# Parallel test processes (pytest-xdist), each with its own test database and Redis database
# (config/settings.py); 0 runs everything in one process.
TEST_WORKERS ?= 2

.PHONY: help install messages catalogues run test lint seed-scale bench load fuzz backup restore

help:
	@echo "make run    serve the demo at http://127.0.0.1:8000 with a Celery worker (Ctrl-C stops)"
	@echo "make test   run the test suite against PostgreSQL and Redis (PYTEST_ARGS=... to narrow)"
	@echo "make lint   ruff check"
	@echo "make fuzz   the API fuzz tests with FUZZ_EXAMPLES (default 100) examples per operation"
	@echo "make backup  pg_dump of the PostgreSQL in DATABASE_URL to backups/ (BACKUP_FILE=...)"
	@echo "make restore BACKUP_FILE=...  into DATABASE_URL, an empty database (FORCE=1: replace)"
	@echo "make seed-scale  the bench database with 50,000 members and 200 small organisations"
	@echo "make bench  benchmarks on a database of their own (BENCH_ARGS=... to choose)"
	@echo "make load   mixed-role load test against gunicorn on its own database (LOAD_ARGS=...)"

# Reinstalled only when pyproject.toml changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Compiled catalogues are not committed; compile whatever translations exist (needs gettext).
messages: install
	@if find . -path ./$(VENV) -prune -o -name '*.po' -print | grep -q .; then \
	  if command -v msgfmt >/dev/null; then \
	    $(PY) manage.py compilemessages --ignore=$(VENV) --ignore=.local -v0; \
	  else echo "gettext (msgfmt) is not installed: pages stay in English"; fi; \
	fi

# Brings the French and Spanish catalogues up to date with the sources (translations kept; new
# messages left empty for a translator). tests/test_catalogues.py extracts the same way.
catalogues: install
	$(PY) manage.py makemessages -l fr -l es --no-obsolete -v0 --ignore=.venv --ignore=.local \
	  --ignore=bench --ignore=tests --ignore='*/tests' --ignore=node_modules --ignore=static

run: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo $(if $(DEMO_LANGUAGE),--language $(DEMO_LANGUAGE))
	bin/run-local

# Runs on one machine share the test database (test_trellis) and the Redis database: take turns.
test: install messages
	@exec 9<>$(TEST_LOCK); \
	if command -v flock >/dev/null && ! flock -n 9; then \
	  echo "Another 'make test' is running here; waiting for it to finish."; flock 9; fi; \
	set -x; DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) \
	  DATABASE_APP_ROLE=$(TEST_APP_ROLE) $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup \
	  $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .

# The bench database (BENCH_DATABASE_URL, default trellis_bench) recreated and filled by
# manage.py seed_scale; SCALE_ARGS="--members 5000" for a quick one. bench and load keep it.
seed-scale: install
	$(PY) -m bench.seed_scale $(SCALE_ARGS)

# Benchmarks (bench/bench_<name>.py) on a database of their own; BENCH_ARGS="import --rows 50000".
bench: install
	$(PY) -m bench $(BENCH_ARGS)

# Load test (bench/load.py): 50 users of every role for 5 minutes against gunicorn, on its own
# database; LOAD_ARGS="--keep-db --users 10 --minutes 1".
load: install
	$(PY) -m bench.load $(LOAD_ARGS)

# The API fuzz tests (tests/test_api_fuzz.py) with many examples of every operation and a new
# random seed, on the services and variables of make test; FUZZ_EXAMPLES=1000 for a long run.
# One process, so that each test prints what it sent.
FUZZ_EXAMPLES ?= 100
fuzz:
	$(MAKE) test TEST_WORKERS=0 FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  PYTEST_ARGS="tests/test_api_fuzz.py $(PYTEST_ARGS)"

# A pg_dump (custom format) of the PostgreSQL database in DATABASE_URL, as bin/backup describes;
# restore needs an empty database unless FORCE=1. The SQLite of make run is the file db.sqlite3.
backup:
	bin/backup $(if $(BACKUP_FILE),--file "$(BACKUP_FILE)")

restore:
	@test -n "$(BACKUP_FILE)" || \
	  { echo "Which backup? make restore BACKUP_FILE=backups/trellis-....dump [FORCE=1]" >&2; exit 2; }
	bin/restore $(if $(filter 1,$(FORCE)),--force) "$(BACKUP_FILE)"
