"""Atomic, verified file writes: temporary name, fsync, rename, fsync of the folder, then a
re-read whose size and SHA-256 must match the bytes received.

Pure Python. Runs on the ingest thread; blocks on disk I/O (tens of ms for a 24 MP JPEG).
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".catchlight-"
TEMP_SUFFIX = ".part"


class StorageError(OSError):
    """A write failed; ``user_message`` says what happened and what to do."""

    def __init__(self, user_message: str, err: int = 0) -> None:
        super().__init__(err, user_message)
        self.user_message = user_message
        self.stored: list = []   # shots stored before the failure (see Ingester.retry)


def describe_os_error(exc: OSError, folder: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return (f"The disk holding {folder} is full. The shot is kept and will be saved "
                "as soon as space is freed.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Catchlight may not write to {folder}. Check the folder's permissions or "
                "choose another folder; the shot is kept meanwhile.")
    return f"Writing to {folder} failed ({exc.strerror or exc}). The shot is kept."


def sha256_of_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not supported (e.g. Windows); the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _publish(temp: Path, path: Path) -> None:
    """Give ``temp`` its final name without ever replacing an existing file (a hard link is
    atomic and refuses to clobber; file systems without links fall back to a checked rename)."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
        if path.exists():
            raise FileExistsError(errno.EEXIST, "target exists", str(path)) from exc
        os.replace(temp, path)


def write_verified(path: Path, data: bytes) -> None:
    """Write ``data`` (the bytes received, whose SHA-256 the catalog records) to ``path``
    atomically and verify it by reading it back byte for byte.

    Never overwrites: raises FileExistsError if ``path`` exists. On any failure the temporary
    file is removed and StorageError explains the cause; ``path`` is then absent."""
    folder = path.parent
    temp = folder / f"{TEMP_PREFIX}{path.name}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        _publish(temp, path)
        _fsync_dir(folder)
    except FileExistsError:
        temp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StorageError(describe_os_error(exc, folder), exc.errno or 0) from exc
    temp.unlink(missing_ok=True)
    verify_against(path, data)


def verify_against(path: Path, data: bytes) -> None:
    """Read ``path`` back and compare it byte for byte with ``data`` (whose SHA-256 the caller
    recorded); on any difference remove it and raise StorageError."""
    def same() -> bool:
        with open(path, "rb") as handle:
            return handle.read(len(data) + 1) == data

    _keep_only_if(path, same)


def verify_file(path: Path, size: int, sha256: str) -> None:
    """Raise StorageError (and remove the bad file) unless ``path`` holds exactly those bytes."""
    _keep_only_if(path, lambda: path.stat().st_size == size and sha256_of_file(path) == sha256)


def _keep_only_if(path: Path, verified: Callable[[], bool]) -> None:
    """Run the check; a failed read is explained, a mismatch removes the file. Either way the
    caller still holds the shot and will write it again."""
    try:
        ok = verified()
    except OSError as exc:
        raise StorageError(describe_os_error(exc, path.parent), exc.errno or 0) from exc
    if not ok:
        path.unlink(missing_ok=True)
        raise StorageError(f"{path.name} did not read back identically from {path.parent}; "
                           "the shot is kept and will be written again.")
