"""XMP sidecars for marks that travel: ``<stem>.xmp`` beside the original (a RAW+JPEG pair
shares one). ``xmp:Rating`` follows the Lightroom and darktable convention (-1 = rejected,
otherwise the stars) and ``xmp:Label`` the colour label; Catchlight's own namespace keeps the
pick flag, the stars of a rejected shot and the session name.

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

from session.culling import xmp_packet
from session.store.storage import replace_file

XMP = "http://ns.adobe.com/xap/1.0/"
DC = "http://purl.org/dc/elements/1.1/"
IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
CATCHLIGHT = "urn:catchlight:xmp:1.0"
LABELS = ("", "Red", "Yellow", "Green", "Blue", "Purple")
MAX_SIDECAR_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class CullMarks:
    rating: int = 0        # stars: 0 unrated, 1..5 (a reject keeps its stars)
    label: str = ""        # "", Red, Yellow, Green, Blue, Purple
    pick: int = 0          # 1 picked, 0 unflagged, -1 rejected


class SidecarUnreadable(ValueError):
    """The sidecar is not XMP we can read; the message names the file."""


def sidecar_path(original: Path) -> Path:
    return original.with_suffix(".xmp")


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


def sidecar_digest(original: Path) -> str | None:
    """SHA-256 of the sidecar's bytes as they are now; None when there is none."""
    try:
        data = _read_bytes(sidecar_path(original))
    except SidecarUnreadable:
        return "unreadable"
    return hashlib.sha256(data).hexdigest() if data is not None else None


def _marks_in(document: minidom.Document, name: str, current: CullMarks) -> CullMarks:
    raw_rating = xmp_packet.get(document, XMP, "Rating")
    stars, rejected = current.rating, False
    if raw_rating is not None:
        try:
            value = max(-1, min(5, round(float(raw_rating))))
        except (ValueError, OverflowError) as exc:
            raise SidecarUnreadable(f"{name}: Rating {raw_rating[:20]!r} is not a number"
                                    ) from exc
        rejected = value == -1
        if not rejected:
            stars = value
        else:   # a reject keeps its stars in our namespace (unknown: keep the catalog's)
            kept = xmp_packet.get(document, CATCHLIGHT, "Rating")
            if kept is not None and kept.strip().isdigit():
                stars = max(0, min(5, int(kept)))
    label = xmp_packet.get(document, XMP, "Label") or ""
    raw_pick = xmp_packet.get(document, CATCHLIGHT, "Pick")
    pick = int(raw_pick) if raw_pick in ("-1", "0", "1") else 0
    if rejected:
        pick = -1
    elif pick == -1:
        pick = 0          # another program un-rejected it
    return CullMarks(stars, label if label in LABELS else "", pick)


def read_sidecar(original: Path, current: CullMarks | None = None) -> CullMarks | None:
    """The marks in ``original``'s sidecar; None when there is none. Stars the sidecar does
    not say (a reject written by another program) are taken from ``current``. Raises
    SidecarUnreadable for a damaged file."""
    path = sidecar_path(original)
    data = _read_bytes(path)
    if data is None:
        return None
    try:
        document = xmp_packet.parse(data)
    except xmp_packet.PacketUnreadable as exc:
        raise SidecarUnreadable(f"{path.name}: {exc}") from exc
    return _marks_in(document, path.name, current or CullMarks())


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
    """Merge ``marks`` into the sidecar of ``original`` (creating it if needed). A damaged
    sidecar is renamed aside first, never overwritten. Raises OSError when it cannot be
    written and SidecarUnreadable for a link or an unreadable file. ``then`` runs with the
    result while the sidecar is still locked (the catalog's row, recorded as one step)."""
    def change(document: minidom.Document) -> None:
        rating = -1 if marks.pick == -1 else marks.rating
        xmp_packet.set_value(document, XMP, "Rating", str(rating), "xmp")
        xmp_packet.set_value(document, XMP, "Label", marks.label or None, "xmp")
        xmp_packet.set_value(document, CATCHLIGHT, "Pick", str(marks.pick), "catchlight")
        xmp_packet.set_value(document, CATCHLIGHT, "Rating", str(marks.rating), "catchlight")
        if session_name:
            xmp_packet.set_value(document, CATCHLIGHT, "Session", session_name, "catchlight")

    return _merge(original, change, then)


def write_person(original: Path, person: str, previous: str = "",
                 then: Recorder | None = None) -> SidecarWritten:
    """The person in the picture, as Lightroom, darktable and exiftool read it: IPTC
    Extension PersonInImage and a dc:subject keyword. ``previous`` (a reassigned shot's
    earlier person) is taken out of both; every other name and keyword stays."""
    def merged(values: list[str]) -> list[str]:
        kept = [v for v in values if v != previous and v != person]
        return [*kept, person] if person else kept

    def change(document: minidom.Document) -> None:
        for namespace, name, prefix in ((IPTC_EXT, "PersonInImage", "Iptc4xmpExt"),
                                        (DC, "subject", "dc")):
            xmp_packet.set_bag(document, namespace, name,
                               merged(xmp_packet.get_bag(document, namespace, name)), prefix)

    return _merge(original, change, then)


def read_people(original: Path) -> list[str]:
    """The PersonInImage names of the sidecar of ``original`` ([] without one, or for one
    that cannot be read: a damaged file, a folder or a pipe at its name)."""
    try:
        data = _read_bytes(sidecar_path(original))
        if data is None:
            return []
        return xmp_packet.get_bag(xmp_packet.parse(data), IPTC_EXT, "PersonInImage")
    except (SidecarUnreadable, xmp_packet.PacketUnreadable):
        return []


def _merge(original: Path, change: Callable[[minidom.Document], None],
           then: Recorder | None = None) -> SidecarWritten:
    """Read, change and replace the sidecar under ``sidecar_lock``; ``then(written)`` records
    the result in the catalog before the lock is let go, so no other writer can come between
    the file and the SHA-256 the catalog keeps of it."""
    with sidecar_lock(original):
        written = _merge_locked(sidecar_path(original), change)
        if then is not None:
            then(written)
        return written


def _merge_locked(path: Path, change: Callable[[minidom.Document], None]) -> SidecarWritten:
    existing = _read_bytes(path)
    document, declared, aside, encoding = None, False, "", "UTF-8"
    if existing is not None:
        try:
            document = xmp_packet.parse(existing)
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
    return SidecarWritten(hashlib.sha256(data).hexdigest(), aside,
                          encoding if encoding != "UTF-8" else "")
