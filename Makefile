# Two commands do everything on a fresh machine:
#   make run   - embedded default (SQLite, Celery in-process, demo data) on http://127.0.0.1:8000
#   make test  - the whole suite on the real PostgreSQL and Redis (started if down)
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/posyandu
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: setup run test lint bench-api clean bench

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
	./scripts/system-deps.sh

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo_data
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	./scripts/system-deps.sh --with-browser
	./scripts/ensure-services.sh
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) \
		$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

# Step-2 benchmark (not a test): PostgreSQL + gunicorn on 127.0.0.1, prints req/s and latencies.
BENCH_ARGS ?= --kader 50
bench: setup
	./scripts/ensure-services.sh
	$(PY) scripts/bench_step2.py $(BENCH_ARGS)
