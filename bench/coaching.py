"""Live coaching on the simulated camera's 30 fps live view while the GUI paints, with the
models in this process (the old way, the baseline) and in the analysis processes (the app's
way), each idle and beside one CPU-bound process that the bench starts and stops itself:
live-view fps, the longest GUI stall (against this machine's idle noise floor measured in the
same run), coaching rate, frame-to-cue latency (frame produced -> cues on the GUI thread), and
the memory of all the app's processes. Then per-capture analysis of a 24 MP JPEG, both ways.

Targets, out of process: live view >= 29.5 fps idle and >= 29 fps under load; longest GUI stall
<= 20 ms above the noise floor; coach >= 20 Hz idle and >= 12 Hz under load; median
frame-to-cue < 80 ms; per-capture analysis < 250 ms.

Ends with one line, `target met: <figures>` or `target missed: <figures>`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.common import make_24mp_jpeg, median_ms, start_hog, stop_hog, verdict  # noqa: E402
from bench.liveview import PaintCounter, StallProbe, noise_floor, run_for  # noqa: E402
from camera.owner.listener import FanOut  # noqa: E402
from camera.owner.worker import CameraWorker  # noqa: E402
from camera.simulated.simulated_backend import SimulatedBackend  # noqa: E402
from camera.simulated.simulated_camera import SimulatedCamera  # noqa: E402
from coaching.landmarking.analysis_process import app_memory_mb, landmarkers_for  # noqa: E402
from coaching.landmarking.native_output import quiet_native_output  # noqa: E402
from coaching.live.live_coach import LiveCoach  # noqa: E402
from coaching.measure.profiles import load_profiles  # noqa: E402
from coaching.stills.analysis import analyze_image  # noqa: E402
from ui.app import GIL_SWITCH_S  # noqa: E402
from ui.coach.coach_bridge import CoachBridge  # noqa: E402
from ui.coach.coach_overlay import CoachOverlay  # noqa: E402
from ui.tether.camera_bridge import CameraBridge  # noqa: E402
from ui.tether.liveview_widget import LiveViewWidget  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", 10))


@dataclass(frozen=True)
class Figures:
    fps: float
    rate: float
    latency: float
    stall: float
    memory: float

    def line(self) -> str:
        return (f"live view {self.fps:5.1f} fps, longest GUI stall {self.stall:5.1f} ms, coach "
                f"{self.rate:5.1f} Hz, median frame-to-cue {self.latency:5.1f} ms, memory "
                f"{self.memory:4.0f} MB")


class Run:
    """One measured live-view run: a painted view, the coach's states arriving on the GUI."""

    def __init__(self, in_process: bool) -> None:
        self.camera = SimulatedCamera(processor_process=True)
        self.frames = CameraBridge()
        self.widget = LiveViewWidget()
        self.widget.resize(1280, 800)
        self.overlay = CoachOverlay()
        self.widget.overlays.append(self.overlay)
        self.widget.show()
        self.painted = PaintCounter(self.widget)
        self.widget.mailbox = self.frames.frames
        self.frames.frame_available.connect(self.widget.take_newest)
        self.latencies: list[float] = []
        self.states = 0
        self.bridge = CoachBridge()
        self.bridge.state_available.connect(self._state)
        self.coach = LiveCoach(load_profiles().get(None), self.bridge.on_state, print,
                               landmarkers=landmarkers_for(in_process))
        self.worker = CameraWorker(SimulatedBackend(self.camera), self.camera.port,
                                   FanOut(self.frames, self.coach))

    def window(self, opening: bool) -> None:
        """The measured window opens (True) or closes (False): for runs that count more."""

    def _state(self) -> None:
        state = self.bridge.states.take()
        if state is not None:
            self.states += 1
            self.latencies.append((time.monotonic() - state.frame_time) * 1000)
            self.overlay.state = state
            self.widget.update()

    def start(self, app: QApplication) -> None:
        """Live view and the coach running, the models loaded (up to a minute)."""
        self.coach.start()
        self.worker.start()
        self.worker.start_live_view()
        deadline = time.monotonic() + 60
        while self.states < 5 and time.monotonic() < deadline:
            run_for(app, 0.2)

    def stop(self) -> None:
        self.worker.stop_live_view()
        self.worker.stop()
        self.coach.stop()
        self.camera.shutdown()
        self.widget.close()

    def measure(self, app: QApplication) -> Figures:
        self.start(app)
        run_for(app, 1.0)
        painted0, states0 = self.painted.painted, self.states
        self.latencies.clear()
        probe = StallProbe()
        probe.start()
        began = time.monotonic()
        self.window(True)
        run_for(app, SECONDS)
        self.window(False)
        elapsed = time.monotonic() - began
        probe.timer.stop()
        figures = Figures((self.painted.painted - painted0) / elapsed,
                          (self.states - states0) / elapsed,
                          statistics.median(self.latencies) if self.latencies else float("inf"),
                          probe.worst, app_memory_mb())
        self.bridge.state_available.disconnect(self._state)
        self.stop()
        return figures


