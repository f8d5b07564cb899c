"""Small helpers shared by tests: a recording camera listener and a waiting helper."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from camera.owner.listener import CameraListener
from camera.types import (
    CameraInfo,
    CameraState,
    CameraSummary,
    CaptureTarget,
    DownloadedShot,
    LiveFrame,
    Setting,
)


class Recorder(CameraListener):
    """Records every callback (camera thread) for assertions (test thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.states: list[CameraState] = []
        self.connected: list[CameraInfo] = []
        self.settings: list[tuple[Setting, ...]] = []
        self.lost: list[str] = []
        self.frames: list[LiveFrame] = []
        self.shots: list[DownloadedShot] = []
        self.problems: list[tuple[str, str]] = []
        self.no_live_view: list[str] = []
        self.changed: list[Setting] = []

    def on_state(self, state: CameraState) -> None:
        with self.lock:
            self.states.append(state)

    def on_connected(self, info: CameraInfo, summary: CameraSummary,
                     settings: tuple[Setting, ...], target: CaptureTarget) -> None:
        with self.lock:
            self.connected.append(info)
            self.settings.append(settings)

    def on_lost(self, message: str) -> None:
        with self.lock:
            self.lost.append(message)

    def on_live_frame(self, frame: LiveFrame) -> None:
        with self.lock:
            self.frames.append(frame)
            del self.frames[:-5]  # keep the newest few

    def on_live_view_unavailable(self, message: str) -> None:
        with self.lock:
            self.no_live_view.append(message)

    def on_shot(self, shot: DownloadedShot) -> None:
        with self.lock:
            self.shots.append(shot)

    def on_problem(self, message: str, severity: str) -> None:
        with self.lock:
            self.problems.append((message, severity))

    def on_setting(self, setting: Setting) -> None:
        with self.lock:
            self.changed.append(setting)


def wait_until(condition: Callable[[], object], timeout: float = 10.0,
               what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def capture_analysed(app, qtbot, count: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Take ``count`` shots at the tether of ``app`` (the app_factory's), each waited for until
    it is stored and the capture pipeline's analysis is in the session model (GUI tests)."""
    for _ in range(count):
        before = len(app.model.shots)
        with qtbot.waitSignal(app.controller.ingest_bridge.stored, timeout=15000):
            app.controller.capture()
        qtbot.waitUntil(lambda b=before: len(app.model.shots) == b + 1
                        and bool(app.model.shots[-1].analysis), timeout=30000)
