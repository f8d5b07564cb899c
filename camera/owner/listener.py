"""What the camera worker reports. Callbacks run on the camera thread and must not block:
the Qt bridge turns them into queued signals, the command line prints or hands them on.
"""

from __future__ import annotations

from typing import Any

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


class CameraListener:
    """Base listener: every callback is a no-op; override what you need."""

    def on_state(self, state: CameraState) -> None:
        """The worker's state machine moved."""

    def on_connected(self, info: CameraInfo, summary: CameraSummary,
                     settings: tuple[Setting, ...], target: CaptureTarget) -> None:
        """A camera is open (first time or after a reconnect)."""

    def on_lost(self, message: str) -> None:
        """The camera went away; the worker is already trying to reconnect."""

    def on_setting(self, setting: Setting) -> None:
        """A setting changed (from the app or from the camera's dials)."""

    def on_live_frame(self, frame: LiveFrame) -> None:
        """A new live-view frame (newest wins downstream)."""

    def on_live_view_unavailable(self, message: str) -> None:
        """Live view cannot run on this camera; everything else keeps working."""

    def on_shot(self, shot: DownloadedShot) -> None:
        """A shot's bytes arrived and match the size the camera announced."""

    def on_problem(self, message: str, severity: ProblemSeverity) -> None:
        """Something the photographer should read: severity is info, warning, error, or
        fatal (the camera thread has stopped: nothing more can be captured)."""


class FanOut(CameraListener):
    """Hands every callback to several listeners, in order (camera thread)."""

    def __init__(self, *listeners: CameraListener) -> None:
        self.listeners = listeners

    def __getattribute__(self, name: str) -> Any:
        if name.startswith("on_"):
            targets = object.__getattribute__(self, "listeners")

            def forward(*args: object) -> None:
                for listener in targets:
                    getattr(listener, name)(*args)

            return forward
        return object.__getattribute__(self, name)
