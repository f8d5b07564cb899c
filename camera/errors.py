"""Typed camera errors that keep libgphoto2's numeric code.

Pure Python, no Qt. Every backend raises these (never a bare ``gphoto2.GPhoto2Error``), so the
worker can apply one policy: busy -> retry with backoff, claimed -> tell the user what holds the
USB device, gone -> reconnect automatically, no live view -> say so and keep everything else.
"""

from __future__ import annotations

# libgphoto2 result codes (gphoto2-result.h, gphoto2-port-result.h).
GP_ERROR = -1
GP_ERROR_NOT_SUPPORTED = -6
GP_ERROR_IO = -7
GP_ERROR_TIMEOUT = -10
GP_ERROR_IO_USB_FIND = -52
GP_ERROR_IO_USB_CLAIM = -53
GP_ERROR_MODEL_NOT_FOUND = -105
GP_ERROR_CAMERA_BUSY = -110
GP_ERROR_DIRECTORY_NOT_FOUND = -107
GP_ERROR_FILE_NOT_FOUND = -108


class CameraError(Exception):
    """Any camera failure. ``code`` is the libgphoto2 result code (0 when there is none)."""

    def __init__(self, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.code = code

    @property
    def user_message(self) -> str:
        return str(self)


class CameraBusy(CameraError):
    """-110: the camera is working on something else; retrying shortly usually succeeds."""


class CameraClaimed(CameraError):
    """-53: another program holds the USB device. ``holder`` names it when we can tell."""

    def __init__(self, message: str, code: int = GP_ERROR_IO_USB_CLAIM, holder: str = "") -> None:
        super().__init__(message, code)
        self.holder = holder


class CameraGone(CameraError):
    """-52, repeated -7 or a vanished port: the camera was unplugged or switched off."""


class NoLiveView(CameraError):
    """-6 on capture_preview: this camera has no live view over USB."""


class CameraIOError(CameraError):
    """-7 once: may be a glitch; the worker counts them and treats a run as CameraGone."""


class DownloadIncomplete(CameraError):
    """Fewer bytes arrived than the camera announced; the file is still on the camera."""


class NoCameraFound(CameraError):
    """Nothing answered on the requested port."""


def from_gphoto2(code: int, what: str, detail: str = "") -> CameraError:
    """Map a libgphoto2 result code to a typed error. ``what`` says what we were doing."""
    text = f"{what}: {detail or 'gphoto2 error'} ({code})"
    if code == GP_ERROR_CAMERA_BUSY:
        return CameraBusy(f"{what}: the camera is busy ({code})", code)
    if code == GP_ERROR_IO_USB_CLAIM:
        from camera.usb_claim import claim_holder_message

        holder, advice = claim_holder_message()
        return CameraClaimed(f"{what}: the camera's USB connection is claimed by another program. "
                             f"{advice} ({code})", code, holder)
    if code in (GP_ERROR_IO_USB_FIND, GP_ERROR_MODEL_NOT_FOUND):
        return CameraGone(f"{what}: the camera is not connected any more ({code})", code)
    if code == GP_ERROR_IO:
        return CameraIOError(text, code)
    return CameraError(text, code)
