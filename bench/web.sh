#!/bin/sh
# Benchmark of the box's web service (not a test): a signed-in tenant's home page and
# report list under wrk, against a baseline measured in the same run. Figures go to
# docs/PERFORMANCE.md; raw results to bench/results/ (not versioned).
#
# Needs wrk (Debian package "wrk": apt-get install wrk) and the project's virtualenv.
# Takes about 6 minutes with the defaults. Extra arguments go to bench/web.py, e.g.
#   bench/web.sh --workers 3 --threads 1 --seconds 30
#   bench/web.sh --quiet-load 1.5     # wait until other work on the machine calms down
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
exec .venv/bin/python bench/web.py "$@"
