"""A headshot day at scale: a 200-person roster with 6 shots each (1,200 shots).

GUI: the tether window's Roster panel and the review window's Consistency report on that
session, driven as a busy desk drives them (next person at 10 Hz, picks and ratings as keys,
search typed letter by letter, the report recomputed on every change) while a GUI-thread
probe records the longest stall; the baseline is the same probe with the windows idle (this
machine's own noise), measured in the same run. Target: no stall over 50 ms at work. Opening
the 1,200-shot day in both windows is reported beside it (the review grid paints its first
screen of tiles in one go).

Delivery: 200 picks of 24 MP JPEGs delivered face-anchored (4:5 at 2048 px, the house look's
eye line and face height) against the plain delivery-JPEG export of the same files at the
same long edge, both through their real code (session.delivery.deliver and .export), in the same
run. Target: at most 1.3x the plain export's time per file.

Ends with one line, `target met: <figures>` or `target missed: <figures>`.

    python bench/headshot_day.py [--people 200] [--shots-each 6] [--files 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import make_24mp_jpeg, verdict  # noqa: E402
from bench.liveview import StallProbe, noise_floor, run_for  # noqa: E402

STALL_LIMIT_MS = 50.0
RATIO_LIMIT = 1.3


def gui_phase(folder: Path, people: int, shots_each: int
              ) -> tuple[float, float, float, float]:
    """(noise floor, longest stall while opening the session in both windows, longest stall
    with the roster and the report at work, report ms)."""
    from PySide6.QtWidgets import QApplication

    from session.store.session import open_session
    from ui.app import assemble, build_review, freeze_startup_objects
    from ui.common.settings import AppSettings
    from ui.pictures.image_loader import ImageLoader
    from ui.tether.tether_window import TetherWindow

    app = QApplication.instance() or QApplication([])
    settings = AppSettings(folder.parent / "bench.ini")
    loader = ImageLoader()
    window = TetherWindow(settings, loader)
    parts = assemble(window, coach=False, analyse=False)
    window.resize(1600, 1000)
    window.show()
    review = build_review(settings, parts.models, prefetch=False, analyse=False)
    review.window.resize(1400, 900)
    review.window.show()
    run_for(app, 1.0)
    freeze_startup_objects()                       # as the app does once its window is up
    floor = noise_floor(app, 3.0).worst
    probe = StallProbe()
    probe.start()
    parts.controller.open_session(open_session(folder))
    deadline = time.monotonic() + 30
    while not (parts.controller.model.loaded and len(parts.roster.people) == people):
        run_for(app, 0.05)
        if time.monotonic() > deadline:
            raise SystemExit("the roster did not load within 30 s")
    review.controller.open_folder(folder)
    while review.consistency.table.topLevelItemCount() != people:
        run_for(app, 0.05)
        if time.monotonic() > deadline + 30:
            raise SystemExit("the report did not fill within 30 s")
    run_for(app, 1.0)
    opening = probe.worst
    probe.stalls.clear()
    if os.environ.get("BENCH_WATCH"):
        from bench.proofing import watch_gui_thread

        watch_gui_thread(float(os.environ.get("BENCH_WATCH_S", "0.035")))
    roster, session = parts.roster, parts.controller.model
    for step in range(60):                              # the desk at work: next person…
        window.activateWindow()
        roster.next_person()
        run_for(app, 0.1)
        key = session.shots[(step * shots_each + 2) % len(session)].key
        session.press(key, "p")                         # …a pick, a rating
        session.press(key, "4")
        run_for(app, 0.05)
    for letter in "Person 1":
        roster.panel.search.setText(roster.panel.search.text() + letter)
        run_for(app, 0.08)
    roster.panel.search.setText("")
    run_for(app, 0.5)
    probe.timer.stop()
    started = time.perf_counter()
    review.consistency.recompute()
    report_ms = (time.perf_counter() - started) * 1000
    review.window.close()
    window.close()
    loader.close()
    return floor, opening, probe.worst, report_ms


def delivery_phase(work: Path, files: int) -> tuple[float, float, float, int]:
    """(plain export s per file, face-anchored delivery s per file on one thread and as the
    command line runs it, files delivered)."""
    from session.delivery.deliver import DeliverItem, DeliverOptions, deliver
    from session.delivery.export import ExportOptions, export_shots
    from session.model.live_session import Shot
    from session.people.house_look import HouseLook

    sources = work / "shoot"
    sources.mkdir()
    originals = [make_24mp_jpeg(sources / f"original_{i}.jpg", seed=i) for i in range(4)]
    paths = []
    for i in range(files):
        path = sources / f"Team day_{i + 1:04d}.jpg"
        os.link(originals[i % len(originals)], path)    # the same bytes, a file per person
        paths.append(path)
    for path in originals:
        path.unlink()
    shots = [Shot(p.name, p, (p.name,), i + 1, 0.0, str(i)) for i, p in enumerate(paths)]
    started = time.perf_counter()
    plain = export_shots(shots, "Team day", ExportOptions(work / "plain", originals=False,
                                                         jpeg=True, long_edge=2048))
    plain_s = (time.perf_counter() - started) / max(1, plain.jpegs)
    look = HouseLook(0.40, 0.30, source="bench")
    items = [DeliverItem(p, {"eye_line": 0.38 + 0.01 * (i % 5), "face_height": 0.24 +
                             0.005 * (i % 7), "face_center_x": 0.5, "head_roll_deg": 0.0},
                         f"Person {i:03d}") for i, p in enumerate(paths)]
    timings = []
    for workers in (1, min(2, os.cpu_count() or 1)):     # the GUI's, the command line's
        started = time.perf_counter()
        report = deliver(items, look, DeliverOptions(work / f"delivered-{workers}", (4, 5),
                                                     2048, workers=workers))
        timings.append((time.perf_counter() - started) / max(1, len(report.written)))
        if report.failures:
            print("delivery failures:", report.failures[:3])
    return plain_s, timings[0], timings[1], len(report.written)


def main() -> None:
    from coaching.landmarking.native_output import quiet_native_output

    quiet_native_output("bench-headshot-day.log")   # the libraries' chatter
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--shots-each", type=int, default=6)
    parser.add_argument("--files", type=int, default=200)
    args = parser.parse_args()
    from tests.team_day import make_team_day

    with tempfile.TemporaryDirectory(prefix="catchlight-headshot-") as temp:
        work = Path(temp)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        folder = work / "Team day"
        started = time.perf_counter()
        make_team_day(folder, args.people, args.shots_each, size=(480, 320))
        print(f"session: {args.people} people, {args.people * args.shots_each} shots, built in "
              f"{time.perf_counter() - started:.1f} s")
        floor, opening, stall, report_ms = gui_phase(folder, args.people, args.shots_each)
        print(f"GUI: longest stall {stall:.1f} ms with the roster and the report at work "
              f"(idle noise floor {floor:.1f} ms); report recomputed in {report_ms:.1f} ms; "
              f"opening the day in both windows stalled up to {opening:.1f} ms (the review "
              f"grid's first paint)")
        plain_s, single_s, face_s, count = delivery_phase(work, args.files)
        ratio = face_s / plain_s if plain_s else float("inf")
        single = single_s / plain_s if plain_s else float("inf")
        print(f"delivery of {count} x 24 MP: `deliver` {face_s:.3f} s per file (its default "
              f"two render threads), {single_s:.3f} s per file on one thread; plain "
              f"delivery-JPEG export {plain_s:.3f} s per file")
    figures = (f"GUI stall at work {stall:.1f} ms (limit {STALL_LIMIT_MS:.0f}, floor {floor:.1f}; "
               f"opening {opening:.1f} ms); "
               f"report {report_ms:.1f} ms for {args.people} people; deliver "
               f"{face_s:.3f} s/file = {ratio:.2f}x plain export {plain_s:.3f} s/file "
               f"(limit {RATIO_LIMIT}x; one render thread {single:.2f}x)")
    verdict(stall <= STALL_LIMIT_MS and ratio <= RATIO_LIMIT and count == args.files, figures)


if __name__ == "__main__":
    main()