def per_capture(in_process: bool) -> float:
    profile = load_profiles().get(None)
    marks = landmarkers_for(in_process)(False)
    with tempfile.TemporaryDirectory() as folder:
        path = make_24mp_jpeg(Path(folder) / "capture.jpg")
        ours_ms, _ = median_ms(lambda: analyze_image(path, marks, profile), 7)
    marks.close()
    return ours_ms


def main() -> int:
    quiet_native_output("bench-coaching.log")   # the in-process baseline's model chatter
    app = QApplication.instance() or QApplication(sys.argv)
    sys.setswitchinterval(GIL_SWITCH_S)
    floor = noise_floor(app, 3.0).worst
    results: dict[tuple[bool, bool], Figures] = {}
    for loaded in (False, True):
        hog = start_hog() if loaded else None
        try:
            for in_process in (True, False):
                results[(in_process, loaded)] = Run(in_process).measure(app)
        finally:
            stop_hog(hog)
    capture_in, capture_out = per_capture(True), per_capture(False)
    print(f"live coaching on 30 fps simulated live view, painted at 1280x800, {SECONDS:.0f} s "
          f"each; this machine's idle GUI noise floor {floor:.1f} ms:")
    for (in_process, loaded), figures in results.items():
        where = "in this process   " if in_process else "analysis processes"
        print(f"  {where}, {'one busy process' if loaded else 'idle            '}: "
              f"{figures.line()}")
    print(f"per-capture analysis of a 24 MP JPEG: {capture_out:.0f} ms in the analysis "
          f"process, {capture_in:.0f} ms in this process")
    idle, busy = results[(False, False)], results[(False, True)]
    checks = [
        (f"idle {idle.fps:.1f} fps (>=29.5)", idle.fps >= 29.5),
        (f"loaded {busy.fps:.1f} fps (>=29)", busy.fps >= 29),
        (f"stall {max(idle.stall, busy.stall):.1f} ms (<= floor {floor:.1f} + 20)",
         max(idle.stall, busy.stall) <= floor + 20),
        (f"coach {idle.rate:.1f} Hz idle (>=20), {busy.rate:.1f} Hz loaded (>=12)",
         idle.rate >= 20 and busy.rate >= 12),
        (f"frame-to-cue {max(idle.latency, busy.latency):.0f} ms (<80)",
         max(idle.latency, busy.latency) < 80),
        (f"capture {capture_out:.0f} ms (<250)", capture_out < 250),
    ]
    base_idle, base_busy = results[(True, False)], results[(True, True)]
    baseline = (f"; in-process baseline: {base_idle.fps:.1f}/{base_busy.fps:.1f} fps, "
                f"{base_idle.rate:.1f}/{base_busy.rate:.1f} Hz, stall "
                f"{max(base_idle.stall, base_busy.stall):.1f} ms")
    verdict(all(ok for _text, ok in checks),
            "; ".join(text for text, _ok in checks) + baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
