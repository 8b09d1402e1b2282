#!/usr/bin/env bash
# Gather the messages to translate from the code and templates, and add the new ones to
# each language's catalog (webui/translations/<lang>/LC_MESSAGES/messages.po).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pybabel -q extract -F babel.cfg -k N_ -k t --no-location --sort-output \
  -o webui/translations/messages.pot .
.venv/bin/pybabel -q update -i webui/translations/messages.pot -d webui/translations \
  --no-fuzzy-matching --ignore-obsolete
