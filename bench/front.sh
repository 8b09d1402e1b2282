#!/bin/sh
# Benchmark of the box's front server (not a test): static files and the home page over
# HTTPS through nginx, against nginx serving the file alone and gunicorn alone, measured
# in the same run; TLS handshakes per second; the front server's memory. Figures go to
# docs/PERFORMANCE.md; raw results to bench/results/ (not versioned).
#
# Needs wrk and nginx (scripts/setup.sh installs nginx; apt-get install wrk).
# Takes about 8 minutes with the defaults (3 rounds in turns), e.g. bench/front.sh --rounds 5
set -eu
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 2; }
exec .venv/bin/python bench/front.py "$@"
