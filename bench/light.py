"""The light coach's cost, side by side in one run:

1. The light measurements per 640 px live frame: the coach's measurements of real demo-camera
   frames with the light (face exposure, ratio, catchlights, backdrop) and without it (the
   same landmarks), median over a few hundred frames.
2. The live aids (focus peaking, zebra and the histogram, all on) on the simulated camera's
   30 fps live view while the GUI paints them and the coach runs in its analysis process:
   aids rate, live-view fps and the longest GUI stall, idle and beside one CPU-bound process
   the bench starts itself, against the same live view with the aids off in the same run.

Targets: light measurements add <= 3 ms median per frame; aids >= 15 Hz; live view with the
aids as bench/coaching.py asks (>= 29.5 fps idle, >= 29 fps loaded, longest GUI stall <= the
idle noise floor + 20 ms). Ends with `target met: ...` or `target missed: ...`.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.coaching import Figures, Run  # noqa: E402
from bench.common import start_hog, stop_hog, verdict  # noqa: E402
from bench.liveview import noise_floor  # noqa: E402
from camera.owner.listener import FanOut  # noqa: E402
from camera.owner.worker import CameraWorker  # noqa: E402
from camera.simulated.simulated_backend import SimulatedBackend  # noqa: E402
from camera.simulated.simulated_camera import SimulatedCamera  # noqa: E402
from coaching.landmarking.landmarks import Landmarkers, downscale  # noqa: E402
from coaching.landmarking.native_output import quiet_native_output  # noqa: E402
from coaching.live.live_aids import AidsChoice, LiveAids  # noqa: E402
from coaching.live.live_coach import LIVE_EDGE  # noqa: E402
from coaching.measure.measurements import measure  # noqa: E402
from media.imaging import decode  # noqa: E402
from ui.app import GIL_SWITCH_S  # noqa: E402
from ui.coach.aids_overlay import AidsOverlay  # noqa: E402
from ui.common.newest_bridge import NewestBridge  # noqa: E402

FRAMES = int(os.environ.get("BENCH_FRAMES", 240))


def light_cost_ms() -> tuple[float, float]:
    """(median ms of the measurements with the light, without), on the same frames."""
    camera = SimulatedCamera(processor_process=True)
    marks = Landmarkers(video=False, with_pose=False)
    observations = []
    try:
        for _ in range(FRAMES // 8):
            rgb = downscale(decode(camera.live_jpeg()), LIVE_EDGE)
            observation = marks.detect(rgb, run_pose=False)
            if observation.faces:
                observations.append(observation)
    finally:
        marks.close()
        camera.shutdown()
    with_light, without = [], []
    for _round in range(8):
        for observation in observations:
            bare = replace(observation, rgb=None)
            start = time.perf_counter()
            measure(observation)
            with_light.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            measure(bare)
            without.append((time.perf_counter() - start) * 1000)
    return statistics.median(with_light), statistics.median(without)


class AidsRun(Run):
    """The coaching bench's run (coach in its analysis process), with the aids on or off."""

    def __init__(self, aids_on: bool) -> None:
        super().__init__(in_process=False)
        self.aids_bridge: NewestBridge = NewestBridge()
        self.aids_bridge.available.connect(self._aids_ready)
        self.aids = LiveAids(self.aids_bridge.put)
        self.aids.set_aids(AidsChoice(aids_on, aids_on, aids_on))
        self.aids_overlay = AidsOverlay(self.overlay.mask)
        self.aids_overlay.show_marks = self.aids_overlay.show_histogram = aids_on
        self.widget.overlays.insert(0, self.aids_overlay)
        self.camera.shutdown()                    # the parent's camera, never started
        self.camera = SimulatedCamera(processor_process=True)
        self.worker = CameraWorker(SimulatedBackend(self.camera), self.camera.port,
                                   FanOut(self.frames, self.coach, self.aids))
        self.rate = 0.0
        self.compute_ms: list[float] = []
        self._mark = (0.0, 0)

    def _aids_ready(self) -> None:
        frame = self.aids_bridge.take()
        if frame is not None:
            self.compute_ms.append(frame.compute_ms)
            self.aids_overlay.set_frame(frame)
            self.widget.update()

    def window(self, opening: bool) -> None:
        if opening:
            self._mark = (time.monotonic(), self.aids.computed)
        else:
            began, computed = self._mark
            self.rate = (self.aids.computed - computed) / (time.monotonic() - began)

    def measure(self, app: QApplication) -> Figures:
        self.aids.start()
        try:
            return super().measure(app)
        finally:
            self.aids.stop()
            # A result queued after the window closed must not reach this run once it is gone.
            self.aids_bridge.available.disconnect(self._aids_ready)


def main() -> int:
    quiet_native_output("bench-light.log")
    app = QApplication.instance() or QApplication(sys.argv)
    sys.setswitchinterval(GIL_SWITCH_S)
    with_light, without = light_cost_ms()
    floor = noise_floor(app, 3.0).worst
    results: dict[tuple[bool, bool], tuple[Figures, float, float]] = {}
    runs: list[AidsRun] = []          # kept to the end: Qt may still hold queued calls to them
    for loaded in (False, True):
        hog = start_hog() if loaded else None
        try:
            for aids_on in (False, True):
                run = AidsRun(aids_on)
                runs.append(run)
                figures = run.measure(app)
                compute = statistics.median(run.compute_ms) if run.compute_ms else 0.0
                results[(aids_on, loaded)] = (figures, run.rate, compute)
        finally:
            stop_hog(hog)
    added = with_light - without
    print(f"light measurements per {LIVE_EDGE} px live frame: {with_light:.2f} ms with, "
          f"{without:.2f} ms without (median): +{added:.2f} ms")
    print(f"live aids on 30 fps simulated live view painted at 1280x800, coach in its analysis "
          f"process; idle GUI noise floor {floor:.1f} ms:")
    for (aids_on, loaded), (figures, rate, compute) in results.items():
        state = "aids on " if aids_on else "aids off"
        extra = f", aids {rate:4.1f} Hz ({compute:.1f} ms each)" if aids_on else ""
        print(f"  {state}, {'one busy process' if loaded else 'idle            '}: "
              f"{figures.line()}{extra}")
    idle, _idle_rate, _ = results[(True, False)]
    busy, busy_rate, _ = results[(True, True)]
    idle_rate = results[(True, False)][1]
    off_idle, off_busy = results[(False, False)][0], results[(False, True)][0]
    checks = [
        (f"light +{added:.2f} ms/frame (<=3)", added <= 3.0),
        (f"aids {idle_rate:.1f} Hz idle, {busy_rate:.1f} Hz loaded (>=15)",
         min(idle_rate, busy_rate) >= 15),
        (f"live view with aids {idle.fps:.1f} fps idle (>=29.5), {busy.fps:.1f} loaded (>=29)",
         idle.fps >= 29.5 and busy.fps >= 29),
        (f"stall {max(idle.stall, busy.stall):.1f} ms (<= floor {floor:.1f} + 20)",
         max(idle.stall, busy.stall) <= floor + 20),
    ]
    verdict(all(ok for _text, ok in checks),
            "; ".join(text for text, _ok in checks)
            + f"; aids off in the same run: {off_idle.fps:.1f}/{off_busy.fps:.1f} fps, stall "
              f"{max(off_idle.stall, off_busy.stall):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
