"""A small file that describes a huge picture takes no more memory than the budget.

Each upload is re-encoded in a fresh Python process, which reports how far its peak
resident memory rose above where it stood before the photo came: the same growth a
gunicorn worker would see. The peak is the kernel's high-water mark of the process's own
memory (``VmHWM``), reset just before: ``ru_maxrss`` would also count the parent's peak,
which a child started by ``subprocess`` inherits.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from core.domain import photo_decoding

REPOSITORY = Path(__file__).resolve().parents[2]

MEASURE = """
import json, sys
from core.domain import photos
from core.domain.errors import DomainError

def kib(key):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key))

data = open(sys.argv[1], "rb").read()
with open("/proc/self/clear_refs", "w") as peak:
    peak.write("5")
rest = kib("VmRSS:")
try:
    photos.reencode(data, 1600, 8 * 1024 * 1024)
    outcome = "kept"
except DomainError as error:
    outcome = error.code
print(json.dumps({"grew_kib": kib("VmHWM:") - rest, "outcome": outcome}))
"""


def _grown_by(path: Path) -> tuple[float, str]:
    """Re-encode the file in a new process; return its memory growth in MiB and the outcome."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPOSITORY,
    )
    measured = json.loads(done.stdout)
    return measured["grew_kib"] / 1024, measured["outcome"]


def _saved(tmp_path: Path, name: str, image: Image.Image, **options) -> Path:
    out = io.BytesIO()
    image.save(out, **options)
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


# Just under the 40-megapixel cap: a few kilobytes on the wire, 160 MB decoded whole.
HUGE = (7300, 5470)


@pytest.mark.parametrize(
    ("name", "make", "options"),
    [
        ("huge.jpg", lambda: Image.new("RGB", HUGE, (200, 30, 30)), {"format": "JPEG"}),
        # The worst baseline JPEG: just under twice the stored side, decoded at full size.
        ("square.jpg", lambda: Image.new("RGB", (3199, 3199), (20, 130, 30)), {"format": "JPEG"}),
        ("huge-cmyk.jpg", lambda: Image.new("CMYK", HUGE, (0, 90, 90, 0)), {"format": "JPEG"}),
        (
            "huge-progressive.jpg",
            lambda: Image.new("RGB", HUGE, (200, 30, 30)),
            {"format": "JPEG", "progressive": True},
        ),
        ("huge.png", lambda: Image.new("RGBA", HUGE, (200, 30, 30, 128)), {"format": "PNG"}),
        ("huge.webp", lambda: Image.new("RGB", HUGE, (200, 30, 30)), {"format": "WEBP"}),
        ("huge.gif", lambda: Image.new("P", HUGE, 3), {"format": "GIF"}),
    ],
)
def test_no_upload_takes_more_memory_than_the_budget(tmp_path, name, make, options):
    path = _saved(tmp_path, name, make(), **options)
    assert path.stat().st_size < 2 * 1024 * 1024
    grew, outcome = _grown_by(path)
    assert outcome in ("kept", "photo_too_many_pixels")
    assert grew <= photo_decoding.BUDGET_MB, f"{name} took {grew:.0f} MiB ({outcome})"


@pytest.mark.parametrize("format_name", sorted(photo_decoding.WHOLE_PIXELS))
def test_a_picture_decoded_whole_at_its_cap_stays_within_the_budget(tmp_path, format_name):
    cap = photo_decoding.WHOLE_PIXELS[format_name]
    width = 4 * int((cap * 4 / 3) ** 0.5) // 4
    size = (width, cap // width)
    # The dearest mode of each: transparency, or one bit a pixel made RGB (a small BMP).
    mode = {"GIF": "P", "WEBP": "RGBA", "PNG": "RGBA", "BMP": "1"}[format_name]
    path = _saved(
        tmp_path,
        f"cap.{format_name.lower()}",
        Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else 1),
        format=format_name,
    )
    grew, outcome = _grown_by(path)
    assert outcome == "kept"
    assert grew <= photo_decoding.BUDGET_MB, f"{format_name} took {grew:.0f} MiB"


def test_a_progressive_jpeg_at_its_cap_stays_within_the_budget(tmp_path):
    # Four colours, every one at full resolution: the most coefficients libjpeg must hold.
    side = int(photo_decoding.PROGRESSIVE_PIXELS**0.5)
    path = _saved(
        tmp_path,
        "cap-progressive.jpg",
        Image.new("CMYK", (side, side), (0, 90, 90, 0)),
        format="JPEG",
        progressive=True,
        subsampling=0,
    )
    grew, outcome = _grown_by(path)
    assert outcome == "kept"
    assert grew <= photo_decoding.BUDGET_MB, f"took {grew:.0f} MiB"
