"""The box's web service under gunicorn, never Flask's development server.

Migrations run once in the master before it forks; the app is loaded in the master
too (preload) so workers share its memory, and each worker opens its own database
connections after the fork.
"""

from __future__ import annotations

import gc
from typing import Any

from gunicorn.app.base import BaseApplication


class WebService(BaseApplication):
    """gunicorn serving the app built by webui.create_app."""

    def __init__(self, config: dict[str, Any], options: dict[str, Any] | None = None):
        self.box_config = config
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
            **(options or {}),
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from webui import create_app

        app = create_app(self.box_config)
        # Objects made before the fork stay shared: the collector no longer writes to them.
        gc.collect()
        gc.freeze()
        return app


def _post_fork(_server, worker) -> None:
    # Connections opened in the master must not be shared with the children.
    worker.app.callable.extensions["engine"].dispose(close=False)
