"""Verified downloads from the camera: the bytes must match the size the camera announces and
look like a whole file of their kind (a JPEG starts with SOI and ends with EOI, a TIFF-based
RAW starts with a TIFF header), otherwise the transfer is fetched again; the SHA-256 is taken
of exactly the bytes received. Runs on the camera thread; blocks for the transfer."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import replace

from camera.backend import CameraBackend
from camera.errors import DownloadIncomplete
from camera.owner.retry import Busy
from camera.types import CameraFile, DownloadedFile
from media.file_kinds import JPEG_EXTENSIONS, TIFF_BASED, extension

log = logging.getLogger(__name__)


def download_verified(backend: CameraBackend, file: CameraFile, attempts: int,
                      busy: Busy) -> DownloadedFile:
    """``busy`` wraps each camera call in the worker's busy-retry policy."""
    for _attempt in range(attempts):
        size = busy(lambda: backend.file_size(file))
        data = busy(lambda: backend.download(file))
        if len(data) == size and looks_whole(file.name, data):
            return DownloadedFile(replace(file, size=len(data)), data,
                                  hashlib.sha256(data).hexdigest())
        log.warning("%s: %d of %d bytes or damaged, fetching again", file.path, len(data),
                    size)
    raise DownloadIncomplete(f"{file.name} arrived incomplete or damaged {attempts} times; it "
                             "is still on the camera and will be fetched again.")


MAX_TRAILING_ZEROS = 4096   # some bodies pad the last sector; a zero-filled tail is longer


def looks_whole(name: str, data: bytes) -> bool:
    """True unless ``data`` is visibly not a complete file of the kind its name says."""
    ext = extension(name)
    if ext in JPEG_EXTENSIONS:
        body = data.rstrip(b"\0")
        return (data[:2] == b"\xff\xd8" and body[-2:] == b"\xff\xd9"
                and len(data) - len(body) <= MAX_TRAILING_ZEROS)
    if ext in TIFF_BASED:
        return data[:4] in (b"II*\0", b"MM\0*")
    return bool(data)
