#!/usr/bin/env bash
# Set everything up, then run the demo estate in the foreground (Ctrl-C to stop).
# Extra arguments go to `residacoeur demo`, e.g. --port 8080 --data-dir /tmp/estate.
set -euo pipefail
cd "$(dirname "$0")/.."
RESIDACOEUR_WITH_BROWSER=0 scripts/setup.sh
exec .venv/bin/residacoeur demo "$@"
