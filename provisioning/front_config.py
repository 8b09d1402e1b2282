"""The front server's configuration (nginx), written from the box's settings.

nginx faces the building's network: it speaks TLS and HTTP/2, serves the fingerprinted
static files from disk with their precompressed siblings, reads whole request bodies
before the web service sees them (a slow sender then holds none of gunicorn's threads),
and passes the rest to the web service on its Unix socket with the client's address in
``X-Forwarded-For``, set here and never taken from the client. Only the front server can
reach that socket, so the web service believes the header there and nowhere else
(``webui/front_server.py``).
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import box_certificate

BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
UNAVAILABLE_PAGE = "unavailable.html"
# What the web service refuses itself, with the person's draft kept, stays its own to
# refuse: nginx only cuts off bodies well past it.
BODY_MARGIN_BYTES = 1024 * 1024
# Connections one address may hold at once: a phone opens six or so, a flood no more.
CONNECTIONS_PER_ADDRESS = 64
# gunicorn gives up on a request after 60 s; nginx waits a little longer for its answer.
WEB_ANSWER_SECONDS = 75
# The video rooms' signalling stays open as long as a call.
LIVE_SECONDS = 3600
TYPES = {
    "text/html": "html",
    "text/css": "css",
    "text/plain": "txt",
    "text/calendar": "ics",
    "application/javascript": "js",
    "application/json": "json",
    "application/manifest+json": "webmanifest",
    "application/pdf": "pdf",
    "image/svg+xml": "svg",
    "image/png": "png",
    "image/jpeg": "jpg jpeg",
    "image/webp": "webp",
    "image/x-icon": "ico",
    "font/woff2": "woff2",
    "audio/ogg": "ogg opus",
    "audio/mpeg": "mp3",
    "video/mp4": "mp4",
}


class FrontServerError(ValueError):
    """Settings the front server cannot be made from."""


@dataclass(frozen=True)
class FrontFiles:
    """Where the front server keeps what it writes: configuration, pid, temporary bodies."""

    folder: Path

    @property
    def config(self) -> Path:
        return self.folder / "nginx.conf"

    @property
    def pid(self) -> Path:
        # Where core.box_certificate.reload_front_server looks for it.
        return self.folder / box_certificate.FRONT_PID_FILE.name

    @property
    def unavailable_page(self) -> Path:
        return self.folder / UNAVAILABLE_PAGE


def front_files(data_dir: str | Path) -> FrontFiles:
    return FrontFiles(Path(data_dir) / box_certificate.FRONT_PID_FILE.parent)


def web_socket(config: dict[str, Any]) -> Path:
    """Return the web service's socket, which the front server needs."""
    bind = config["bind"]
    if not bind.startswith("unix:"):
        raise FrontServerError(
            f"bind is {bind!r}: behind the front server the web service listens on a "
            'Unix socket (bind = "unix:/run/residacoeur/web.sock"), which only the front '
            "server can reach"
        )
    return Path(bind.removeprefix("unix:"))


def live_socket(config: dict[str, Any], service: str) -> Path:
    """Return the socket of one of the box's asyncio services, beside the web service's."""
    return web_socket(config).with_name(f"{service}.sock")


def render(config: dict[str, Any], *, brotli: bool, ipv6: bool) -> str:
    """Return nginx's configuration for the box's settings."""
    files = front_files(config["data_dir"])
    lines = [
        "# Written by `residacoeur box front` from the box's settings at each start:",
        "# change the settings (docs/CONFIGURATION.md), not this file.",
        "daemon off;",
        *_same_user(),
        # One worker holds thousands of connections and a building's TLS handshakes (about
        # 0.5 ms of CPU each); the cores are left to the web service, which needs them
        # (docs/PERFORMANCE.md, "The front server").
        "worker_processes 1;",
        f"pid {files.pid};",
        "error_log stderr warn;",
    ]
    if brotli:
        lines.append(f"load_module {BROTLI_MODULE};")
    lines += [
        "events { worker_connections 1024; }",
        "http {",
        *_indented(_http(config, files, brotli=brotli, ipv6=ipv6), 1),
        "}",
    ]
    return "\n".join(lines) + "\n"


