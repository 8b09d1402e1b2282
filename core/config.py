"""One configuration loader for every process, on a box or at the hub.

Settings are declared once in SETTINGS (name, default, help). Values come from the
defaults, then a TOML file, then ``RESIDACOEUR_<NAME>`` environment variables, then
explicit overrides (tests, the command line) — later sources win.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "RESIDACOEUR_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


# Public names and their certificates: the hub obtains each box's by ACME DNS-01 and
# sends it over the link (docs/ARCHITECTURE.md, "Certificates phones trust").
CERTIFICATE_SETTINGS = (
    Setting(
        "box_domain",
        "",
        "Domain under which each box gets a public name (<building>.<domain>); empty: boxes "
        "keep their self-made certificate.",
    ),
    Setting(
        "acme_directory_url",
        "https://acme-v02.api.letsencrypt.org/directory",
        "Directory of the ACME authority the hub obtains certificates from.",
    ),
    Setting(
        "acme_ca_bundle",
        "",
        "File of the authorities that vouch for the ACME server's TLS; empty: the system's.",
    ),
    Setting(
        "dns_provider",
        "",
        'Who sets the DNS-01 TXT records: "challtestsrv" (tests, demo) or a dns-lexicon '
        'provider name ("ovh", "gandi", "cloudflare"…).',
    ),
    Setting(
        "dns_credentials_file",
        "",
        "JSON file of the DNS provider's options and credentials, readable by the hub only.",
    ),
    Setting(
        "dns_wait_seconds",
        60,
        "Time for a new TXT record to reach the domain's name servers before the authority "
        "checks it, in seconds.",
    ),
    Setting(
        "certificate_renew_days",
        30,
        "A certificate is renewed when it has fewer days left than this.",
    ),
    Setting(
        "certificate_retry_seconds",
        300,
        "Wait after a first failure to obtain a certificate, doubled at each failure up to "
        "six hours, in seconds.",
    ),
    Setting(
        "certificate_check_seconds",
        60,
        "How often the hub's certificate process looks for work, in seconds.",
    ),
)

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "role", "box", 'What this installation serves: "box" (a building) or "hub" (the centre).'
    ),
    Setting("data_dir", "var/box", "Folder of the database (photos included) and secrets."),
    Setting("database_url", "", "SQLAlchemy URL; empty means SQLite in the data folder."),
    Setting(
        "static_dir",
        "",
        "Folder of the static files as served (fingerprinted, compressed); "
        "empty means static in the data folder.",
    ),
    Setting(
        "bind",
        "127.0.0.1:8000",
        "Address and port the web service listens on, or unix:PATH for a socket behind the "
        "front server.",
    ),
    # The front server (nginx, `residacoeur box front`): docs/OPERATIONS.md, "Front server".
    Setting("front_address", "", "Address the front server listens on; empty means every address."),
    Setting("http_port", 80, "Port of the front server's plain HTTP."),
    Setting("https_port", 443, "Port of the front server's HTTPS."),
    # Video rooms (`residacoeur box rooms`): docs/ARCHITECTURE.md, "Video rooms".
    Setting("room_seats", 8, "Most people at once in one video room."),
    Setting("rooms_open", 12, "Most video rooms in use at once on the box."),
    Setting("room_people", 24, "Most people in the box's video rooms at once, all rooms together."),
    Setting("video_bitrate", 500_000, "Most each person's video may send, in bits per second."),
    Setting("video_width", 640, "Widest video a person sends, in pixels."),
    Setting("video_height", 480, "Tallest video a person sends, in pixels."),
    Setting("workers", 2, "Number of gunicorn worker processes."),
    Setting("threads", 2, "Threads per gunicorn worker."),
    Setting("default_locale", "fr", "Language shown before a person chooses one."),
    Setting("timezone", "Europe/Paris", "Time zone used to show dates to people."),
    Setting("box_name", "Résidacœur", "Name shown at the top of the portal."),
    Setting(
        "portal_address",
        "",
        "Address printed on access-code letters and the lobby poster, and opened by their QR "
        "codes; empty means the one staff use to reach the box.",
    ),
    Setting(
        "max_photo_bytes", 8 * 1024 * 1024, "Largest photo accepted, in bytes, before decoding."
    ),
    # Well above three photos at their limit, so that a photo too big is refused by the
    # form itself, which keeps what the person typed, rather than by the size cap.
    Setting("max_request_bytes", 64 * 1024 * 1024, "Largest request body accepted, in bytes."),
    # A request's body must arrive within this, plus its size's time at 32 KiB/s: a slower
    # sender is cut off (webui/request_body.py).
    Setting("body_seconds", 15, "Time allowed to send a request's body, in seconds."),
    Setting("photo_max_side", 1600, "Longest side of a stored photo, in pixels."),
    # Room for the box agent to go on applying the hub's messages (2 MiB each at most) and
    # for SQLite's journal, and for a person to come and tidy: see webui/full_disk.py.
    Setting(
        "min_free_disk_bytes",
        256 * 1024 * 1024,
        "Below this much free space on the data folder's disk, photos and files are refused "
        "(and tenants' writes through the API), in bytes.",
    ),
    Setting(
        "login_attempts_per_address",
        10,
        "Failed sign-ins allowed at once per address (and per staff account from unknown "
        "devices); then one per window ÷ this.",
    ),
    Setting(
        "login_attempts_per_dwelling",
        5,
        "Failed PINs allowed at once per household member (and passwords per staff account "
        "and address, or per known device); then one per window ÷ this.",
    ),
    Setting(
        "login_window_seconds",
        900,
        "Time for the failures allowed at once to leak away, in seconds.",
    ),
    Setting("session_days", 180, "How long a tenant stays signed in on a device, in days."),
    Setting(
        "inactive_after_days",
        730,
        "A profile unused this long is anonymised; 0 never anonymises unused profiles.",
    ),
    Setting(
        "inactive_warning_days",
        30,
        "How long before anonymising an unused profile its owner is warned, in days.",
    ),
    Setting(
        "secure_cookies",
        False,
        "Mark cookies Secure on every answer (those over HTTPS always are).",
    ),
    *CERTIFICATE_SETTINGS,
    # The box found by name on the building's network (appliance/services/announce/),
    # on the front server's ports.
    Setting("lan_name", "", "Host name on the LAN, <lan_name>.local; empty: made from box_name."),
    Setting("lan_interface", "", "Interface the box is announced on; empty: all but loopback."),
)

_DEFAULTS = {s.name: s.default for s in SETTINGS}


def defaults() -> dict[str, Any]:
    """Return every setting at its default (for processes started without a file)."""
    return dict(_DEFAULTS)


ROLES = ("box", "hub")


class ConfigError(ValueError):
    """A configuration value that cannot be used."""


def _coerce(name: str, raw: Any) -> Any:
    default = _DEFAULTS[name]
    if isinstance(raw, str) and not isinstance(default, str):
        if isinstance(default, bool):
            lowered = raw.strip().lower()
            if lowered in {"1", "true", "yes", "on"}:
                return True
            if lowered in {"0", "false", "no", "off", ""}:
                return False
            raise ConfigError(f"{name}: expected true or false, got {raw!r}")
        if isinstance(default, int):
            try:
                return int(raw)
            except ValueError as exc:
                raise ConfigError(f"{name}: expected a whole number, got {raw!r}") from exc
    return raw


def load_config(
    file: str | Path | None = None,
    environ: dict[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Merge defaults, the TOML file, the environment and overrides into one dict."""
    environ = os.environ if environ is None else environ
    values = dict(_DEFAULTS)
    file = file or environ.get(ENV_PREFIX + "CONFIG")
    if file:
        with open(file, "rb") as handle:
            for key, raw in tomllib.load(handle).items():
                if key not in _DEFAULTS:
                    raise ConfigError(f"unknown setting {key!r} in {file}")
                values[key] = _coerce(key, raw)
    for name in _DEFAULTS:
        env_name = ENV_PREFIX + name.upper()
        if env_name in environ:
            values[name] = _coerce(name, environ[env_name])
    for key, raw in (overrides or {}).items():
        if key not in _DEFAULTS:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = _coerce(key, raw)
    if values["role"] not in ROLES:
        raise ConfigError(f"role: expected one of {', '.join(ROLES)}, got {values['role']!r}")
    values["data_dir"] = str(Path(values["data_dir"]).resolve())
    values["static_dir"] = str(
        Path(values["static_dir"] or Path(values["data_dir"]) / "static").resolve()
    )
    if not values["database_url"]:
        name = "hub.sqlite3" if values["role"] == "hub" else "box.sqlite3"
        values["database_url"] = f"sqlite:///{Path(values['data_dir']) / name}"
    return values
