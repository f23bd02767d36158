# One entry point: `make run` (demo site) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test serve lint format bench migrations-check install clean backup restore lock audit system-deps font-check

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Exact versions and hashes from requirements.lock (`make lock` after editing pyproject.toml).
# Re-install only when the lock changes, so a second `make run` is fast.
$(STAMP): requirements.lock pyproject.toml | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

# Tools that are not part of the application live in their own environment.
TOOLS := .venv-tools
$(TOOLS)/bin/pip-audit:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet pip-tools pip-audit

lock: $(TOOLS)/bin/pip-audit
	$(TOOLS)/bin/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

# Known vulnerabilities in the locked dependencies (needs the PyPI or OSV vulnerability service).
audit: $(TOOLS)/bin/pip-audit
	$(TOOLS)/bin/pip-audit --strict --require-hashes --disable-pip --progress-spinner off -r requirements.lock

install: $(STAMP)

# Debian packages the project needs beside Python: the font embedded in official documents
# (fonts-noto-cjk), pdffonts for their tests (poppler-utils) and the browser for e2e tests.
SYSTEM_PACKAGES := fonts-noto-cjk poppler-utils chromium
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES)

# The documents cannot be printed without their font: install it on a fresh machine (Debian's
# package), or say what is missing before anything starts.
FONT_FILE = $${PDF_FONT_FILE:-/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc}
font-check:
	@test -f "$(FONT_FILE)" || $(MAKE) --no-print-directory system-deps || true
	@test -f "$(FONT_FILE)" || { \
	  echo "缺少正式文书字体：请运行 make system-deps（安装 fonts-noto-cjk）或设置 PDF_FONT_FILE。"; exit 1; }

run: $(STAMP) font-check
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py load_demo --if-empty
	DEBUG=1 $(PY) manage.py ensure_demo_superuser
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) font-check
	DEBUG=1 $(PY) -m pytest $(PYTEST_ARGS)

serve: $(STAMP) font-check
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
	rm -rf $(VENV) $(TOOLS) staticfiles .pytest_cache
