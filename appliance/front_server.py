"""The front server (nginx from Debian) of a box, started from the box's settings.

Its configuration is written again at each start (``provisioning/front_config.py``),
then this process becomes nginx's master (``exec``), so that the service manager or the
demo's supervisor watches nginx itself, and SIGHUP reloads it: a new certificate is
taken without dropping the connections already open.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from core import box_certificate
from core.domain import lan_names, public_names
from core.storage.engine import make_engine
from link import settings
from provisioning import front_config

NGINX = "/usr/sbin/nginx"


def certificate_names(config: dict[str, Any]) -> list[str]:
    """Return the names the box's self-made certificate is for: its public name when the
    hub gave it one, its name on the building's network, and this machine's own."""
    names = []
    link_file = Path(config["data_dir"]) / settings.BOX_FILE
    if link_file.exists():
        engine = make_engine(config["database_url"])
        try:
            with engine.connect() as connection:
                name = public_names.name_of(connection, settings.read(link_file)["box_id"])
        except SQLAlchemyError:
            # Before the web service's first start has made the tables: named next time.
            name = None
        finally:
            engine.dispose()
        if name:
            names.append(name)
    local = lan_names.configured_label(config["lan_name"], config["box_name"])
    return [*names, f"{local}.local", "localhost"]


def prepare(config: dict[str, Any]) -> list[str]:
    """Write the front server's files; return the command that runs it."""
    if not Path(NGINX).exists():
        raise front_config.FrontServerError(
            f"{NGINX} is missing: install Debian's nginx-light package (scripts/setup.sh does)"
        )
    front_config.web_socket(config)
    files = front_config.front_files(config["data_dir"])
    files.folder.mkdir(parents=True, exist_ok=True)
    box_certificate.ensure_certificate(config["data_dir"], certificate_names(config))
    page = resources.files("provisioning").joinpath("front_unavailable.html").read_bytes()
    files.unavailable_page.write_bytes(page)
    text = front_config.render(
        config,
        brotli=front_config.BROTLI_MODULE.exists(),
        ipv6=Path("/proc/net/if_inet6").exists(),
    )
    files.config.write_text(text, encoding="utf-8")
    # -e: errors go to the journal from the start, before the configuration is read.
    return [NGINX, "-e", "stderr", "-p", str(files.folder), "-c", str(files.config)]


def run(config: dict[str, Any]) -> None:
    """Become the front server; return only if it cannot start."""
    command = prepare(config)
    os.execv(command[0], command)
