#!/usr/bin/env bash
# Fuzz the JSON API longer than the suite does, from random seeds: the tests of
# tests/integration/test_api_fuzz.py, sharing the time between their personas. Every
# request answered 5xx is printed with the persona, the request and the app's traceback.
#
# usage: scripts/fuzz-api.sh [minutes]    (10 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-10}
[[ $minutes =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz-api.sh [minutes]" >&2; exit 2; }
export API_FUZZ_SECONDS=$((minutes * 60))
exec .venv/bin/python -m pytest -q -s -p no:cacheprovider --tb=short tests/integration/test_api_fuzz.py
