#!/usr/bin/env bash
# The whole test suite (`make test`, and so CI). Run after the Makefile has set up .venv, the database and the model.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

# PostgreSQL: the database tests run on it too when it is reachable. Start a local cluster if one is installed but stopped.
export TEST_POSTGRES_URL="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
if ! $BIN/python scripts/service_up.py postgres "$TEST_POSTGRES_URL" && command -v pg_ctlcluster >/dev/null; then
    echo "Starting the local PostgreSQL cluster..."
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
    sleep 2
fi
if $BIN/python scripts/service_up.py postgres "$TEST_POSTGRES_URL"; then
    echo "PostgreSQL reachable: database tests run on SQLite and PostgreSQL."
else
    echo "NOTE: PostgreSQL not reachable at $TEST_POSTGRES_URL: database tests run on SQLite only (PostgreSQL cases are SKIPPED)."
    export TEST_POSTGRES_URL=""
fi

# Redis: the lock store and scaled-mode tests use it. Start a local server if one is installed but not running.
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
if ! $BIN/python scripts/service_up.py redis "$TEST_REDIS_URL" && command -v redis-server >/dev/null; then
    echo "Starting a local Redis server..."
    redis-server --daemonize yes --bind 127.0.0.1 --save "" >/dev/null || true
    sleep 1
fi
if ! $BIN/python scripts/service_up.py redis "$TEST_REDIS_URL"; then
    echo "NOTE: Redis not reachable at $TEST_REDIS_URL: the lock store and scaled-mode tests are SKIPPED."
    export TEST_REDIS_URL=""
fi

scripts/ensure-chromium
scripts/ensure-haproxy
scripts/ensure-axe

echo "== ruff (lint, format) and mypy (bot/)"
$BIN/ruff check .
$BIN/ruff format --check .
$BIN/mypy

echo "== rasa data validate"
$BIN/rasa data validate --fail-on-warnings --quiet

echo "== rasa test (test stories, dialogue and NLU of each turn)"
$BIN/rasa test core --stories tests/test_stories.yml --fail-on-prediction-errors --out results/core --quiet

echo "== held-out NLU (tests/nlu): intent accuracy >= 0.95 and emergency recall 1.00, or the run fails"
$BIN/python benchmarks/nlu_eval.py --model "$(ls -t models/*.tar.gz | head -1)" --gate 2>/dev/null | grep -v "^\s*$" | grep -v "\[debug" | tail -16

echo "== pytest"
$BIN/python -m pytest "$@"
