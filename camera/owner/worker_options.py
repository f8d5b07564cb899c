"""Tuning of the camera worker and its command errors. Pure Python; immutable."""

from __future__ import annotations

from dataclasses import dataclass

from camera.errors import CameraError
from camera.types import CaptureTarget


@dataclass(frozen=True)
class WorkerOptions:
    idle_poll_ms: int = 50
    # While a shot is on its way: a camera answers as soon as the file is there, and a longer
    # wait lets slow event emulations (libgphoto2's vcamera) deliver in one call.
    capture_poll_ms: int = 100
    reconnect_interval_s: float = 1.0
    capture_timeout_s: float = 30.0
    # A capture whose FILE_ADDED has not come after this long makes the worker list the card.
    missed_event_s: float = 3.0
    max_live_fps: float = 30.0
    io_errors_before_gone: int = 3
    download_attempts: int = 3
    # The target set when a camera connects; None leaves the camera's own choice.
    preferred_target: CaptureTarget | None = CaptureTarget.CARD


class NotConnected(CameraError):
    """A command arrived while no camera is connected."""
