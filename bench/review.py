"""Review speed on a 2,000-shot session of distinct 24 MP JPEGs (copies of a few portraits
with sensor grain, each with its own EXIF timestamp, so every file is distinct content and
the content-keyed cache cannot make copies free), catalogued as Catchlight stores them.

Phases, each in a fresh process with the image files evicted from the OS page cache:
  cold   empty thumbnail cache: time to a usable grid (every tile on screen has its
         thumbnail) and to a full cache (every shot thumbnailed);
  warm   the same session again: time to a usable grid;
  loupe  next shot in the loupe at a photographer's pace (one press every 0.4 s), timed
         from the key to the new picture painted, with prefetch and, as the baseline,
         without;
and a naive baseline measured in the same run: full decode of each file (timed on a sample,
scaled to the session). Peak resident memory is sampled throughout every phase.

Targets: warm open < 1.5 s, cold fill < 60 s, loupe next p90 < 50 ms, RSS < 1.5 GB.
Ends with one line, `target met: <figures>` or `target missed: <figures>`.

    python bench/review.py [--shots 2000] [--data DIR]   (DIR is kept for reuse)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WINDOW = (1400, 900)
STEPS = 30


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def evict(folder: Path) -> None:
    """Drop the session's files from the OS page cache (clean pages only, hence the sync)."""
    os.sync()
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


def make_data(folder: Path, shots: int) -> None:
    from tests.sample_session import make_session

    if (folder / "catalog.sqlite").is_file() and len(list(folder.glob("*.jpg"))) == shots:
        return
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    make_session(folder, shots, size=(6000, 4000), variants=4, quality=92, grain=3.0,
                 name="Bench", burst_every=5)
    size = sum(p.stat().st_size for p in folder.glob("*.jpg")) / 1e9
    print(f"made {shots} files ({size:.1f} GB) in {time.perf_counter() - start:.0f} s")


def naive_per_file_s(folder: Path, sample: int = 12) -> float:
    """Full decode of a file and a thumbnail from it, as a naive browser would do."""
    from PIL import Image

    paths = sorted(folder.glob("*.jpg"))[:sample]
    times = []
    for path in paths:
        start = time.perf_counter()
        with Image.open(path) as image:
            image.convert("RGB").resize((256, 171))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --- phases (each in its own process) -------------------------------------------------------
