"""Access-code letters: the only place a code appears in clear, printed once, never kept.

Freshly issued codes become one PDF, a page per dwelling, in the language chosen for the
households (``provisioning/letters.py``). A few letters are made at once; more are made
by a process of its own (``residacoeur box print-letters``), never inside the web
worker, while the staff page shows how far it is. The PDF stays in a private file of
the data folder until the staff member who asked downloads it, once, or for an hour
(``core/domain/letter_batches.py``). Codes never appear in an address or a log: they go
to the process on its standard input, and the answers carry ``no-store``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

from flask import (
    Response,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from core.domain import letter_batches, roles
from core.domain.clock import utcnow
from core.domain.people import LOCALES
from provisioning import letters
from webui.access import SIGN_IN_PATH
from webui.auth import staff_required
from webui.database import db
from webui.portal_address import portal_address
from webui.staff import blueprint

# Up to this many letters (the process's start and a second here, twice that on a
# Pi-class box), the page waits for the PDF.
AT_ONCE = 10
# Past this, the letters process is stuck and the worker must not wait with it: reading
# its batch takes it a moment, making a few letters some seconds.
HAND_OVER_SECONDS = 30
FEW_SECONDS = 60


def letter_locale(fallback: str | None = None) -> str:
    """Return the letters' language chosen in the form, else ``fallback``, else the box's."""
    chosen = request.form.get("letter_locale", "")
    if chosen in LOCALES:
        return chosen
    return fallback or current_app.config["RESIDACOEUR"]["default_locale"]


def print_issued(issued: list[dict[str, Any]], locale: str) -> Response:
    """Begin the letters of freshly issued codes (reference, building_name, code) and send
    the staff member to the page where they download them."""
    config = current_app.config["RESIDACOEUR"]
    batch = letters.batch(
        config["box_name"],
        portal_address(),
        SIGN_IN_PATH,
        utcnow().date(),
        letters.for_issued(db(), issued, locale),
    )
    # The codes are kept before their letters are made: the write lock is not held while
    # pages are laid out, and no letter ever carries a code that was not kept.
    db().commit()
    data_dir = config["data_dir"]
    batch_id = letter_batches.begin(data_dir, g.staff["id"], len(issued))
    _hand_over(data_dir, batch_id, batch, wait=len(issued) <= AT_ONCE)
    return redirect(url_for("staff.letters_batch", batch_id=batch_id), 303)


def _hand_over(data_dir: str, batch_id: str, batch: dict[str, Any], wait: bool) -> None:
    """Start the letters process with the batch on its standard input (never its command
    line, which anyone on the machine may read). For a few letters, wait until they are
    made; for more, only until it has read them.

    The PDF's libraries (WeasyPrint, its fonts) stay in that process: some 40 MiB that a
    web worker would otherwise keep for good after its first letter.
    """
    command = [sys.executable, "-m", "appliance.cli", "box", "print-letters"]
    command += ["--data-dir", data_dir, "--batch", batch_id]
    process = subprocess.Popen(
        command if wait else [*command, "--detach"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.communicate(
            json.dumps(batch).encode(), timeout=FEW_SECONDS if wait else HAND_OVER_SECONDS
        )
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        letter_batches.note_failure(data_dir, batch_id)


@blueprint.get("/letters/<batch_id>")
@staff_required(roles.MANAGE_DWELLINGS)
def letters_batch(batch_id: str):
    """How far the letters are, then the button to download them."""
    state = letter_batches.state(
        current_app.config["RESIDACOEUR"]["data_dir"], batch_id, g.staff["id"]
    )
    response = make_response(render_template("staff/letters.html", batch_id=batch_id, state=state))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/letters/<batch_id>/pdf")
@staff_required(roles.MANAGE_DWELLINGS)
def download_letters(batch_id: str):
    """Give the PDF to the staff member who asked for it; it is deleted as it leaves."""
    handle = letter_batches.take(
        current_app.config["RESIDACOEUR"]["data_dir"], batch_id, g.staff["id"]
    )
    response = send_file(
        handle,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"letters-{utcnow():%Y-%m-%d-%H%M}.pdf",
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"
    return response
