"""Verified downloads from the camera: the bytes must match the size the camera announces and
look like a whole file of their kind (a JPEG starts with SOI and ends with EOI, a TIFF-based
RAW starts with a TIFF header), otherwise the transfer is fetched again; the SHA-256 is taken
of exactly the bytes received. Runs on the camera thread; blocks for the transfer."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace

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
        if len(data) == size and looks_whole(file.name, data):  # type: ignore[arg-type]
            return DownloadedFile(replace(file, size=len(data)),  # type: ignore[arg-type]
                                  data, hashlib.sha256(data).hexdigest())  # type: ignore[arg-type]
        log.warning("%s: %d of %d bytes or damaged, fetching again", file.path, len(data),  # type: ignore[arg-type]
                    size)
    raise DownloadIncomplete(f"{file.name} arrived incomplete or damaged {attempts} times; it "
                             "is still on the camera and will be fetched again.")


TIFF_RAWS = {"nef", "nrw", "cr2", "arw", "sr2", "srf", "dng", "pef", "srw", "3fr", "erf",
             "kdc", "mef", "mos", "iiq", "rwl", "tif", "tiff"}
MAX_TRAILING_ZEROS = 4096   # some bodies pad the last sector; a zero-filled tail is longer


def looks_whole(name: str, data: bytes) -> bool:
    """True unless ``data`` is visibly not a complete file of the kind its name says."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext in ("jpg", "jpeg"):
        body = data.rstrip(b"\0")
        return (data[:2] == b"\xff\xd8" and body[-2:] == b"\xff\xd9"
                and len(data) - len(body) <= MAX_TRAILING_ZEROS)
    if ext in TIFF_RAWS:
        return data[:4] in (b"II*\0", b"MM\0*")
    return bool(data)
