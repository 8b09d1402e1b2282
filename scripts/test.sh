#!/usr/bin/env bash
# Set everything up, then run the linter, the format check, the import contracts
# (pyproject.toml, [tool.importlinter]) and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
