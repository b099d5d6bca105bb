#!/usr/bin/env bash
# Runs the whole test suite. Neo4j lifecycle is added by the Neo4j issue.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m pytest -q "$@"
