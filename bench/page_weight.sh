#!/bin/sh
# Benchmark of what a tenant's phone downloads (not a test): a few signed-in pages in
# French and Arabic, first with an empty cache, then seen again. Figures go to
# docs/PERFORMANCE.md; raw results to bench/results/ (not versioned).
#
# Needs Debian's chromium and the project's virtualenv (scripts/setup.sh). Takes about a
# minute. Extra arguments go to bench/page_weight.py, e.g.
#   bench/page_weight.sh --label before    # with PYTHONPATH set to another version's code
set -eu
cd "$(dirname "$0")/.."
[ -x /usr/bin/chromium ] || { echo "chromium is missing: apt-get install chromium" >&2; exit 2; }
exec .venv/bin/python bench/page_weight.py "$@"
