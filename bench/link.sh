#!/bin/sh
# Benchmarks of the link between boxes and the hub (not tests): the catch-up of a box's
# queued reports, the latency both ways, one hub ingest serving a thousand boxes, where
# the ingest spends its time on each message, and a box's reports while a neighbour's
# credentials flood the hub. Figures go to docs/PERFORMANCE.md; raw results to
# bench/results/ (not versioned).
#
# Needs Mosquitto 2 (/usr/sbin/mosquitto) and, for --database postgresql or both, a
# PostgreSQL server on 127.0.0.1:5432 where user "postgres" may create databases without
# a password (each run creates its own database and drops it). About 20 minutes with
# both databases. Options, passed to each benchmark:
#   --database sqlite|postgresql|both   hub database (default both)
#   --quiet-load 1.5                    first wait until other work on the machine calms down
#   --label word                        added to the result files' names
# Each benchmark also runs alone, with more options (--help):
#   .venv/bin/python -m bench.link_catch_up --reports 10000
#   .venv/bin/python -m bench.link_latency --samples 300
#   .venv/bin/python -m bench.link_fleet --boxes 1000 --report-every 0.5
#   .venv/bin/python -m bench.link_ingest_cost
#   .venv/bin/python -m bench.link_flood --reports 1000 --seconds 30 [--junk-per-s 2500]
set -eu
cd "$(dirname "$0")/.."
[ -x /usr/sbin/mosquitto ] || { echo "mosquitto is missing: apt-get install mosquitto" >&2; exit 2; }
status=0
for benchmark in link_catch_up link_latency link_fleet link_ingest_cost link_flood; do
    echo "== $benchmark" >&2
    .venv/bin/python -m "bench.$benchmark" "$@" || status=1
done
exit $status
