"""Time to make the access-code letters of a large list: N letters in one PDF.

    .venv/bin/python bench/letters_pdf.py [--letters 100] [--runs 3]

Measures the letters laid out in this process (``provisioning.letter_pages.write_pdf``) and
the whole ``residacoeur box print-letters`` command as the web service starts it: a new
process, its imports, the batch read on standard input, the PDF written to a private
file. A third of the letters are in French, a third in English, a third in Arabic, each
with its building's caretaker and mediator cards.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

from machine import REPOSITORY, machine, source_version

from core.domain import letter_batches
from provisioning import letter_pages, letters
from webui.i18n import catalog

BUILDING = {"name": "Bâtiment A", "address": "12 rue des Lilas, 13014 Marseille"}
CONTACTS = [
    {
        "role": "caretaker",
        "name": "Fatima Benali",
        "place": "Loge, rez-de-chaussée, escalier 1",
        "hours": "Du lundi au vendredi, 8 h – 12 h\nMardi et jeudi, 14 h – 17 h",
        "phone": "04 91 00 00 01",
    },
    {"role": "mediator", "name": "Karim", "place": "Local associatif", "hours": "Mercredi"},
]


def _batch(count: int) -> dict:
    languages = ("fr", "en", "ar")
    return letters.batch(
        "Résidence Les Lilas",
        "portail.lilas.example",
        "/welcome",
        date.today(),
        [
            letters.letter(
                f"A-{number:03d}",
                BUILDING,
                f"K7QM-4RZT-{number:04d}",
                languages[number % 3],
                CONTACTS,
            )
            for number in range(count)
        ],
    )


def in_process(batch: dict) -> tuple[float, int]:
    target = io.BytesIO()
    began = time.perf_counter()
    letter_pages.write_pdf(batch, target, catalog)
    return time.perf_counter() - began, len(target.getvalue())


def as_command(batch: dict) -> float:
    with tempfile.TemporaryDirectory() as data_dir:
        batch_id = letter_batches.begin(data_dir, "bench", len(batch["letters"]))
        command = [str(REPOSITORY / ".venv" / "bin" / "residacoeur"), "box", "print-letters"]
        began = time.perf_counter()
        subprocess.run(
            [*command, "--data-dir", data_dir, "--batch", batch_id],
            input=json.dumps(batch).encode(),
            check=True,
        )
        elapsed = time.perf_counter() - began
        assert (Path(data_dir) / letter_batches.FOLDER / batch_id / "letters.pdf").is_file()
        return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    batch = _batch(arguments.letters)
    in_process(_batch(3))  # fonts and catalogs found once, as in a process that made some
    made = [in_process(batch) for _ in range(arguments.runs)]
    commands = [as_command(batch) for _ in range(arguments.runs)]
    print(
        json.dumps(
            {
                "letters": arguments.letters,
                "runs": arguments.runs,
                "in_process_seconds": [round(seconds, 2) for seconds, _size in made],
                "in_process_median_seconds": round(statistics.median(s for s, _ in made), 2),
                "command_seconds": [round(seconds, 2) for seconds in commands],
                "command_median_seconds": round(statistics.median(commands), 2),
                "pdf_bytes": made[0][1],
                "peak_rss_mib_in_process": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
                "machine": machine(),
                "source": source_version(),
                "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
