"""For bench/startup.py: with CATCHLIGHT_STARTUP_PROBE=1 the app prints when the first
live-view frame is painted and when the coach delivers its first result (wall-clock epoch
seconds), plus the longest GUI stall meanwhile and the memory of all the app's processes,
then quits. The stalls count once the window has appeared (its first paint done): the time
from show() to then is printed on its own as first-paint-ms. GUI thread."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from coaching.landmarking.analysis_process import app_memory_mb
from ui.coach.coach_controller import CoachController
from ui.tether.tether_window import TetherWindow

STARTUP_PROBE = "CATCHLIGHT_STARTUP_PROBE"
TIMEOUT_S = 30.0


class StartupProbe(QObject):
    def __init__(self, window: TetherWindow, coach: CoachController | None) -> None:
        super().__init__(window)
        self.window = window
        self.coach = coach
        self.first_frame = 0.0
        self.coach_ready = 0.0
        self.worst_stall = 0.0
        self.worst_live_stall = 0.0         # once live view runs, while the models load
        self.first_paint = 0.0
        self._painted = False
        window.live_view.installEventFilter(self)
        self.started = time.monotonic()
        self._last = time.monotonic()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.timer.start(5)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True                  # the window is on screen from now on
        return False

    def _tick(self) -> None:
        now = time.monotonic()
        if self._painted and not self.first_paint:
            self.first_paint = (now - self.started) * 1000
        elif self.first_paint:
            stall = (now - self._last) * 1000 - 5
            self.worst_stall = max(self.worst_stall, stall)
            if self.first_frame:
                self.worst_live_stall = max(self.worst_live_stall, stall)
        self._last = now
        if not self.first_frame and self.window.live_view.frames_shown:
            self.first_frame = time.time()
            print(f"first-frame {self.first_frame:.3f}", flush=True)
        if not self.coach_ready and self.coach and self.coach.overlay.state is not None:
            self.coach_ready = time.time()
            print(f"coach-ready {self.coach_ready:.3f}", flush=True)
        if (self.first_frame and (self.coach_ready or self.coach is None)) \
                or now - self.started > TIMEOUT_S:
            print(f"memory-mb {app_memory_mb():.0f}", flush=True)
            print(f"mediapipe-loaded {'mediapipe' in sys.modules}", flush=True)
            print(f"first-paint-ms {self.first_paint:.1f}", flush=True)
            print(f"worst-gui-stall-ms {self.worst_stall:.1f}", flush=True)
            print(f"worst-live-stall-ms {self.worst_live_stall:.1f}", flush=True)
            self.timer.stop()
            self.window.close()
            QApplication.quit()
