"""Everything on at once, as on a real day: the tether on the demo camera with live view at
30 fps painted in the window, the live coach in its analysis processes, every live aid on
(focus peaking, zebra, histogram, face meter), the client display open on the second screen,
the session shared with 20 phones (aiohttp clients in a process of their own, dropping their
connection now and then), and a capture every 1.5 s stored with fsync, read-back verification,
a verified backup and the catalog, analysed and shown on the client's screen. The same shoot
runs twice: on a quiet machine, then beside one CPU-bound process the bench starts itself.

Measured in each phase: live view fps, the longest GUI stall (against the machine's idle noise
floor, measured first in the same run), the coach's rate, capture verified on disk → shown on
the client's screen (median), and → listed on a connected phone (p95). Targets: live view
>= 29.5 fps idle and >= 29 loaded; stall <= floor + 20 ms; coach >= 20 Hz idle and >= 12 Hz
loaded; client median < 150 ms; phones p95 < 1 s. Loopback only.

Ends with one line, `target met: <figures>` or `target missed: <figures>`; run it through
`bench/repeat.py` (``make bench-all``) for the worst of 3 runs.

    python bench/everything.py [--captures 20] [--phones 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM",
                      f"offscreen:configfile={ROOT / 'tests' / 'two_screens.json'}")
sys.path.insert(0, str(ROOT))

GAP_S = 1.5
# BENCH_OFF=aids,client,phones,coach,backup: leave those parts out, to see what each costs.
OFF = set(filter(None, os.environ.get("BENCH_OFF", "").split(",")))


@dataclass(frozen=True)
class Phase:
    fps: float
    stall: float
    coach_hz: float
    client_ms: float            # median, verified on disk -> painted on the client's screen
    shown: int                  # captures that reached the client's screen
    jerks: int                  # GUI stalls longer than 25 ms (a frame missed where one shows)
    keys: tuple[str, ...]       # the captures of this phase

    def line(self) -> str:
        return (f"live view {self.fps:.1f} fps, stall {self.stall:.1f} ms, coach "
                f"{self.coach_hz:.1f} Hz, client {self.client_ms:.0f} ms ({self.shown}/"
                f"{len(self.keys)} shown), {self.jerks} stalls > 25 ms")


def timed_application():  # type: ignore[no-untyped-def]
    """BENCH_NOTIFY=<ms>: an application that prints every event delivery on the GUI thread
    that took longer than <ms> (receiver, event type, nesting), for finding stalls."""
    from PySide6.QtWidgets import QApplication

    limit = float(os.environ["BENCH_NOTIFY"]) / 1000
    depth = [0]

    class Timed(QApplication):
        def notify(self, receiver, event):  # type: ignore[no-untyped-def]
            kind = event.type()
            depth[0] += 1
            began = time.perf_counter()
            try:
                return super().notify(receiver, event)
            finally:
                depth[0] -= 1
                took = time.perf_counter() - began
                if took > limit:
                    name = receiver.objectName() or type(receiver).__name__
                    print(f"--- event {kind.name} to {name} ({type(receiver).__name__}) "
                          f"{took * 1000:.1f} ms depth {depth[0]} at {began:.3f}",
                          file=sys.stderr)

    return Timed(sys.argv)


def tether_main(work: Path, captures: int, phones: int) -> dict:
    """The whole app in this process; the phones in a child; both phases."""
    from PySide6.QtWidgets import QApplication

    from bench.common import start_hog, stop_hog
    from bench.liveview import StallProbe, noise_floor, run_for
    from bench.proofing import share_to_phones
    from camera.simulated.simulated_backend import SimulatedBackend
    from camera.simulated.simulated_camera import SimulatedCamera
    from session.store.session import create_session
    from session.store.thumb_cache import ThumbCache
    from ui.app import GIL_SWITCH_S, assemble, freeze_startup_objects
    from ui.common.settings import (
        SHOW_FACE_METER,
        SHOW_HISTOGRAM,
        SHOW_PEAKING,
        SHOW_ZEBRA,
        AppSettings,
    )
    from ui.pictures.image_loader import ImageLoader
    from ui.tether.tether_window import TetherWindow

    app = QApplication.instance() or (timed_application() if os.environ.get("BENCH_NOTIFY")
                                      else QApplication(sys.argv))
    sys.setswitchinterval(GIL_SWITCH_S)
    floor = noise_floor(app, 3.0).worst            # nothing else running yet
    settings = AppSettings(work / "settings.ini")
    for aid in (SHOW_PEAKING, SHOW_ZEBRA, SHOW_HISTOGRAM, SHOW_FACE_METER):
        settings.set(aid, "aids" not in OFF)
    loader = ImageLoader(tiles=ThumbCache())
    window = TetherWindow(settings, loader)
    parts = assemble(window, coach="coach" not in OFF, analyse=True)
    camera = SimulatedCamera(processor_process=True)
    stored: dict[str, float] = {}
    shown: dict[str, float] = {}
    states = [0]
    parts.controller.ingest_bridge.stored.connect(
        lambda result: stored.setdefault(result.paths[0].name, time.monotonic()))
    client = parts.client.client
    client.painted.connect(lambda at: shown.setdefault(Path(client.shown_path).name, at))
    if parts.coach is not None:
        parts.coach.bridge.state_available.connect(
            lambda: states.__setitem__(0, states[0] + 1))
    session = create_session("Everything bench", root=work / "sessions",
                             backup_root=None if "backup" in OFF else work / "backup")
    parts.controller.open_session(session)
    window.resize(1280, 800)
    window.show()
    parts.controller.attach_camera(SimulatedBackend(camera), camera.port)
    if "client" not in OFF:
        parts.client.open()
    deadline = time.monotonic() + 60
    while (window.live_view.frames_shown < 30 or (states[0] < 5 and parts.coach is not None)) \
            and time.monotonic() < deadline:
        run_for(app, 0.1)
    run_for(app, 2.0)
    freeze_startup_objects()                        # as the app does once its window is up
    phones = 0 if "phones" in OFF else phones
    results = work / "phones.json"
    seconds = 2 * captures * (GAP_S + 0.1) + 12
    # The phones are other devices on a real day: here they share the two cores, least urgent.
    child = share_to_phones(app, parts, phones, seconds, results, niceness=19)
    if os.environ.get("BENCH_WATCH"):               # print the GUI thread's stack when stuck
        from bench.proofing import watch_gui_thread

        watch_gui_thread(float(os.environ["BENCH_WATCH"]) / 1000)

    def shoot(loaded: bool) -> Phase:
        hog = start_hog() if loaded else None
        try:
            run_for(app, 1.0)
            before = set(stored)
            probe = StallProbe()
            probe.start()
            frames, coached = window.live_view.frames_shown, states[0]
            started = time.monotonic()
            for _ in range(captures):
                if os.environ.get("BENCH_STALLS"):
                    print(f"--- capture at {time.perf_counter():.3f}", file=sys.stderr)
                parts.controller.capture()
                run_for(app, GAP_S)
            elapsed = time.monotonic() - started
            probe.timer.stop()
            if os.environ.get("BENCH_STALLS"):       # when the longest stalls came
                began = probe.times[0] if probe.times else 0.0
                worst = sorted(zip(probe.stalls, probe.times, strict=True))[-8:]
                worst.sort(key=lambda stall: stall[1])
                print("stalls (ms at s):", ", ".join(f"{ms:.0f} at {at - began:.1f}"
                                                     for ms, at in worst), file=sys.stderr)
            fps = (window.live_view.frames_shown - frames) / elapsed
            rate = (states[0] - coached) / elapsed
            run_for(app, 1.5)                       # the last capture reaches the client
        finally:
            stop_hog(hog)
        keys = tuple(k for k in stored if k not in before)
        delays = [(shown[k] - stored[k]) * 1000 for k in keys if k in shown]
        return Phase(fps, probe.worst, rate,
                     statistics.median(delays) if delays else float("inf"), len(delays),
                     sum(1 for stall in probe.stalls if stall > 25), keys)

    if os.environ.get("BENCH_WARM"):                # a first capture before measuring
        parts.controller.capture()
        run_for(app, 4.0)
    idle = shoot(False)
    busy = shoot(True)
    run_for(app, 4.0)
    child.wait(timeout=seconds + 60)
    safe = {s.key for s in parts.controller.model.client_safe_shots()}
    window.close()
    loader.close()
    camera.shutdown()
    return {"floor": floor, "idle": idle, "busy": busy, "stored": stored, "safe": safe,
            "phones": json.loads(results.read_text()), "backup": work / "backup"}


def phone_delays(r: dict, keys: tuple[str, ...]) -> list[float]:
    """Verified on disk -> first seen live on a phone, ms, over every (shot, phone) pair."""
    phones, stored = r["phones"], r["stored"]
    return [(t - stored[name]) * 1000 for name in keys if name in r["safe"]
            for t, live in phones.get(name, []) if live]


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))] if values else float("inf")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--captures", type=int, default=20)
    parser.add_argument("--phones", type=int, default=20)
    args = parser.parse_args()
    from coaching.landmarking.native_output import quiet_native_output

    quiet_native_output("bench-everything.log")
    with tempfile.TemporaryDirectory(prefix="catchlight-everything-") as temp:
        work = Path(temp)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        os.environ["XDG_STATE_HOME"] = str(work / "state")
        r = tether_main(work, args.captures, args.phones)
        backed_up = sum(1 for p in r["backup"].rglob("*") if p.suffix.lower() == ".jpg")
    idle, busy, floor = r["idle"], r["busy"], r["floor"]
    phones_idle, phones_busy = phone_delays(r, idle.keys), phone_delays(r, busy.keys)
    print(f"everything on: {len(r['stored'])} captures ({backed_up} backed up), "
          f"{args.phones} phones; idle noise floor {floor:.1f} ms")
    print(f"  idle  : {idle.line()}, phones p95 {p95(phones_idle):.0f} ms")
    print(f"  loaded: {busy.line()}, phones p95 {p95(phones_busy):.0f} ms")
    from bench.common import verdict

    stall = max(idle.stall, busy.stall)
    client = max(idle.client_ms, busy.client_ms)
    phones = max(p95(phones_idle), p95(phones_busy))
    checks = [
        (f"live view {idle.fps:.1f} fps idle (>=29.5), {busy.fps:.1f} loaded (>=29)",
         idle.fps >= 29.5 and busy.fps >= 29),
        (f"stall {stall:.1f} ms (<= floor {floor:.1f} + 20)", stall <= floor + 20),
        (f"coach {idle.coach_hz:.1f} Hz idle (>=20), {busy.coach_hz:.1f} loaded (>=12)",
         idle.coach_hz >= 20 and busy.coach_hz >= 12),
        (f"client median {client:.0f} ms (<150)", client < 150),
        (f"phones p95 {phones:.0f} ms (<1000)", phones < 1000),
        (f"stored {len(r['stored'])} of {2 * args.captures}, backed up {backed_up}",
         len(r["stored"]) == 2 * args.captures == backed_up),
    ]
    verdict(all(ok for _text, ok in checks), "; ".join(text for text, _ok in checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
