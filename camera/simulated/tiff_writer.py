"""A minimal little-endian TIFF/EXIF structure writer (IFD chains, sub-IFD pointers).

Pure Python, used by the simulated camera to give its JPEGs real EXIF with an embedded
thumbnail and to build its TIFF-based RAW files. Runs on the caller's thread; no I/O.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field

ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SRATIONAL = 2, 3, 4, 5, 7, 10
_SIZES = {ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, UNDEFINED: 1, SRATIONAL: 8}

# A value may be a callable taking the resolved {name: offset} map (for pointers).
Value = str | int | bytes | tuple | Callable[[dict[str, int]], int]


@dataclass
class Ifd:
    name: str
    entries: list[tuple[int, int, Value]] = field(default_factory=list)
    next_ifd: str | None = None

    def add(self, tag: int, kind: int, value: Value) -> Ifd:
        self.entries.append((tag, kind, value))
        return self


def _encode(kind: int, value: object) -> tuple[bytes, int]:
    if kind == ASCII:
        raw = str(value).encode("ascii", "replace") + b"\0"
        return raw, len(raw)
    if kind == UNDEFINED:
        if not isinstance(value, bytes | bytearray):
            raise TypeError(f"UNDEFINED needs bytes, not {type(value).__name__}")
        return bytes(value), len(value)
    values = value if isinstance(value, tuple) and kind in (SHORT, LONG) else (value,)
    if kind == SHORT:
        return struct.pack(f"<{len(values)}H", *values), len(values)
    if kind == LONG:
        return struct.pack(f"<{len(values)}I", *values), len(values)
    if not (isinstance(value, tuple) and len(value) == 2):
        raise TypeError(f"a rational needs (numerator, denominator), not {value!r}")
    fmt = "<II" if kind == RATIONAL else "<ii"
    return struct.pack(fmt, *value), 1


def _ifd_size(ifd: Ifd) -> int:
    data = 0
    for _tag, kind, value in ifd.entries:
        raw_len = 4 if callable(value) else len(_encode(kind, value)[0])
        if raw_len > 4:
            data += raw_len + (raw_len & 1)
    return 2 + 12 * len(ifd.entries) + 4 + data


def build_tiff(ifds: list[Ifd], blobs: dict[str, bytes] | None = None) -> tuple[bytes, dict]:
    """Serialise ``ifds`` (the first is IFD0) followed by ``blobs``. Returns the bytes and the
    offsets of every IFD and blob, relative to the TIFF header."""
    blobs = blobs or {}
    offsets: dict[str, int] = {}
    pos = 8
    for ifd in ifds:
        offsets[ifd.name] = pos
        pos += _ifd_size(ifd)
    for name, blob in blobs.items():
        offsets[name] = pos
        pos += len(blob)
    out = bytearray(b"II*\0" + struct.pack("<I", offsets[ifds[0].name]))
    for ifd in ifds:
        entries = sorted(ifd.entries, key=lambda e: e[0])
        data_pos = offsets[ifd.name] + 2 + 12 * len(entries) + 4
        head, data = bytearray(struct.pack("<H", len(entries))), bytearray()
        for tag, kind, value in entries:
            resolved = value(offsets) if callable(value) else value
            raw, count = _encode(kind, resolved)
            if len(raw) <= 4:
                head += struct.pack("<HHI", tag, kind, count) + raw.ljust(4, b"\0")
            else:
                head += struct.pack("<HHII", tag, kind, count, data_pos + len(data))
                data += raw + (b"\0" if len(raw) & 1 else b"")
        head += struct.pack("<I", offsets[ifd.next_ifd] if ifd.next_ifd else 0)
        out += head + data
    for blob in blobs.values():
        out += blob
    return bytes(out), offsets
