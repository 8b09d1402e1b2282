#!/usr/bin/env bash
# Prepare a fresh Debian 12 machine (or an existing checkout) to run the box and its tests:
# system packages, a virtual environment with the project, axe-core, compiled translations.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# The tests start their own broker from /usr/sbin, which is not on PATH for most users.
[[ -x /usr/sbin/mosquitto ]] || need_apt+=(mosquitto)
if [[ "${RESIDACOEUR_WITH_BROWSER:-1}" == 1 ]]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v node >/dev/null || need_apt+=(nodejs)
  command -v npm >/dev/null || need_apt+=(npm)
fi
if ((${#need_apt[@]})); then
  echo "installing system packages: ${need_apt[*]}"
  SUDO=""; [[ $(id -u) == 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [[ ! -f $stamp ]]; then
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -e ".[test]"
  touch "$stamp"
fi

if [[ "${RESIDACOEUR_WITH_BROWSER:-1}" == 1 && ! -f node_modules/axe-core/axe.min.js ]]; then
  npm ci --silent --no-audit --no-fund
fi

.venv/bin/pybabel -q compile -d webui/translations -D messages
