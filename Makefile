# Two commands: `make run` starts the bot, `make test` runs every check.
# Each sets up what it needs first: .venv, the database, the trained model.

SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
HRBOT := $(BIN)/hrbot
RASA := $(BIN)/rasa
STAMPS := var/stamps

DATA_FILES := $(shell find data/resources data/sites -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' -o -name '*.csv' \) 2>/dev/null)
MIGRATIONS := $(wildcard bot/db/migrations/versions/*.py)
TRAINING_FILES := config.yml domain.yml $(shell find data/nlu data/rules data/stories -name '*.yml' 2>/dev/null)

.PHONY: run test check install db model clean help

help:
	@echo "make run    set up everything and start the bot (Ctrl-C stops it)"
	@echo "make test   set up everything and run the whole test suite"
	@echo "make check  the quick loop: lint, format, types and the tests that need no model, bot or browser"

install: $(STAMPS)/installed
db: $(STAMPS)/database
model: $(STAMPS)/model

$(STAMPS)/installed: pyproject.toml
	@mkdir -p $(STAMPS)
	@if [ ! -x $(BIN)/python ]; then \
	    py=$$(scripts/find-python310) || exit 1; \
	    echo "Creating $(VENV) with $$py"; \
	    "$$py" -m venv $(VENV) || { echo "error: could not create $(VENV); on Debian/Ubuntu install python3.10-venv" >&2; exit 1; }; \
	fi
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' || { \
	    echo "error: $(VENV) is not Python 3.10; delete it and run make again" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Build or update the database from data/resources and the treatment directories in data/sites
# (DATABASE_URL, default var/hrbot.db).
$(STAMPS)/database: $(STAMPS)/installed $(DATA_FILES) $(MIGRATIONS)
	$(HRBOT) db upgrade
	$(HRBOT) data import data/resources --actor setup
	$(HRBOT) data import-directory data/sites
	@touch $@

# Train only when training data or config changed; otherwise reuse models/.
$(STAMPS)/model: $(STAMPS)/installed $(TRAINING_FILES)
	$(RASA) train --quiet --num-threads 2
	@touch $@

run: install db model
	$(HRBOT) serve

test: install db model
	bash scripts/test.sh

check: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(STAMPS) models results tests/artifacts
