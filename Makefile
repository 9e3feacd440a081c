# Pedidos: `make dev` runs the whole system locally, `make test` runs every test.
# Each target installs what it needs first (venv, pip, npm; all pinned).

SHELL := /bin/bash
# The Lambda runtime is Python 3.13: use it where the machine has it, so local
# runs match production; the code also runs on 3.11+.
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13) $(shell command -v python3.13) $(shell command -v python3))
VENV := .venv
PY := $(VENV)/bin/python
CHECKOV_VENV := .tools/checkov
export PYTHONPATH := $(CURDIR)/services/shared/layer/python:$(CURDIR)/services/api:$(CURDIR)/services/worker:$(CURDIR)
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: dev test lint unit integration e2e token package redrive bench capacity install compose-parser chromium clean

dev: install
	@$(PY) -m devstack up

# Every layer in one pytest session (one local endpoint for all); the inner loop's targets below.
test: lint $(CHECKOV_VENV)/.installed compose-parser chromium
	@$(PY) -m pytest

# ruff, then mypy: strict on services/, the tests and benchmarks checked against the code they call (pyproject.toml).
lint: install
	@$(PY) -m ruff check --quiet .
	@$(PY) -m mypy

# Pure code on fakes and stubs: no socket, no server, no Node (tests/unit/conftest.py refuses the network). Seconds.
unit: install
	@$(PY) -m pytest tests/unit

# The real handlers against the local endpoint, and the packaged deployment artifacts.
integration: install $(CHECKOV_VENV)/.installed compose-parser
	@$(PY) -m pytest tests/integration tests/deployment

# Over HTTP against serverless offline, and the console in a real browser.
e2e: install chromium
	@$(PY) -m pytest tests/e2e tests/browser

# Prints one access token and nothing else: `make token SUB=alice [ADMIN=1]` signs the user
# alice in to the user pool of the running `make dev` (created, or reused with a new password).
token: install
	@$(PY) -m devstack token "$(or $(SUB),$(error give SUB=<username>))" $(if $(ADMIN),--admin)

# Pedidos against a hand-written baseline: cold start, warm latency, growth, end to end, artifacts
# (benchmarks/README.md). Options go in ARGS, e.g. `make bench ARGS="--only e2e"`.
bench: install
	@$(PY) -m benchmarks.run $(ARGS)

# Partition keys, Lambda concurrency and SQS rates at 5,000 orders a second, from a replay of the real code
# (docs/capacity.md). Options go in ARGS, e.g. `make capacity ARGS="--orders 1000"`.
capacity: install
	@$(PY) -m benchmarks.capacity $(ARGS)

# Moves the local dead-letter queue back to the orders queue (`make dev` must be running).
# For a deployed stage: .venv/bin/python -m ops.redrive --stage <stage>
redrive: install
	@$(PY) -m devstack redrive

# The deployment artifacts of every service, as `serverless deploy` would upload them.
package: install
	@$(PY) -m infra.packaging --stage $(or $(STAGE),prod) --python $(PYTHON)

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements-dev.txt constraints.txt services/shared/requirements.txt
	@echo "Installing Python packages into $(VENV) with $(PYTHON)..." >&2
	@$(PYTHON) -m venv $(VENV) >&2
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt >&2
	@touch $@

# docker-compose.yml is checked with a real compose parser (no engine needed);
# Debian's docker-compose is one, and installs where it is missing (as root).
compose-parser:
	@command -v docker-compose >/dev/null || { echo "Installing docker-compose (Debian)..." >&2; \
		apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >&2; }

# The browser tests drive Debian's chromium (Playwright never downloads one): installed
# here where this is Debian and we are root, otherwise the exact command is printed.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
chromium:
	@test -x /usr/bin/chromium || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then echo "Installing chromium (Debian)..." >&2; \
			apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2; \
		else echo "The browser tests need Debian's chromium: run  sudo apt-get update && sudo apt-get install -y chromium" >&2; exit 1; fi; }

# checkov pins its own boto3: it gets an environment of its own.
$(CHECKOV_VENV)/.installed: tools/checkov-requirements.txt tools/checkov-constraints.txt
	@echo "Installing checkov into $(CHECKOV_VENV)..." >&2
	@$(PYTHON) -m venv $(CHECKOV_VENV) >&2
	@$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tools/checkov-requirements.txt -c tools/checkov-constraints.txt >&2
	@touch $@

# npm ci runs package.json's postinstall (devstack/offline_fix.py), as the Dockerfile's
# does; the venv leads PATH so that its python3 runs it where the machine has none on PATH.
node_modules/.installed: package.json package-lock.json devstack/offline_fix.py $(VENV)/.installed
	@echo "Installing the Serverless Framework and plugins (npm ci)..." >&2
	@PATH="$(CURDIR)/$(VENV)/bin:$$PATH" npm ci --no-audit --no-fund --loglevel=error >&2
	@touch $@

clean:
	rm -rf $(VENV) .tools node_modules .local .pytest_cache .serverless services/*/.serverless
