"""XMP sidecars for marks that travel: ``<stem>.xmp`` beside the original (a RAW+JPEG pair
shares one; Lightroom, Capture One, exiftool and digiKam read it) and darktable's own
``<file>.<ext>.xmp`` (darktable reads only that one as its own; the other goes through its
Lightroom importer, which reads a reject as stars). Both carry the same marks and people in
every program's convention (session.culling.xmp_conventions).

A sidecar is merged, never replaced: only those properties change and every other
namespace, element, attribute and the packet wrapper stay as another program wrote them
(session.culling.xmp_packet). Written atomically through a temporary file of our own; the SHA-256 of
what was written is returned, so the culling store can tell its own sidecar from one another
program edited since. A damaged sidecar is never overwritten: it is kept beside as
``<stem>.xmp.damaged-<time>`` and a new one is written.

Pure Python; any thread; small file I/O.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from xml.dom import minidom

from session.culling import xmp_conventions, xmp_packet, xmp_regions
from session.culling.xmp_conventions import (
    CATCHLIGHT,
    LABELS,
    CullMarks,
    MarksUnreadable,
)
from session.store.storage import replace_file

MAX_SIDECAR_BYTES = 16 * 1024 * 1024


class SidecarUnreadable(ValueError):
    """The sidecar is not XMP we can read; the message names the file."""


def sidecar_path(original: Path) -> Path:
    return original.with_suffix(".xmp")


def darktable_sidecar_path(original: Path) -> Path:
    """darktable's own sidecar: the file's whole name with ``.xmp`` added."""
    return original.with_name(original.name + ".xmp")


def open_packet(data: bytes) -> minidom.Document:
    """A sidecar's packet, read in today's namespaces (xmp_packet.PacketUnreadable)."""
    document = xmp_packet.parse(data)
    xmp_conventions.catch_up(document)
    return document


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _plain_file(path: Path, mode: int) -> None:
    """Raise SidecarUnreadable naming what stands at ``path`` unless it is a plain file (a
    link is left to O_NOFOLLOW, which names it)."""
    if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a file")
    raise SidecarUnreadable(f"{path.name}: is {kind}, not a sidecar file; Catchlight leaves "
                            "it alone")


def _read_bytes(path: Path) -> bytes | None:
    """The sidecar's bytes; None when there is none. Never follows a link and never waits:
    opened without blocking (a named pipe would hold ``mark`` for ever), and anything that
    is not a plain file (a folder, a pipe, a socket) is refused by name."""
    try:
        _plain_file(path, os.lstat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SidecarUnreadable(f"{path.name}: is a link; Catchlight leaves it alone"
                                    ) from exc
        raise SidecarUnreadable(f"{path.name}: cannot be read ({exc.strerror})") from exc
    try:
        _plain_file(path, os.fstat(fd).st_mode)     # still one, now that it is open
    except SidecarUnreadable:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_SIDECAR_BYTES + 1)
    if len(data) > MAX_SIDECAR_BYTES:
        raise SidecarUnreadable(f"{path.name}: larger than any XMP sidecar should be")
    return data


def read_bytes(original: Path) -> bytes | None:
    """The bytes of ``original``'s sidecar (None: none); SidecarUnreadable for a link, a
    folder, a pipe or anything else that is not a plain file."""
    return _read_bytes(sidecar_path(original))


def _digest(stem: bytes | None, darktable: bytes | None) -> str | None:
    """One SHA-256 for both sidecars (the stem one alone when darktable's is absent)."""
    if stem is None and darktable is None:
        return None
    digest = hashlib.sha256(stem or b"")
    if darktable is not None:
        digest.update(b"\0darktable\0" + darktable)
    return digest.hexdigest()


def sidecar_digest(original: Path) -> str | None:
    """SHA-256 of the sidecars' bytes as they are now; None when there is none."""
    try:
        return _digest(_read_bytes(sidecar_path(original)),
                       _read_bytes(darktable_sidecar_path(original)))
    except SidecarUnreadable:
        return "unreadable"


def sidecar_changed_at(original: Path) -> float | None:
    """When the newer of the two sidecars last changed (None: neither can be seen)."""
    times = []
    for path in (sidecar_path(original), darktable_sidecar_path(original)):
        try:
            times.append(os.stat(path).st_mtime)
        except OSError:
            continue
    return max(times) if times else None


def read_sidecar(original: Path, current: CullMarks | None = None) -> CullMarks | None:
    """The marks in ``original``'s sidecars; None when there is none. When the two say
    different things, the one that differs from ``current`` (the catalog's) is the other
    program's edit (both differ: the newer file). Stars the sidecar does not say (a reject
    written by another program) are taken from ``current``. Raises SidecarUnreadable for a
    damaged file."""
    current = current or CullMarks()
    said: list[tuple[float, CullMarks]] = []
    for path in (sidecar_path(original), darktable_sidecar_path(original)):
        data = _read_bytes(path)
        if data is None:
            continue
        try:
            marks = xmp_conventions.read_marks(open_packet(data), current)
        except (xmp_packet.PacketUnreadable, MarksUnreadable) as exc:
            raise SidecarUnreadable(f"{path.name}: {exc}") from exc
        said.append((_mtime(path), marks))
    if not said:
        return None
    changed = sorted((t, m) for t, m in said if m != current)
    return changed[-1][1] if changed else said[0][1]


def _mtime(path: Path) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _set_aside(path: Path) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target, number = path.with_name(f"{path.name}.damaged-{stamp}"), 1
    while os.path.lexists(target):
        number += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    os.rename(path, target)
    return target.name


@dataclass(frozen=True)
class SidecarWritten:
    sha256: str          # of the bytes written: how our own sidecar is recognised later
    set_aside: str = ""  # the new name of a damaged sidecar that was kept beside
    was_encoded: str = ""  # the sidecar was in this encoding (UTF-16…); now UTF-8


Recorder = Callable[[SidecarWritten], None]


@contextmanager
def sidecar_lock(original: Path) -> Iterator[None]:
    """One writer at a time for the sidecars of ``original``'s folder, across every thread and
    every process (the culling keys, ``mark``, the roster, the proofing server's child): an
    exclusive ``flock`` on the folder itself, so no lock file is left beside the pictures and
    a killed process's lock goes with it. Blocks while another writer holds it (a few ms)."""
    fd = os.open(sidecar_path(original).parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)      # releases the lock


def write_sidecar(original: Path, marks: CullMarks, session_name: str = "",
                  then: Recorder | None = None) -> SidecarWritten:
    """Merge ``marks`` into the sidecars of ``original`` (creating them if needed). A damaged
    sidecar is renamed aside first, never overwritten. Raises OSError when it cannot be
    written and SidecarUnreadable for a link or an unreadable file. ``then`` runs with the
    result while the sidecar is still locked (the catalog's row, recorded as one step)."""
    return _merge(original, lambda document: xmp_conventions.write_marks(
        document, marks, session_name), then)


def write_person(original: Path, person: str, previous: str = "",
                 then: Recorder | None = None) -> SidecarWritten:
    """The person in the picture, as Lightroom, darktable, digiKam and exiftool read it
    (session.culling.xmp_conventions.write_people_keywords); ``previous`` (a reassigned
    shot's earlier person) is taken out; every other name and keyword stays."""
    def change(document: minidom.Document) -> None:
        xmp_conventions.write_people_keywords(document, person, previous)
        xmp_regions.rename_main_face(document)

    return _merge(original, change, then)


def write_face_regions(original: Path, boxes: list[tuple[float, float, float, float]],
                       size: tuple[int, int] | None, then: Recorder | None = None
                       ) -> SidecarWritten:
    """One mwg-rs Face region per measured face ((left, top, width, height), 0..1 of the
    picture as shown, main face first, named after the person in the picture)."""
    return _merge(original, lambda document: xmp_regions.write_regions(
        document, xmp_regions.face_regions(boxes), ("face",), size), then)


def read_regions(original: Path) -> list[xmp_regions.Region]:
    """The regions in the sidecar of ``original`` ([] without one or for a damaged one)."""
    try:
        data = _read_bytes(sidecar_path(original))
        return xmp_regions.read_regions(open_packet(data)) if data is not None else []
    except (SidecarUnreadable, xmp_packet.PacketUnreadable):
        return []


def read_people(original: Path) -> list[str]:
    """The PersonInImage names of the sidecar of ``original`` ([] without one, or for one
    that cannot be read: a damaged file, a folder or a pipe at its name)."""
    try:
        data = _read_bytes(sidecar_path(original))
        if data is None:
            return []
        return xmp_conventions.read_people(open_packet(data))
    except (SidecarUnreadable, xmp_packet.PacketUnreadable):
        return []


def _merge(original: Path, change: Callable[[minidom.Document], None],
           then: Recorder | None = None) -> SidecarWritten:
    """Read, change and replace the sidecar under ``sidecar_lock``; ``then(written)`` records
    the result in the catalog before the lock is let go, so no other writer can come between
    the file and the SHA-256 the catalog keeps of it."""
    with sidecar_lock(original):
        first = _merge_locked(sidecar_path(original), change)
        second = _merge_locked(darktable_sidecar_path(original), change, first.data)
        written = SidecarWritten(
            _digest(first.data, second.data) or "", first.set_aside or second.set_aside,
            first.was_encoded or second.was_encoded)
        if then is not None:
            then(written)
        return written


@dataclass(frozen=True)
class _OneWritten:
    data: bytes
    set_aside: str
    was_encoded: str


def _merge_locked(path: Path, change: Callable[[minidom.Document], None],
                  start_from: bytes | None = None) -> _OneWritten:
    """Merge ``change`` into the sidecar at ``path``; a sidecar not there yet starts as
    ``start_from`` (darktable's begins as the shared one, so darktable sees the keywords,
    rights and captions other programs wrote there)."""
    existing = _read_bytes(path)
    if existing is None and start_from is not None:
        replace_file(path, start_from)
        return _OneWritten(start_from, "", "")
    document, declared, aside, encoding = None, False, "", "UTF-8"
    if existing is not None:
        try:
            document = open_packet(existing)
            encoding = xmp_packet.encoding_of(existing)
            declared = encoding != "UTF-8" or \
                existing.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<?xml")
        except xmp_packet.PacketUnreadable:
            aside = _set_aside(path)
    if document is None:
        document = xmp_packet.new_packet()
    change(document)
    data = xmp_packet.serialise(document, declared)
    replace_file(path, data)
    return _OneWritten(data, aside, encoding if encoding != "UTF-8" else "")


__all__ = ["CATCHLIGHT", "LABELS", "CullMarks", "SidecarUnreadable", "SidecarWritten",
           "darktable_sidecar_path", "open_packet", "read_bytes", "read_people", "read_regions",
           "read_sidecar", "sidecar_digest", "sidecar_lock", "sidecar_path",
           "write_face_regions", "write_person", "write_sidecar"]
