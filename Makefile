# The README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
UV := uv
RUN := $(UV) run --frozen
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo sysdeps install uv messages compilemessages migrate test lint check-messages run worker bench bench-load clean

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv \
		|| python3 -m pip install --quiet --user --break-system-packages uv

sysdeps:
	@bash .ci/debian-packages

install: uv sysdeps
	@$(UV) sync --frozen --quiet
	@# Bytecode ahead of time (decision 0265): where PYTHONDONTWRITEBYTECODE is set, as on these
	@# machines, every process otherwise compiles pandas, Django and the rest from source again
	@# (about 2 s of CPU per process). Up-to-date files are skipped; a few packages ship files
	@# that are not meant to compile, hence the ignored exit status.
	@$(RUN) python -m compileall -q -j 0 "$$($(RUN) python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" selfscan >/dev/null 2>&1 || true

compilemessages: install
	$(RUN) python manage.py compilemessages --ignore=.venv -v 0

migrate: install compilemessages
	$(RUN) python manage.py migrate --no-input -v 0

demo: migrate
	$(RUN) python manage.py load_demo
	@echo "Zelfscan draait op http://$(HOST):$(PORT)/  (stoppen met Ctrl+C)"
	$(RUN) python manage.py runserver $(HOST):$(PORT) --noreload

run: migrate
	$(RUN) python manage.py runserver $(HOST):$(PORT)

test: install compilemessages
	$(RUN) pytest $(PYTEST_ARGS)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy .
	$(MAKE) --no-print-directory check-messages

# Extract messages for Dutch and English; commit the .po files (the .mo files are built).
messages: install
	$(RUN) python manage.py makemessages -l en --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=benchmarks --ignore=tests

# Fails when a user-facing string is not yet in the .po files.
check-messages: install
	@mkdir -p var && cp locale/en/LC_MESSAGES/django.po var/django.po.committed
	@$(RUN) python manage.py makemessages -l en --no-location --no-obsolete --ignore=.venv --ignore=var --ignore=benchmarks --ignore=tests -v 0
	@cp locale/en/LC_MESSAGES/django.po var/django.po.extracted
	@cp var/django.po.committed locale/en/LC_MESSAGES/django.po
	@$(RUN) python .ci/check_messages.py var/django.po.committed var/django.po.extracted

worker: install
	$(RUN) celery -A selfscan worker --beat --loglevel=info

bench: migrate
	$(RUN) python benchmarks/run.py

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache test-artifacts
	find . -name '*.mo' -not -path './.venv/*' -delete

# The deadline-rush load benchmark (locust, headless, loopback only; a few minutes).
bench-load: install compilemessages
	$(RUN) python benchmarks/load/run.py $(BENCH_LOAD_ARGS)
