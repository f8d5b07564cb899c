"""Steps of connecting to a camera, as plain functions of the backend: opening its port (or
the same model on another port after a replug) and choosing where it saves its shots.
Run on the camera thread; each blocks for a few camera calls."""

from __future__ import annotations

from collections.abc import Callable

from camera.backend import CameraBackend
from camera.errors import NoCameraFound
from camera.types import CameraInfo, CaptureTarget


def open_port(backend: CameraBackend, port: str, known: CameraInfo | None
              ) -> tuple[CameraInfo, str]:
    """Open ``port``; after a replug the port number may change, so a camera seen before
    (``known``) is looked for by model on any port. Returns (info, the port used)."""
    try:
        return backend.open(port), port
    except NoCameraFound:
        if known is None:
            raise
        for camera in backend.list_cameras():
            if camera.model == known.model:
                return backend.open(camera.port), camera.port
        raise


def apply_preferred_target(backend: CameraBackend, wanted: CaptureTarget | None,
                           busy: Callable[[Callable[[], object]], object]) -> None:
    """Set the capture target to ``wanted`` (card or RAM) when the camera allows it."""
    if wanted is None:
        return
    current = next((s for s in backend.settings() if s.key == "capturetarget"), None)
    if current is None or current.readonly:
        return
    word = "card" if wanted == CaptureTarget.CARD else "ram"
    choice = next((c for c in current.choices if word in c.lower()), None)
    if choice and choice != current.value:
        busy(lambda: backend.set_setting("capturetarget", choice))
