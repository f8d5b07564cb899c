"""The simulated backend: the CameraBackend protocol over a SimulatedCamera, with its faults.

Runs on the camera worker thread like the gphoto2 backend; calls block as documented in
camera.backend (capture_preview paces itself to the camera's frame rate).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from camera.backend import SETTING_LABELS, SETTING_WIDGETS
from camera.errors import (
    GP_ERROR_CAMERA_BUSY,
    GP_ERROR_FILE_NOT_FOUND,
    GP_ERROR_IO,
    GP_ERROR_IO_USB_CLAIM,
    GP_ERROR_IO_USB_FIND,
    CameraBusy,
    CameraError,
    CameraGone,
    CameraIOError,
    NoCameraFound,
    from_gphoto2,
)
from camera.simulated.simulated_camera import SIM_MODEL, SIM_SETTINGS, SimulatedCamera
from camera.types import (
    CameraEvent,
    CameraFile,
    CameraInfo,
    CameraSummary,
    CaptureTarget,
    Setting,
)


class SimulatedBackend:
    """CameraBackend for the demo camera and for tests."""

    def __init__(self, camera: SimulatedCamera) -> None:
        self.camera = camera
        self._open = False

    def _check(self, what: str) -> None:
        if not self._open or not self.camera.plugged:
            self._open = False
            raise CameraGone(f"{what}: the camera is not connected any more "
                             f"({GP_ERROR_IO_USB_FIND})", GP_ERROR_IO_USB_FIND)
        if self.camera.faults.take_io_error():
            raise CameraIOError(f"{what}: I/O problem ({GP_ERROR_IO})", GP_ERROR_IO)
        if self.camera.faults.take_busy():
            raise CameraBusy(f"{what}: the camera is busy ({GP_ERROR_CAMERA_BUSY})",
                             GP_ERROR_CAMERA_BUSY)

    def list_cameras(self) -> list[CameraInfo]:
        return [CameraInfo(SIM_MODEL, self.camera.port)] if self.camera.plugged else []

    def open(self, port: str) -> CameraInfo:
        if not self.camera.plugged or port != self.camera.port:
            raise NoCameraFound(f"no camera on {port}", GP_ERROR_IO_USB_FIND)
        if self.camera.faults.claimed_by_other:
            raise from_gphoto2(GP_ERROR_IO_USB_CLAIM, f"connecting to {SIM_MODEL}",
                               "Could not claim the USB device")
        self._open = True
        return CameraInfo(SIM_MODEL, self.camera.port)

    def close(self) -> None:
        self._open = False

    def summary(self) -> CameraSummary:
        self._check("reading the camera summary")
        return CameraSummary(model=SIM_MODEL, serial=self.camera.serial,
                             battery=self.camera.battery, free_bytes=self.camera.free_bytes,
                             manufacturer="Catchlight")

    def settings(self) -> list[Setting]:
        self._check("reading settings")
        return [self._setting(key) for key in SETTING_WIDGETS]

    def _setting(self, key: str) -> Setting:
        name = next(n for n in SETTING_WIDGETS[key] if n in SIM_SETTINGS)
        choices, _default = SIM_SETTINGS[name]
        return Setting(key, name, SETTING_LABELS[key], self.camera.values[name], choices)

    def set_setting(self, key: str, value: str) -> Setting:
        self._check(f"changing {SETTING_LABELS.get(key, key)}")
        setting = self._setting(key)
        if value not in setting.choices:
            raise CameraError(f"{setting.label}: {value!r} is not one of the camera's choices")
        self.camera.values[setting.name] = value
        return self._setting(key)

    def capture_target(self) -> CaptureTarget:
        self._check("reading the capture target")
        ram = self.camera.values["capturetarget"] == "Internal RAM"
        return CaptureTarget.RAM if ram else CaptureTarget.CARD

    def start_live_view(self) -> None:
        self._check("starting live view")

    def stop_live_view(self) -> None:
        return None

    def capture_preview(self) -> bytes:
        self._check("reading a live-view frame")
        return self.camera.live_jpeg()

    def trigger_capture(self) -> None:
        self._check("taking a picture")
        self.camera.press_shutter_button()

    def wait_for_event(self, timeout_ms: int) -> CameraEvent:
        self._check("waiting for camera events")
        event = self.camera.next_event(timeout_ms / 1000)
        if not self.camera.plugged:
            self._check("waiting for camera events")
        return event

    def _data(self, file: CameraFile, what: str) -> bytes:
        data = self.camera.file_bytes(file)
        if data is None:
            raise CameraError(f"{what}: {file.path} is not on the camera "
                              f"({GP_ERROR_FILE_NOT_FOUND})", GP_ERROR_FILE_NOT_FOUND)
        return data

    def file_size(self, file: CameraFile) -> int:
        self._check(f"reading the size of {file.name}")
        return len(self._data(file, "reading the file size"))

    def download(self, file: CameraFile,
                 progress: Callable[[int, int], None] | None = None) -> bytes:
        self._check(f"downloading {file.name}")
        data = self._data(file, "downloading")
        delay = self.camera.faults.download_s_per_mb * len(data) / 1e6
        steps = max(1, int(delay / 0.05))
        for step in range(steps):
            if delay:
                time.sleep(delay / steps)
            if not self.camera.plugged:
                self._check(f"downloading {file.name}")
            if progress:
                progress(len(data) * (step + 1) // steps, len(data))
        if self.camera.faults.take_truncate():
            return data[: len(data) // 2]
        return self.camera.faults.corrupt(data, file.name)

    def delete(self, file: CameraFile) -> None:
        self._check(f"deleting {file.name} from the camera")
        self.camera.delete_file(file)

    def list_files(self) -> list[CameraFile]:
        self._check("listing the files on the camera")
        return self.camera.list_files()
