# The whole command surface of the project. `make help` lists every target.
# A newcomer needs two: `make run` (chat with the bot) and `make test` (what CI runs).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

# No message may leave the machine: Rasa's telemetry and error reports stay off in every process.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1
# Values endpoints.yml reads; bot/tools/serve.py overrides them per stack.
export ACTION_PORT ?= 5055
export TRACKER_DB ?= var/tracker.db

PYTHON ?= $(shell command -v python3.11 || command -v python3.10)
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(PY) -m rasa
PYTEST := $(PY) -m pytest

PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SPACY := build/spacy_en/meta.json
MODEL := models/bot.tar.gz
TRAIN_DATA := data/nlu data/rules data/stories
TRAIN_INPUTS := config.yml domain.yml $(shell find $(TRAIN_DATA) -name '*.yml' 2>/dev/null) \
                $(wildcard bot/runtime/components/*.py) bot/runtime/policies.py

.PHONY: help system-deps install train validate run serve shell test test-fast test-unit test-stories lint eval crossval \
        bench soak purge clean scale-deps scale-up scale-down test-scale

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------------------------- install
install: $(PY_STAMP) $(NODE_STAMP) $(SPACY) ## venv from the locks, npm packages, spaCy pipeline (skips what is current)

$(PY_STAMP): requirements/runtime.lock requirements/rasa.lock requirements/dev.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 (or 3.10) is needed"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# --no-deps: the locks are complete, so pip's resolver (which would pick numpy/scipy too new for
	# rasa on 3.11) never runs. rasa and rasa-sdk declare Python <3.11 but run on it with these pins.
	$(PY) -m pip install --quiet --no-deps -r requirements/runtime.lock -r requirements/dev.lock
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python -r requirements/rasa.lock
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed for the web page: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(SPACY): $(PY_STAMP) bot/nlp.py
	$(PY) -m bot.nlp build

# ---------------------------------------------------------------------------------------------- train
train: install $(MODEL) ## train the model into models/ (skipped when data and config are unchanged)

$(MODEL): $(PY_STAMP) $(SPACY) $(TRAIN_INPUTS)
	$(RASA) train --config config.yml --domain domain.yml --data $(TRAIN_DATA) \
		--out models --fixed-model-name bot
	touch $@

validate: install ## check domain, rules, stories and NLU data for conflicts (warnings fail)
	$(RASA) data validate --fail-on-warnings --config config.yml --domain domain.yml --data $(TRAIN_DATA)

# ---------------------------------------------------------------------------------------------- run
run: train ## install if needed, train if needed, then serve (the README's first command)
	@$(MAKE) serve

serve: ## action server :5055, Rasa :5005 (REST, two workers), web page and its socket.io :8080; Ctrl-C stops all
	exec $(PY) -m bot.tools.serve

shell: train ## talk to the bot in this terminal
	exec $(PY) -m bot.tools.serve --shell

# ---------------------------------------------------------------------------------------------- test
# What the tests need beyond Python and npm packages: Debian's Chromium for the browser tests (Playwright
# drives it; its own browser download fails here). Installed when missing and this is root; otherwise one
# line says what to install, before any test runs.
export BROWSER_EXECUTABLE ?= /usr/bin/chromium
USER_ID ?= $(shell id -u)
system-deps: ## Debian's Chromium for the browser tests (installed when missing, if root)
	@test -x "$(BROWSER_EXECUTABLE)" || { \
	  test "$(USER_ID)" = 0 || { echo "make test needs Chromium at $(BROWSER_EXECUTABLE): sudo apt-get install chromium (or set BROWSER_EXECUTABLE)"; exit 1; }; \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
	    || echo "apt-get reported an error; checking for Chromium anyway"; \
	  test -x "$(BROWSER_EXECUTABLE)" || { echo "Could not install chromium (apt-get install chromium)"; exit 1; }; }

test: system-deps install lint validate train test-unit test-stories eval ## lint, validate, train, pytest, conversation tests, eval gates (the README's second command; CI runs it)

lint: install ## ruff on the Python code
	$(PY) -m ruff check bot actions tests

test-fast: install ## for daily work, no training: domain, action, web and tool tests (under a minute)
	$(PYTEST) -q tests/unit tests/actions tests/web tests/tools

test-unit: system-deps install train ## pytest: unit, action, live-stack and browser tests
	$(PYTEST)

test-stories: install train ## rasa test on the conversation tests (predicted actions must match)
	$(RASA) test core --model $(MODEL) --stories tests/conversations \
		--fail-on-prediction-errors --out results/stories

# ---------------------------------------------------------------------------------------------- measure
eval: train ## held-out NLU F1 + confusion matrix, coach accuracy, crisis/abuse recall (results/eval/)
	$(PY) -m bot.tools.eval

crossval: install ## 5-fold cross-validation of the NLU pipeline on the training data (slow)
	$(PY) -m bot.tools.eval crossval

bench: train ## latency, throughput, memory, training time vs Rasa's starter bot (about 5 min)
	$(PY) -m bot.tools.bench

soak: train ## 50 concurrent conversations for SOAK_SECONDS (default 180): failures, memory, nothing lost
	$(PY) -m bot.tools.bench --soak $(SOAK_SECONDS)

SOAK_SECONDS ?= 180
# ---------------------------------------------------------------------------------------------- scale
# PostgreSQL, Redis and nginx come from Debian; installed here when missing (CI runs as root).
SCALE_PACKAGES := postgresql redis-server nginx
scale-deps:
	@command -v redis-server >/dev/null && command -v nginx >/dev/null && test -x /usr/lib/postgresql/15/bin/initdb \
		|| { apt-get update -qq && apt-get install -y -qq --no-install-recommends $(SCALE_PACKAGES); }

scale-up: train scale-deps ## PostgreSQL + Redis + actions + two Rasa servers + nginx on :8090 (Ctrl-C stops)
	exec $(PY) -m bot.tools.scale up

scale-down: ## stop a scale profile left running by an interrupted scale-up
	$(PY) -m bot.tools.scale down

test-scale: train scale-deps ## the scale profile's integration tests (starts and stops everything)
	$(PYTEST) -m scale tests/scale

RETENTION_DAYS ?= 30
purge: install ## delete conversations older than RETENTION_DAYS (default 30) from the tracker store
	$(PY) -m bot.tools.purge purge --days $(RETENTION_DAYS)

clean: ## remove the trained model, results and logs (keeps the venv and conversations)
	rm -rf models results .rasa var/log
