"""The box's web service under gunicorn, as `residacoeur box web` runs it over a data
folder already prepared (secrets, migrated database), with gunicorn's access log written
to a file, for tests that read every line the box logs.

    python -m tests.support.logged_box DATA_DIR ACCESS_LOG   (bind: RESIDACOEUR_BIND)
"""

from __future__ import annotations

import sys

from appliance.web_service import WebService
from core.config import load_config


def main(data_dir: str, access_log: str) -> None:
    config = load_config(overrides={"data_dir": data_dir, "workers": 2})
    WebService(config, {"accesslog": access_log}).run()


if __name__ == "__main__":
    main(*sys.argv[1:])
