"""The synchronous camera backend protocol, implemented by the gphoto2 and simulated backends.

Every method runs on the camera's own worker thread and nowhere else (libgphoto2 allows one
thread per USB camera). Methods marked *blocks* may take seconds; none is ever called from the
GUI thread. All failures are raised as ``camera.errors.CameraError`` subclasses.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from camera.types import CameraEvent, CameraFile, CameraInfo, CameraSummary, CaptureTarget, Setting

# The photographer-facing settings, our key -> widget names to look for, first match wins.
SETTING_WIDGETS: dict[str, tuple[str, ...]] = {
    "iso": ("iso", "isospeed"),
    "aperture": ("f-number", "aperture", "fnumber"),
    "shutterspeed": ("shutterspeed", "shutterspeed2", "exposuretime"),
    "exposurecompensation": ("exposurecompensation", "exposurecompensation2"),
    "whitebalance": ("whitebalance",),
    "imageformat": ("imageformat", "imagequality", "imageformatsd"),
    "capturetarget": ("capturetarget",),
    "focusmode": ("focusmode", "focusmode2", "afmode"),
}

SETTING_LABELS: dict[str, str] = {
    "iso": "ISO",
    "aperture": "Aperture",
    "shutterspeed": "Shutter",
    "exposurecompensation": "Exp. comp.",
    "whitebalance": "White balance",
    "imageformat": "Format",
    "capturetarget": "Save to",
    "focusmode": "Focus",
}


class CameraBackend(Protocol):
    """One camera (or none yet). Not thread-safe: the owning worker serialises every call."""

    def list_cameras(self) -> list[CameraInfo]:
        """Cameras on the bus (model, port). Blocks briefly (a USB scan)."""
        ...

    def open(self, port: str) -> CameraInfo:
        """Connect to the camera on ``port``. Blocks: init can take several seconds."""
        ...

    def close(self) -> None:
        """Release the camera. Never raises."""
        ...

    def summary(self) -> CameraSummary:
        """Model, serial, battery, free space. Blocks (reads the config tree)."""
        ...

    def settings(self) -> list[Setting]:
        """The photographer's settings with their choices. Blocks (config reads)."""
        ...

    def set_setting(self, key: str, value: str) -> Setting:
        """Write one setting and return it as the camera now reports it. Blocks."""
        ...

    def capture_target(self) -> CaptureTarget:
        """Where shots are stored (card or RAM). Blocks briefly."""
        ...

    def start_live_view(self) -> None:
        """Prepare live view (Canon: viewfinder on). Raises NoLiveView. Blocks briefly."""
        ...

    def stop_live_view(self) -> None:
        """Leave live view (Canon: viewfinder off). Never raises."""
        ...

    def capture_preview(self) -> bytes:
        """One live-view frame as JPEG bytes. Blocks until the camera delivers it."""
        ...

    def trigger_capture(self) -> None:
        """Fire the shutter and return; the file arrives later as a FILE_ADDED event."""
        ...

    def wait_for_event(self, timeout_ms: int) -> CameraEvent:
        """The next camera event, or TIMEOUT after ``timeout_ms``. Blocks up to the timeout."""
        ...

    def file_size(self, file: CameraFile) -> int:
        """Size in bytes the camera announces for ``file``. Blocks briefly."""
        ...

    def download(self, file: CameraFile,
                 progress: Callable[[int, int], None] | None = None) -> bytes:
        """All bytes of ``file``. Blocks for the whole transfer (seconds for RAW files)."""
        ...

    def delete(self, file: CameraFile) -> None:
        """Delete ``file`` from the camera. Blocks briefly."""
        ...

    def list_files(self) -> list[CameraFile]:
        """Every file on the camera's storage. Blocks for the listing (a second or two for a
        full card on a real camera)."""
        ...
