"""Choose a backend for ``--camera``: ``demo`` (the simulated camera), a port such as
``usb:001,005``, or nothing (the first camera libgphoto2 finds).

Pure Python. ``open_backend`` blocks briefly (a USB scan) and runs off the GUI thread.
"""

from __future__ import annotations

from camera.backend import CameraBackend
from camera.errors import NoCameraFound
from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera

DEMO = "demo"


DEMO_BLINK_EVERY = 7      # the demo's sitter blinks on every 7th shot (and now and then live)


def demo_backend() -> tuple[SimulatedBackend, str]:
    # A strobe studio; the body's image processor is a process of its own, as it is hardware.
    camera = SimulatedCamera(blink_every=DEMO_BLINK_EVERY, strobes=True, processor_process=True)
    return SimulatedBackend(camera), camera.port


def open_backend(spec: str | None) -> tuple[CameraBackend, str]:
    """(backend, port) for ``spec``. Raises NoCameraFound when no camera is connected."""
    if spec == DEMO:
        return demo_backend()
    from camera.libgphoto2.gphoto2_backend import Gphoto2Backend

    backend = Gphoto2Backend()
    if spec:
        return backend, spec
    cameras = backend.list_cameras()
    if not cameras:
        raise NoCameraFound("No camera found. Connect a camera by USB and switch it on, or "
                            "use the demo camera (--demo).")
    return backend, cameras[0].port