def phase(name: str, folder: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.app import build_review
    from ui.common.settings import AppSettings

    app = QApplication.instance() or QApplication([])
    peak = [rss_mb()]
    sampler = QTimer()
    sampler.timeout.connect(lambda: peak.__setitem__(0, max(peak[0], rss_mb())))
    sampler.start(50)
    settings = AppSettings(Path(tempfile.mkdtemp()) / "s.ini")

    def wait(condition, limit: float) -> float:  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        while not condition() and time.perf_counter() - start < limit:
            app.processEvents()
            time.sleep(0.002)
        return time.perf_counter() - start

    result: dict = {}
    if name in ("cold", "warm"):
        review = build_review(settings)
        review.window.resize(*WINDOW)
        review.window.show()
        done = [0, 1]
        review.window.model.thumbs.fill_progress.connect(
            lambda d, t: done.__setitem__(slice(0, 2), [d, t]))
        start = time.perf_counter()
        review.controller.open_folder(folder)
        grid = review.window.grid
        model = review.window.model

        def usable() -> bool:
            rows = grid.visible_rows() if model.rowCount() else []
            return bool(rows) and all(model.has_thumbnail(model.shots[r].name) for r in rows)

        wait(usable, 120)
        result["usable_s"] = time.perf_counter() - start
        result["tiles"] = len(grid.visible_rows())
        if name == "cold":
            wait(lambda: done[0] >= done[1] > 1, 600)
            result["fill_s"] = time.perf_counter() - start
        # scroll through the whole grid, as a photographer skimming the session
        bar = grid.verticalScrollBar()
        scroll_start = time.perf_counter()
        for value in range(0, bar.maximum() + 1, max(1, bar.pageStep())):
            bar.setValue(value)
            app.processEvents()
        result["scroll_s"] = time.perf_counter() - scroll_start
        review.window.close()
    else:
        for prefetch in (True, False):
            key = "prefetch" if prefetch else "no_prefetch"
            result[key] = loupe_steps(app, settings, folder, prefetch, wait)
    sampler.stop()
    result["peak_rss_mb"] = max(peak[0], rss_mb())
    return result


def loupe_steps(app, settings, folder: Path, prefetch: bool, wait) -> dict:  # type: ignore[no-untyped-def]
    """Step through the loupe at a photographer's pace; key-to-painted times."""
    from ui.app import build_review

    review = build_review(settings, prefetch=prefetch)
    review.window.resize(*WINDOW)
    review.window.show()
    opened: list[int] = []
    review.controller.opened.connect(lambda _folder, count: opened.append(count))
    review.controller.open_folder(folder)
    wait(lambda: bool(opened), 60)
    shown: dict[str, float] = {}
    review.controller.panel_shown.connect(
        lambda path, _full: shown.setdefault(path, time.perf_counter()))
    review.controller.set_mode("loupe")
    wait(lambda: len(shown) > 0, 10)
    times = []
    for _step in range(STEPS):
        wait(lambda: False, 0.4)                  # the photographer looks
        target = str(review.controller.model.shots[review.window.grid.current_row() + 1].path)
        start = time.perf_counter()
        review.controller.step(1)
        wait(lambda path=target: path in shown, 10)
        review.window.panels.views[0].repaint()     # until the pixels are painted
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    review.window.close()
    app.processEvents()
    return {"median_ms": statistics.median(times), "p90_ms": times[int(len(times) * 0.9) - 1],
            "max_ms": times[-1]}


def run_phase(name: str, folder: Path, cache: Path) -> dict:
    evict(folder)
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, __file__, "--phase", name, "--data", str(folder)],
                         env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    from coaching.landmarking.native_output import quiet_native_output

    quiet_native_output("bench-review.log")   # the libraries' chatter
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=int, default=2000)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--phase", choices=("cold", "warm", "loupe"))
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.data)))
        return 0
    keep = args.data is not None
    folder = args.data or Path(tempfile.mkdtemp(prefix="catchlight-review-bench-")) / "session"
    cache = Path(tempfile.mkdtemp(prefix="catchlight-review-cache-"))
    try:
        make_data(folder, args.shots)
        naive = naive_per_file_s(folder)
        cold = run_phase("cold", folder, cache)
        warm = run_phase("warm", folder, cache)
        loupe = run_phase("loupe", folder, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not keep:
            shutil.rmtree(folder.parent, ignore_errors=True)
    naive_fill = naive * args.shots
    naive_open = naive * cold["tiles"]
    peak = max(cold["peak_rss_mb"], warm["peak_rss_mb"], loupe["peak_rss_mb"])
    with_pf, without = loupe["prefetch"], loupe["no_prefetch"]
    print(f"naive full decode: {naive * 1000:.0f} ms/file -> fill {naive_fill:.0f} s, "
          f"first screen ({cold['tiles']} tiles) {naive_open:.1f} s")
    print(f"cold: usable grid {cold['usable_s']:.2f} s, full cache {cold['fill_s']:.1f} s, "
          f"scroll through {cold['scroll_s']:.2f} s, peak RSS {cold['peak_rss_mb']:.0f} MB")
    print(f"warm: usable grid {warm['usable_s']:.2f} s, scroll through {warm['scroll_s']:.2f} s,"
          f" peak RSS {warm['peak_rss_mb']:.0f} MB")
    print(f"loupe next: prefetch median {with_pf['median_ms']:.1f} ms p90 "
          f"{with_pf['p90_ms']:.1f} ms max {with_pf['max_ms']:.1f} ms; without prefetch median "
          f"{without['median_ms']:.0f} ms p90 {without['p90_ms']:.0f} ms; peak RSS "
          f"{loupe['peak_rss_mb']:.0f} MB")
    met = (warm["usable_s"] < 1.5 and cold["fill_s"] < 60 and with_pf["p90_ms"] < 50
           and peak < 1536)
    from bench.common import verdict

    verdict(met, f"warm open {warm['usable_s']:.2f} s (<1.5; naive {naive_open:.1f} s, "
                 f"{naive_open / warm['usable_s']:.0f}x), cold fill {cold['fill_s']:.1f} s "
                 f"(<60; naive {naive_fill:.0f} s, {naive_fill / cold['fill_s']:.1f}x), "
                 f"loupe next p90 {with_pf['p90_ms']:.1f} ms (<50; without prefetch "
                 f"{without['p90_ms']:.0f} ms), peak RSS {peak:.0f} MB (<1536), "
                 f"{args.shots} shots")
    return 0


if __name__ == "__main__":
    sys.exit(main())
