#!/bin/sh
# Benchmark of the video rooms (not a test): the box's forwarding beside Janus 1.1's
# VideoRoom, the same bots and clip in the same run (bench/rooms.py). Figures go to
# docs/PERFORMANCE.md; raw results to bench/results/ (not versioned).
#
# Needs ffmpeg and janus from Debian: apt-get install ffmpeg janus
# Takes about 6 minutes with the defaults, e.g. bench/rooms.sh --sizes 3 4 6 8 --rounds 2
set -eu
cd "$(dirname "$0")/.."
for tool in ffmpeg janus; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install $tool" >&2; exit 2; }
done
exec .venv/bin/python -m bench.rooms "$@"
