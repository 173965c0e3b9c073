# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Everything here is development: DEBUG on (the settings default to off, for production),
# unless the caller set DJANGO_DEBUG. bench and loadtest serve with their own settings.
DJANGO_DEBUG ?= 1
export DJANGO_DEBUG

.PHONY: install data run test lint messages bench bench-test loadtest clean

install: $(VENV)/.installed messages

# Reinstall whenever the pinned dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Compile the translations with Babel, so the build needs no system gettext.
messages: locale/de/LC_MESSAGES/django.mo

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d locale -D django -l $*

# Safe to run every day: the fixtures go into an empty database only (load_demo), so nothing an
# editor changed is overwritten; Kiel's data is reference data and is replaced as a whole.
data: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_kiel
	$(BIN)/python manage.py populate_history --auto

run: data
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	# No cache: CI runs make test on both databases at once, and two mypy runs writing one
	# cache crashed mypy.
	$(BIN)/mypy --cache-dir=/dev/null
	$(BIN)/python manage.py makemigrations --check --dry-run

# The harness's tests (bench/tests) run with the benchmark's settings, which alone install its
# code; the product's settings and suite (pyproject.toml's testpaths) never load it.
BENCH_TESTS := bench/tests --ds=bench.tests.settings

test: lint
	$(BIN)/pytest
	$(BIN)/pytest $(BENCH_TESTS)

bench-test: install
	$(BIN)/pytest $(BENCH_TESTS)

# The benchmark harness: gunicorn over HTTP on SQLite and PostgreSQL, sizes from BENCH_SIZES
# (see bench/run.py); results in bench/results/.
bench: install
	$(BIN)/python bench/run.py

# gunicorn under 32 connections for 30 s on the demo data and on 100k pledges; fails on any
# error (see bench/loadtest.py for LOADTEST_* and DATABASE_URL).
loadtest: install
	$(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache .mypy_cache
