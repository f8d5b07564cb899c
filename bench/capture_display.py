"""A 24 MP JPEG on disk to a fit-to-window image: the naive path (full decode, then resize)
against ours (embedded preview; reduced-scale DCT decode), measured in the same run.

Target: reduced-scale decode at least 2x faster than naive and under 120 ms; embedded preview
under 20 ms.

Ends with one line, `target met: <figures>` or `target missed: <figures>`.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import make_24mp_jpeg, median_ms, verdict  # noqa: E402
from media.decode.previews import decode_for_display, embedded_preview, fit_within  # noqa: E402

WINDOW = (1600, 1000)
RUNS = 15


def naive(path: Path) -> None:
    rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    fit_within(rgb, WINDOW)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = make_24mp_jpeg(Path(folder) / "bench_24mp.jpg")
        size_mb = path.stat().st_size / 1e6
        naive_ms, _ = median_ms(lambda: naive(path), RUNS)
        reduced_ms, _ = median_ms(lambda: decode_for_display(path, WINDOW), RUNS)
        embedded_ms, _ = median_ms(lambda: embedded_preview(path), RUNS)
    ratio = naive_ms / reduced_ms
    print(f"24 MP JPEG ({size_mb:.1f} MB) to a {WINDOW[0]}x{WINDOW[1]} window, median of {RUNS}:")
    print(f"  naive full decode + resize : {naive_ms:7.1f} ms")
    print(f"  reduced-scale decode       : {reduced_ms:7.1f} ms  ({ratio:.1f}x faster)")
    print(f"  embedded preview           : {embedded_ms:7.1f} ms")
    met = ratio >= 2 and reduced_ms < 120 and embedded_ms < 20
    verdict(met, f"reduced {reduced_ms:.0f} ms ({ratio:.1f}x naive {naive_ms:.0f} ms; "
                 f"needs >=2x and <120 ms), embedded {embedded_ms:.1f} ms (<20 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
