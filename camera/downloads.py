"""Verified downloads from the camera: the bytes must match the size the camera announces (a
truncated transfer is fetched again), and the SHA-256 is taken of exactly the bytes received.
Runs on the camera thread; blocks for the transfer."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from camera.backend import CameraBackend
from camera.errors import DownloadIncomplete
from camera.types import CameraFile, DownloadedFile

log = logging.getLogger(__name__)


def download_verified(backend: CameraBackend, file: CameraFile, attempts: int,
                      busy: Callable[[Callable[[], object]], object]) -> DownloadedFile:
    """``busy`` wraps each camera call in the worker's busy-retry policy."""
    for _attempt in range(attempts):
        size = busy(lambda: backend.file_size(file))
        data = busy(lambda: backend.download(file))
        if len(data) == size:  # type: ignore[arg-type]
            return DownloadedFile(file, data, hashlib.sha256(data).hexdigest())  # type: ignore[arg-type]
        log.warning("%s: %d of %d bytes, fetching again", file.path, len(data), size)  # type: ignore[arg-type]
    raise DownloadIncomplete(f"{file.name} arrived incomplete {attempts} times; it is still "
                             "on the camera.")
