# One entry point: `make run` (demo site) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test serve lint format bench migrations-check install clean backup restore

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Re-install only when pyproject.toml changes, so a second `make run` is fast.
$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo --if-empty
	DEBUG=1 $(PY) manage.py ensure_demo_superuser
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	DEBUG=1 $(PY) -m pytest $(PYTEST_ARGS)

serve: $(STAMP)
	@test -n "$$SECRET_KEY" || { echo "SECRET_KEY 未设置：生产模式拒绝启动。"; exit 1; }
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py portal.wsgi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(STAMP)
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

# Needs PostgreSQL and Redis on 127.0.0.1 (as in CI) and wrk from Debian.
bench: $(STAMP)
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(PY) bench/run.py $(BENCH_ARGS)

# Database content and uploads into backups/<timestamp>/; restore into an empty database.
backup: $(STAMP)
	$(PY) manage.py backup

restore: $(STAMP)
	$(PY) manage.py restore $(or $(BACKUP),latest)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
