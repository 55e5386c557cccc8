# hoso — every target bootstraps what it needs on a fresh machine.
#   make demo   set up, generate a demo province, serve it on http://127.0.0.1:8000
#   make test   set up and run the whole suite (on PostgreSQL when HOSO_DATABASE_URL says so)
#   make lint   ruff
#   make bench  benchmarks (province scale on SQLite; national scale with BENCH_PG=<url>)

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOSO := $(VENV)/bin/hoso
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha1sum | cut -c1-12)
DEMO_PEOPLE ?= 3000
# The demo's tree is Lâm Đồng's, so is its policy file (policies/lam-dong.toml).
DEMO_PROVINCE ?= lam-dong

.PHONY: setup system-deps messages demo serve test lint bench lock clean

# Debian packages the suite and the demo use; installed when missing and we are root.
system-deps:
	@scripts/system-deps

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $@

setup: system-deps $(STAMP) messages

# Compile every app's Vietnamese catalog (src/hoso/<app>/locale) into .mo files.
messages: $(STAMP)
	cd src/hoso && HOSO_DATA_DIR=$(abspath var) $(abspath $(HOSO)) compilemessages -l vi -v 0

demo: export HOSO_PROVINCE ?= $(DEMO_PROVINCE)
demo: setup
	$(HOSO) migrate --noinput -v 0
	$(HOSO) demo --people $(DEMO_PEOPLE)
	$(HOSO) pki demo
	$(HOSO) reminders schedule
	$(HOSO) db_worker --interval 5 --no-reload & worker=$$!; \
	  trap 'kill $$worker' EXIT INT TERM; \
	  $(HOSO) runserver 127.0.0.1:8000

# One worker per CPU (pytest-xdist), each on its own test database.
test: setup
	$(PY) -m pytest -n auto

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench

bench: setup
	$(PY) bench/visible_to.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(PY) bench/revisions.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(PY) bench/signing.py
	$(PY) bench/cv_pdf.py
	$(PY) bench/approvals.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(PY) bench/province_batch.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(PY) bench/search.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(PY) bench/stats.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(PY) bench/annual_report.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(PY) bench/hr_lists.py $(if $(BENCH_PG),--postgres $(BENCH_PG))

# Regenerate requirements.lock from pyproject.toml (needs network; uv is fetched into a
# throw-away venv).
lock:
	test -x /tmp/hoso-uv/bin/uv || ($(PYTHON) -m venv /tmp/hoso-uv && /tmp/hoso-uv/bin/pip install -q uv)
	/tmp/hoso-uv/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
	  --python-version 3.11 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache
