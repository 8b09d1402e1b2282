"""The web service (a box's or the hub's) under gunicorn, never Flask's development server.

Migrations run once in the master before it forks; the app is loaded in the master
too (preload) so workers share its memory, and each worker opens its own database
connections after the fork. Under systemd, the master says when the service is ready
and that it still answers (appliance/web_watchdog.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from typing import Any

from gunicorn.app.base import BaseApplication

from appliance import web_watchdog
from appliance.systemd_notify import SystemdNotifier


class WebService(BaseApplication):
    """gunicorn serving the app built by webui.create_app."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any] | None = None):
        self.box_config = config
        self.notifier = SystemdNotifier.from_environment()
        self.options = {
            "bind": config["bind"],
            "workers": config["workers"],
            "threads": config["threads"],
            "worker_class": "gthread",
            "preload_app": True,
            "accesslog": None,
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
            "post_fork": _post_fork,
            # gunicorn would believe X-Forwarded-Proto from any local client: the web
            # service decides itself whom to believe (webui/front_server.py).
            "forwarded_allow_ips": "",
            "when_ready": self._tell_systemd,
            **(options or {}),
        }
        super().__init__()

    def _tell_systemd(self, server) -> None:
        # Called in the master once it listens, before it starts the workers.
        if self.notifier.enabled:
            web_watchdog.watch(self.notifier, server.LISTENERS[0].sock)

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # gunicorn 23+ opens a control socket at one path per user: the web service
        # does not use it, and the hub's and boxes' services on one machine would collide.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self):
        from webui import create_app

        _give_big_blocks_back()
        app = create_app(self.box_config)
        # Objects made before the fork stay shared: the collector no longer writes to them.
        gc.collect()
        gc.freeze()
        return app


# glibc's mallopt() parameter, and the size from which blocks are mapped apart.
_M_MMAP_THRESHOLD = -3
_BIG_BLOCK = 1024 * 1024


def _give_big_blocks_back() -> None:
    """Serve big allocations from their own mappings, returned to the system when freed.

    Argon2 takes 16 MiB for each PIN it checks. By default glibc returns the first such
    block, then raises its threshold and keeps the next ones in the heap for good: each
    worker would hold 16 MiB more after its second sign-in. A fixed threshold stops that.
    """
    name = ctypes.util.find_library("c")
    mallopt = getattr(ctypes.CDLL(name), "mallopt", None) if name else None
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, _BIG_BLOCK)


def _post_fork(_server, worker) -> None:
    # Connections opened in the master must not be shared with the children.
    worker.app.callable.extensions["engine"].dispose(close=False)
