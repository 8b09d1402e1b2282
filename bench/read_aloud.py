"""What reading aloud costs the box: espeak-ng and ffmpeg (appliance/services/read_aloud/
voice.py) speaking typical items in French, English and Arabic, one after the other as
the media process does. CPU is the children's (the voice and the encoder), read from
getrusage; the sound's length from ffprobe.

    .venv/bin/python bench/read_aloud.py [--rounds N]

Prints a markdown table and writes bench/results/read-aloud-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from machine import REPOSITORY, machine, source_version

from appliance.services.read_aloud import voice

# A sound's length is read as the tests read it (the repository, not the package).
sys.path.insert(0, str(REPOSITORY))
from tests.support.sound import mp3_seconds

RESULTS = Path(__file__).resolve().parent / "results"
# A works notice and a news item of the demo's usual length, in each language.
ITEMS = {
    "fr": "Travaux. Coupure d'eau chaude. Du lundi 14 décembre au mardi 15 décembre. "
    "Où : Bâtiment A, tous les étages. Ce que vous devez faire : remplissez une bouteille "
    "d'eau la veille, et laissez vos robinets fermés pendant les travaux.",
    "en": "Works. Hot water cut. From Monday 14 December to Tuesday 15 December. Where: "
    "Building A, every floor. What you need to do: fill a bottle of water the day before, "
    "and keep your taps closed during the works.",
    "ar": "أشغال. قطع الماء الساخن. من الاثنين 14 ديسمبر إلى الثلاثاء 15 ديسمبر. المكان: "
    "العمارة أ، كل الطوابق. ما عليك فعله: املأ قارورة ماء في اليوم السابق، وأبقِ الصنابير "
    "مغلقة أثناء الأشغال.",
}


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = datetime.now(UTC)
    figures = {}
    for language, text in ITEMS.items():
        runs = []
        for _ in range(args.rounds):
            cpu, wall = _children_cpu(), time.monotonic()
            audio = voice.speak(text, language)
            runs.append((time.monotonic() - wall, _children_cpu() - cpu, len(audio)))
        heard = mp3_seconds(audio)
        figures[language] = {
            "words": len(text.split()),
            "wall_s": round(statistics.median(r[0] for r in runs), 3),
            "cpu_s": round(statistics.median(r[1] for r in runs), 3),
            "bytes": runs[-1][2],
            "heard_s": round(heard, 1),
        }
    result = {
        "benchmark": "read-aloud",
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_version(),
        "rounds": args.rounds,
        "languages": figures,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"read-aloud-{started.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print("| Language | Words | Wall s | CPU s | Heard s | CPU per second heard | KB |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for language, f in figures.items():
        print(
            f"| {language} | {f['words']} | {f['wall_s']} | {f['cpu_s']} | {f['heard_s']} "
            f"| {f['cpu_s'] / f['heard_s']:.3f} | {f['bytes'] / 1000:.0f} |"
        )
    print(f"\n{out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
