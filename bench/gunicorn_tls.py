"""gunicorn alone over HTTPS, for bench/front.py: the web service as `residacoeur box web`
runs it, with gunicorn's own TLS (its certfile and keyfile options) on the box's
certificate. Not a way the box runs: the baseline the front server replaces.

    .venv/bin/python bench/gunicorn_tls.py <data dir> <port> <workers>
"""

import sys

from appliance.web_service import WebService
from core import box_certificate
from core.config import load_config

data_dir, port, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
config = load_config(
    None, overrides={"data_dir": data_dir, "bind": f"127.0.0.1:{port}", "workers": workers}
)
WebService(
    config,
    {
        "certfile": str(box_certificate.chain_path(data_dir)),
        "keyfile": str(box_certificate.key_path(data_dir)),
    },
).run()
