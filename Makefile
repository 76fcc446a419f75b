# One-command set-up on a fresh machine: `make run` (embedded demo) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# What the test runner (tests/run_suite.py) reads: pytest-django makes test_<name> on this
# server and drops it afterwards; the Redis database is flushed by the broker tests.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1:8000
RESET_ADMIN ?=

.PHONY: venv run test lint typecheck pytest pytest-pg pytest-sqlite bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

## The embedded demo: SQLite, tasks in-process, seeds loaded, admin and API on $(HOST)
## (HOST=0.0.0.0:8000 to serve others; RESET_ADMIN=1 for a new demo admin password).
run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_setup --host $(HOST) $(if $(RESET_ADMIN),--reset-password)
	$(PY) manage.py runserver $(HOST)

## Everything: lint, types, the suite on PostgreSQL + Redis (when they answer) and on SQLite.
test: venv lint typecheck pytest

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck:
	$(VENV)/bin/mypy .

pytest:
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) TEST_REDIS_URL=$(TEST_REDIS_URL) $(PY) tests/run_suite.py

## Benchmarks (figures, not tests): replay, pipeline and api need PostgreSQL and redis-server
## on the PATH; each works in a scratch database (test_<name>) and starts its own processes.
BENCH_DB_URL ?= postgres://postgres@127.0.0.1:5432/tracker_benchmarks
bench: venv
	DATABASE_URL=$(BENCH_DB_URL) $(PY) manage.py bench store
	$(PY) manage.py bench classify
	DATABASE_URL=$(BENCH_DB_URL) $(PY) manage.py bench replay
	DATABASE_URL=$(BENCH_DB_URL) $(PY) manage.py bench pipeline
	DATABASE_URL=$(BENCH_DB_URL) $(PY) manage.py bench api
	DATABASE_URL=$(BENCH_DB_URL) $(PY) manage.py bench export
	DATABASE_URL=$(BENCH_DB_URL) $(PY) manage.py bench stream

clean:
	rm -rf $(VENV) tracker.sqlite3 .demo-admin-password staticfiles .pytest_cache .mypy_cache .ruff_cache