def _http(config: dict[str, Any], files: FrontFiles, *, brotli: bool, ipv6: bool) -> list[str]:
    data_dir = config["data_dir"]
    types = " ".join(f"{kind} {names};" for kind, names in TYPES.items())
    lines = [
        f"types {{ {types} }}",
        "default_type application/octet-stream;",
        "server_tokens off;",
        # No log of who asked for what: a tenant's visits are nobody's record.
        "access_log off;",
        "sendfile on;",
        "tcp_nopush on;",
        "keepalive_timeout 65s;",
        "keepalive_requests 1000;",
        "client_header_timeout 15s;",
        f"client_body_timeout {config['body_seconds']}s;",
        "send_timeout 60s;",
        f"client_max_body_size {config['max_request_bytes'] + BODY_MARGIN_BYTES};",
        "client_body_buffer_size 256k;",
        *(
            f"{kind}_temp_path {files.folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        ),
        "limit_conn_zone $binary_remote_addr zone=per_address:1m;",
        f"limit_conn per_address {CONNECTIONS_PER_ADDRESS};",
        "limit_conn_status 429;",
        "gzip_vary on;",
        f"ssl_certificate {box_certificate.chain_path(data_dir)};",
        f"ssl_certificate_key {box_certificate.key_path(data_dir)};",
        "ssl_protocols TLSv1.2 TLSv1.3;",
        "ssl_prefer_server_ciphers off;",
        "ssl_session_cache shared:tls:2m;",
        "ssl_session_timeout 1d;",
        "ssl_session_tickets off;",
        f"upstream web {{ server unix:{web_socket(config)}; keepalive 16; }}",
        "map $http_upgrade $connection_upgrade { default upgrade; '' close; }",
    ]
    https = [f"listen {address} ssl http2;" for address in _addresses(config, "https_port", ipv6)]
    plain = [f"listen {address};" for address in _addresses(config, "http_port", ipv6)]
    for listen in (https, plain):
        lines += ["server {", *_indented([*listen, *_locations(config, files, brotli)], 1), "}"]
    return lines


def _addresses(config: dict[str, Any], port_setting: str, ipv6: bool) -> list[str]:
    port = config[port_setting]
    if config["front_address"]:
        address = config["front_address"]
        return [f"[{address}]:{port}" if ":" in address else f"{address}:{port}"]
    addresses = [f"0.0.0.0:{port}"]
    if ipv6:
        addresses.append(f"[::]:{port} ipv6only=on")
    return addresses


def _locations(config: dict[str, Any], files: FrontFiles, brotli: bool) -> list[str]:
    to_web = [
        "proxy_pass http://web;",
        "proxy_http_version 1.1;",
        'proxy_set_header Connection "";',
        "proxy_set_header Host $http_host;",
        # Set here, whatever the client sent: the web service believes this one alone.
        "proxy_set_header X-Forwarded-For $remote_addr;",
        "proxy_set_header X-Forwarded-Proto $scheme;",
        'proxy_set_header X-Forwarded-Host "";',
        'proxy_set_header X-Forwarded-Port "";',
        'proxy_set_header X-Forwarded-Prefix "";',
        "proxy_connect_timeout 5s;",
        f"proxy_read_timeout {WEB_ANSWER_SECONDS}s;",
        "proxy_buffer_size 16k;",
        "proxy_buffers 16 16k;",
    ]
    fingerprinted = r'"^/static/(?<file>.+\.[0-9a-f]{12}\.[a-z0-9]+)$"'
    return [
        f"location ~ {fingerprinted} {{",
        *_indented(
            [
                f"root {config['static_dir']};",
                "try_files /$file @web;",
                "gzip_static on;",
                *(["brotli_static on;"] if brotli else []),
                'add_header Cache-Control "public, max-age=31536000, immutable";',
            ],
            1,
        ),
        "}",
        # Reserved for the box's asyncio services (video rooms' signalling).
        "location /live/rooms/ {",
        *_indented(
            [
                f"proxy_pass http://unix:{live_socket(config, 'rooms')};",
                "proxy_http_version 1.1;",
                "proxy_set_header Upgrade $http_upgrade;",
                "proxy_set_header Connection $connection_upgrade;",
                "proxy_set_header Host $http_host;",
                "proxy_set_header X-Forwarded-For $remote_addr;",
                "proxy_set_header X-Forwarded-Proto $scheme;",
                f"proxy_read_timeout {LIVE_SECONDS}s;",
            ],
            1,
        ),
        "}",
        "location / {",
        *_indented(to_web, 1),
        "}",
        "location @web {",
        *_indented(to_web, 1),
        "}",
        f"error_page 502 503 504 /{UNAVAILABLE_PAGE};",
        f"location = /{UNAVAILABLE_PAGE} {{",
        *_indented(
            [
                f"root {files.folder};",
                "internal;",
                'add_header Retry-After "30" always;',
                'add_header Cache-Control "no-store" always;',
            ],
            1,
        ),
        "}",
    ]


def _same_user() -> list[str]:
    # Started by root (the demo as root, a test), nginx would hand its workers to "nobody",
    # who can reach neither the web service's socket nor the data folder: they keep the
    # user who started it, like the web service. Under systemd it runs as the box's user.
    if os.geteuid() != 0:
        return []
    return [f"user {pwd.getpwuid(os.geteuid()).pw_name};"]


def _indented(lines: list[str], depth: int) -> list[str]:
    return [("    " * depth + line) if line else line for line in lines]
