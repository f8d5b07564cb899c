"""Turns the camera worker's callbacks (camera thread) into Qt signals (received on the GUI
thread through queued connections). Live-view frames go through a single-slot mailbox: the
GUI is nudged once and takes the newest frame, so nothing queues up if it falls behind."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from camera.owner.listener import CameraListener
from camera.owner.mailbox import Mailbox
from camera.types import (
    CameraInfo,
    CameraState,
    CameraSummary,
    CaptureTarget,
    DownloadedShot,
    LiveFrame,
    ProblemSeverity,
    Setting,
)


class CameraBridge(QObject, CameraListener):
    state_changed = Signal(object)            # CameraState
    camera_connected = Signal(object, object, object, object)  # info, summary, settings, target
    camera_lost = Signal(str)
    setting_changed = Signal(object)          # Setting
    frame_available = Signal()                # take the frame from .frames
    live_view_unavailable = Signal(str)
    shot_downloaded = Signal(object)          # DownloadedShot
    problem = Signal(str, str)                # message, severity

    def __init__(self, parent: QObject | None = None) -> None:
        QObject.__init__(self, parent)
        self.frames: Mailbox[LiveFrame] = Mailbox()

    def on_state(self, state: CameraState) -> None:
        self.state_changed.emit(state)

    def on_connected(self, info: CameraInfo, summary: CameraSummary,
                     settings: tuple[Setting, ...], target: CaptureTarget) -> None:
        self.camera_connected.emit(info, summary, settings, target)

    def on_lost(self, message: str) -> None:
        self.camera_lost.emit(message)

    def on_setting(self, setting: Setting) -> None:
        self.setting_changed.emit(setting)

    def on_live_frame(self, frame: LiveFrame) -> None:
        if self.frames.put(frame):
            self.frame_available.emit()

    def on_live_view_unavailable(self, message: str) -> None:
        self.live_view_unavailable.emit(message)

    def on_shot(self, shot: DownloadedShot) -> None:
        self.shot_downloaded.emit(shot)

    def on_problem(self, message: str, severity: ProblemSeverity) -> None:
        self.problem.emit(message, severity)
