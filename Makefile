# Byline: `make run` serves the demo site, `make test` runs the whole suite, `make test-fast`
# the tests that need no browser, gunicorn, nginx or PostgreSQL.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app blog
HOST ?= 127.0.0.1
PORT ?= 5000
# Every install takes the versions pinned in constraints.txt (`make lock` renews them).
PIP_INSTALL := $(BIN)/python -m pip install --quiet --constraint constraints.txt
# The suite on every core; each module's tests stay on one worker, and so do all the
# browser tests with their demo site (tests/markers.py).
XDIST ?= -n auto --dist loadscope
FAST := not browser and not live_server and not deploy and not postgresql and not slow

.PHONY: run serve test test-fast lint format install install-dev lock clean bench bench-scaling bench-import \
	bench-mailing \
	screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -e '.[dev]'
	touch $@ $(VENV)/.installed

# Byline's own modules are byte-compiled here, by the user who owns the checkout: the
# systemd unit serves it read-only, where Python could not keep what it compiles, and
# every process would compile every module again at each start.
install: $(VENV)/.installed
	$(BIN)/python -m compileall -q blog
install-dev: $(VENV)/.installed-dev
	$(BIN)/python -m compileall -q blog

# Pin what pyproject.toml asks for, on every platform, into constraints.txt, keeping the
# versions pinned already where they still fit; `make lock UPGRADE=--upgrade` takes the
# newest of everything. Commit the result: an upgrade is a change of its own.
lock: | $(BIN)/python
	test -x $(BIN)/uv || $(PIP_INSTALL) uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		$(UPGRADE) --custom-compile-command "make lock" --quiet -o constraints.txt

# The worker runs beside the dev server (mail lands in instance/outbox/); Ctrl-C stops both.
run: install
	$(FLASK) init
	$(FLASK) demo
	@echo "Serving Byline on http://$(HOST):$(PORT)/ with its worker (Ctrl-C to stop)"
	$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
		$(FLASK) run --host $(HOST) --port $(PORT)

serve: install
	$(FLASK) init
	$(BIN)/gunicorn -c gunicorn.conf.py 'blog:create_app()'

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev lint
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/python -m pytest $(XDIST) -m "$(FAST)" $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.mailing

# The worker sending a new article to 10,000 followers (docs/performance.md).
bench-mailing: install
	$(BIN)/python -m bench.mailing

bench-scaling: install
	$(BIN)/python -m bench.run --scaling

# A 10,000-post WordPress export imported into a fresh SQLite site (docs/performance.md).
bench-import: install
	$(BIN)/python -m bench.imports

screenshots: install-dev
	$(BIN)/python -m tests.browser.screenshots

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
