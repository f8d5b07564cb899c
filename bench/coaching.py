"""Live coaching on the simulated camera's 30 fps live view while the GUI paints: coaching
rate, frame-to-cue latency (frame produced -> cues on the GUI thread) and live-view fps,
against a naive baseline measured in the same run (both models at full live-view resolution,
synchronously per frame in the frame path). Then per-capture analysis of a 24 MP JPEG against
a naive full decode + full-resolution inference.

Targets: coaching >= 15 Hz with live view >= 29 fps; median frame-to-cue latency < 100 ms;
per-capture analysis < 250 ms.

Ends with one line, `target met: <figures>` or `target missed: <figures>`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.common import make_24mp_jpeg, median_ms, verdict  # noqa: E402
from bench.liveview import PaintCounter, run_for  # noqa: E402
from camera.listener import CameraListener, FanOut  # noqa: E402
from camera.simulated_backend import SimulatedBackend  # noqa: E402
from camera.simulated_camera import SimulatedCamera  # noqa: E402
from camera.types import LiveFrame  # noqa: E402
from camera.worker import CameraWorker  # noqa: E402
from coaching.analysis import analyze_image  # noqa: E402
from coaching.landmarks import Landmarkers  # noqa: E402
from coaching.live_coach import LiveCoach  # noqa: E402
from coaching.measurements import measure  # noqa: E402
from coaching.profiles import load_profiles  # noqa: E402
from ui.app import GIL_SWITCH_S  # noqa: E402
from ui.camera_bridge import CameraBridge  # noqa: E402
from ui.coach_bridge import CoachBridge  # noqa: E402
from ui.coach_overlay import CoachOverlay  # noqa: E402
from ui.liveview_widget import LiveViewWidget  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", 10))


class Run:
    """One measured live-view run: a painted view, the coach's states arriving on the GUI."""

    def __init__(self, extra_listener: CameraListener | None, coach: LiveCoach | None,
                 bridge: CoachBridge | None) -> None:
        self.camera = SimulatedCamera()
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
        self.bridge = bridge
        if bridge is not None:
            bridge.state_available.connect(self._state)
        listeners = [self.frames] + [x for x in (extra_listener, coach) if x is not None]
        self.worker = CameraWorker(SimulatedBackend(self.camera), self.camera.port,
                                   FanOut(*listeners))
        self.extra = extra_listener

    def _state(self) -> None:
        state = self.bridge.states.take() if self.bridge else None
        if state is not None:
            self.states += 1
            self.latencies.append((time.monotonic() - state.frame_time) * 1000)
            self.overlay.state = state
            self.widget.update()

    def measure(self, app: QApplication) -> tuple[float, float, float]:
        self.worker.start()
        self.worker.start_live_view()
        run_for(app, 2.0)
        painted0, states0 = self.painted.painted, self.states
        self.latencies.clear()
        run_for(app, SECONDS)
        fps = (self.painted.painted - painted0) / SECONDS
        rate = (self.states - states0) / SECONDS
        latency = statistics.median(self.latencies) if self.latencies else float("inf")
        if self.bridge is not None:  # no more states for this run, even if the coach goes on
            self.bridge.state_available.disconnect(self._state)
        closer = getattr(self.extra, "close", None)
        if closer is not None:
            self.worker.stop_live_view()
            self.worker._post(closer)  # models are closed on the thread that used them
        self.worker.stop()
        self.camera.shutdown()
        self.widget.close()
        return fps, rate, latency


class NaiveCoach(CameraListener):
    """Both models at full live-view resolution, run synchronously on every frame before the
    camera thread may fetch the next one."""

    def __init__(self, bridge: CoachBridge) -> None:
        self.landmarkers: Landmarkers | None = None
        self.bridge = bridge

    def close(self) -> None:
        """On the camera thread, where the models were created and used."""
        if self.landmarkers is not None:
            self.landmarkers.close()
            self.landmarkers = None

    def on_live_frame(self, frame: LiveFrame) -> None:
        from coaching.live_coach import CoachState

        if self.landmarkers is None:
            self.landmarkers = Landmarkers(video=True)
        observation = self.landmarkers.detect(frame.rgb, int(frame.timestamp * 1000))
        m = measure(observation)
        self.bridge.on_state(CoachState(frame.seq, frame.timestamp, time.monotonic(),
                                        m, (), None, None, len(observation.faces)))


def per_capture() -> tuple[float, float]:
    profile = load_profiles().get(None)
    marks = Landmarkers(video=False)
    with tempfile.TemporaryDirectory() as folder:
        path = make_24mp_jpeg(Path(folder) / "capture.jpg")

        def naive() -> None:
            rgb = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
            measure(marks.detect(rgb))

        ours_ms, _ = median_ms(lambda: analyze_image(path, marks, profile), 7)
        naive_ms, _ = median_ms(naive, 3)
    marks.close()
    return ours_ms, naive_ms


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    sys.setswitchinterval(GIL_SWITCH_S)
    bridge = CoachBridge()
    coach = LiveCoach(load_profiles().get(None), bridge.on_state, print)
    coach.start()
    ours = Run(None, coach, bridge)  # kept alive while its slot is connected
    fps, rate, latency = ours.measure(app)
    coach.stop()
    naive_bridge = CoachBridge()
    naive = NaiveCoach(naive_bridge)
    naive_run = Run(naive, None, naive_bridge)
    naive_fps, naive_rate, naive_latency = naive_run.measure(app)
    capture_ms, naive_capture_ms = per_capture()
    print(f"live coaching on 30 fps simulated live view, painted at 1280x800, {SECONDS:.0f} s:")
    print(f"  ours : coach {rate:5.1f} Hz, live view {fps:5.1f} fps, median frame-to-cue "
          f"{latency:5.1f} ms")
    print(f"  naive: coach {naive_rate:5.1f} Hz, live view {naive_fps:5.1f} fps, median "
          f"frame-to-cue {naive_latency:5.1f} ms (both models at the full 768x512 on every frame, "
          "synchronously)")
    print(f"per-capture analysis of a 24 MP JPEG: {capture_ms:.0f} ms "
          f"(naive full decode + full-size inference {naive_capture_ms:.0f} ms, "
          f"{naive_capture_ms / capture_ms:.1f}x slower)")
    met = rate >= 15 and fps >= 29 and latency < 100 and capture_ms < 250
    verdict(met, f"coach {rate:.1f} Hz (>=15; naive {naive_rate:.1f}), live view {fps:.1f} fps "
                 f"(>=29; naive {naive_fps:.1f}), latency {latency:.0f} ms (<100; naive "
                 f"{naive_latency:.0f}), capture {capture_ms:.0f} ms (<250; naive "
                 f"{naive_capture_ms:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
