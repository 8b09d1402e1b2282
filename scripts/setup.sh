#!/usr/bin/env bash
# Prepare a fresh Debian 12 machine (or an existing checkout) to run the box and its tests:
# system packages, the broker's rules plugin, a virtual environment with the project,
# axe-core, compiled translations.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
# The tests start their own broker from /usr/sbin, which is not on PATH for most users.
[[ -x /usr/sbin/mosquitto ]] || need_apt+=(mosquitto)
# The broker's access rules are a plugin compiled here against this Mosquitto's headers.
command -v gcc >/dev/null || need_apt+=(gcc)
[[ -f /usr/include/stdlib.h ]] || need_apt+=(libc6-dev)
[[ -f /usr/include/mosquitto_plugin.h ]] || need_apt+=(mosquitto-dev)
[[ -f /usr/include/mosquitto.h ]] || need_apt+=(libmosquitto-dev)
# Each box's front server; the brotli module serves the .br copies of static files.
[[ -x /usr/sbin/nginx ]] || need_apt+=(nginx-light)
[[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]] ||
  need_apt+=(libnginx-mod-http-brotli-static)
# The certificates' tests obtain them from a real ACME authority: Pebble and its DNS server.
[[ -x /usr/bin/pebble && -x /usr/bin/pebble-challtestsrv ]] || need_apt+=(pebble)
# The LAN announcement's tests browse with Avahi, which talks over a D-Bus bus of its own,
# between network namespaces (ip netns).
command -v avahi-browse >/dev/null || need_apt+=(avahi-utils)
[[ -x /usr/sbin/avahi-daemon ]] || need_apt+=(avahi-daemon)
command -v dbus-daemon >/dev/null || need_apt+=(dbus-daemon)
command -v ip >/dev/null || need_apt+=(iproute2)
# The box's units are judged by systemd-analyze, and the box's programs tested under
# their system-call rules with libseccomp (a dependency of systemd).
command -v systemd-analyze >/dev/null || need_apt+=(systemd)
# Access-code letters and the lobby poster: WeasyPrint lays text out with Pango (HarfBuzz
# shapes Arabic); the fonts cover French and Arabic. The tests read the PDFs back.
dpkg -s libpango-1.0-0 >/dev/null 2>&1 || need_apt+=(libpango-1.0-0)
dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || need_apt+=(libpangoft2-1.0-0)
[[ -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf ]] || need_apt+=(fonts-noto-core)
[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ]] || need_apt+=(fonts-dejavu-core)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
# The building-network test's phone trusts the demo's ACME root through an NSS database
# of its own, made with certutil.
command -v certutil >/dev/null || need_apt+=(libnss3-tools)
command -v zbarimg >/dev/null || need_apt+=(zbar-tools)
# The box reads the news aloud with its own voice, and makes the sound an MP3.
command -v espeak-ng >/dev/null || need_apt+=(espeak-ng)
command -v ffmpeg >/dev/null || need_apt+=(ffmpeg)
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

# Built again only when its source changed; provisioning/broker_plugin.py compares the hash.
# The new plugin replaces the old by a rename, so a running broker keeps the file it loaded.
rules_hash=$(sha256sum link/broker_rules.c | cut -d' ' -f1)
if [[ "$(cat build/broker_rules.sha256 2>/dev/null)" != "$rules_hash" ]]; then
  mkdir -p build
  gcc -O2 -Wall -Wextra -Werror -fPIC -shared link/broker_rules.c -o build/broker_rules.so.new
  mv build/broker_rules.so.new build/broker_rules.so
  echo "$rules_hash" > build/broker_rules.sha256
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
