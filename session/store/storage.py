"""Atomic, verified file writes: a temporary file of this process's own (created exclusively,
never through a link), fsync, link to the final name (never replacing anything), fsync of the
folder, then a re-read whose size and SHA-256 must match the bytes received.

Pure Python. Runs on the ingest, export or culling thread that asks; blocks on disk I/O (tens
of ms for a 24 MP JPEG).
"""

from __future__ import annotations

import errno
import hashlib
import os
import secrets
import socket
import zlib
from collections.abc import Callable
from pathlib import Path

TEMP_PREFIX = ".catchlight-"
TEMP_SUFFIX = ".part"
KEPT_FOR_LATER = "The shot is kept and will be saved as soon as the disk accepts it."


def _host_tag() -> str:
    return f"{zlib.crc32(socket.gethostname().encode('utf-8', 'replace')):08x}"


HOST_TAG = _host_tag()


class StorageError(OSError):
    """A write failed; ``user_message`` says what happened and what to do."""

    def __init__(self, user_message: str, err: int = 0) -> None:
        super().__init__(err, user_message)
        self.user_message = user_message
        self.stored: list = []   # shots stored before the failure (see Ingester.retry)


def describe_os_error(exc: OSError, folder: Path, consequence: str = KEPT_FOR_LATER) -> str:
    """What went wrong writing into ``folder``, and ``consequence``: what happens to the data
    (the ingest keeps the shot for later; an export says what was not written)."""
    if exc.errno == errno.ENOSPC:
        return f"The disk holding {folder} is full. {consequence}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"Catchlight may not write to {folder}. Check the folder's permissions or "
                f"choose another folder. {consequence}")
    if exc.errno == errno.ELOOP:
        return (f"A link stands where Catchlight wanted to write in {folder}; it was left "
                f"alone. {consequence}")
    return f"Writing to {folder} failed ({exc.strerror or exc}). {consequence}"


def sha256_of_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def name_taken(path: Path) -> bool:
    """True when anything at all stands at ``path``: a file, a folder, or a link (even one
    that points nowhere)."""
    return os.path.lexists(path)


def free_names(folder: Path, names: list[str], taken: Callable[[str], bool] = lambda _n: False,
               limit: int = 1000) -> list[str]:
    """``names`` (the files of one shot, sharing a stem), or the first numbered variant
    (name-2.ext...) under which none of them, nor an XMP sidecar of their stems, meets
    anything in ``folder`` or a name ``taken`` says is taken: a foreign ``stem.xmp`` would
    otherwise pair with the new file. Raises StorageError when none is free."""
    from session.store.naming import numbered

    for suffix in range(1, limit):
        candidate = names if suffix == 1 else [numbered(n, suffix) for n in names]
        wanted = set(candidate) | {f"{Path(n).stem}.xmp" for n in candidate}
        if not any(taken(n) or name_taken(folder / n) for n in wanted):
            return candidate
    raise StorageError(f"No free file name left in {folder} for {names[0]}.")


def temp_owner(name: str) -> tuple[str, int] | None:
    """(host tag, pid) of the process that made temporary file ``name``; None for a name of
    the older form without them, or one that is not ours at all."""
    if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
        return None
    parts = name[len(TEMP_PREFIX):-len(TEMP_SUFFIX)].split("-")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], int(parts[1])


def open_temp(folder: Path) -> tuple[Path, int]:
    """A new temporary file in ``folder`` that only this call created: a name unique to this
    process (host, pid, random), opened with O_EXCL and O_NOFOLLOW, so a planted file or link
    is never written through. Returns (path, writable fd)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    while True:
        temp = folder / f"{TEMP_PREFIX}{HOST_TAG}-{os.getpid()}-{secrets.token_hex(6)}" \
                        f"{TEMP_SUFFIX}"
        try:
            return temp, os.open(temp, flags, 0o644)
        except FileExistsError:
            continue


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
    """Give ``temp`` its final name without ever replacing an existing entry (a hard link is
    atomic and refuses to clobber; file systems without links fall back to a checked rename)."""
    try:
        os.link(temp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
        if name_taken(path):
            raise FileExistsError(errno.EEXIST, "target exists", str(path)) from exc
        os.replace(temp, path)


def write_verified(path: Path, data: bytes, consequence: str = KEPT_FOR_LATER) -> None:
    """Write ``data`` (the bytes received, whose SHA-256 the catalog records) to ``path``
    atomically and verify it by reading it back byte for byte.

    Never overwrites: raises FileExistsError if anything stands at ``path`` (a dangling link
    included). On any other failure the temporary file is removed and StorageError explains
    the cause (ending with ``consequence``); ``path`` is then absent."""
    folder = path.parent
    temp: Path | None = None
    try:
        temp, fd = open_temp(folder)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        _publish(temp, path)
        _fsync_dir(folder)
    except FileExistsError:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise StorageError(describe_os_error(exc, folder, consequence), exc.errno or 0) from exc
    temp.unlink(missing_ok=True)
    verify_written(path, data, consequence)


def replace_file(path: Path, data: bytes) -> None:
    """Give the small file at ``path`` (a sidecar) new content atomically: a temporary file
    of our own, fsync, rename over the old one. Refuses to write through a link at ``path``
    (OSError ELOOP); raises OSError when the folder cannot be written."""
    if os.path.islink(path):
        raise OSError(errno.ELOOP, "is a link", str(path))
    temp, fd = open_temp(path.parent)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def verify_written(path: Path, data: bytes, consequence: str = KEPT_FOR_LATER) -> None:
    """Read back the file this operation has just written at ``path`` and compare it byte for
    byte with ``data``; on any difference remove it (it is ours) and raise StorageError."""
    try:
        with open(path, "rb") as handle:
            same = handle.read(len(data) + 1) == data
    except OSError as exc:
        raise StorageError(describe_os_error(exc, path.parent, consequence),
                           exc.errno or 0) from exc
    if not same:
        path.unlink(missing_ok=True)
        raise StorageError(f"{path.name} did not read back identically from {path.parent}. "
                           f"{consequence}")


def holds(path: Path, size: int, sha256: str) -> bool:
    """True when the existing file at ``path`` holds exactly these bytes. Never changes or
    removes it (it may be somebody else's); raises OSError when it cannot be read."""
    if os.path.islink(path) or not path.is_file():
        return False
    return path.stat().st_size == size and sha256_of_file(path) == sha256
