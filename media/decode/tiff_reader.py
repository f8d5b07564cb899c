"""Read-only parsing of JPEG marker segments and TIFF/EXIF IFDs, enough to find embedded
previews without decoding the image. Pure Python, any thread, non-blocking; never raises on
malformed input (it yields less instead).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}


def jpeg_segments(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(marker, payload) for each segment before the image data."""
    if data[:2] != b"\xff\xd8":
        return
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker in (0xD9, 0xDA):
            return
        length = int.from_bytes(data[pos + 2:pos + 4], "big")
        if length < 2:
            return
        yield marker, data[pos + 4:pos + 2 + length]
        pos += 2 + length


def jpeg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the frame header, or None."""
    for marker, payload in jpeg_segments(data):
        if marker in SOF_MARKERS and len(payload) >= 5:
            height, width = struct.unpack(">HH", payload[1:5])
            return width, height
    return None


class TiffReader:
    """Walks the IFDs of a TIFF structure (EXIF APP1 body or a TIFF-based RAW file)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        order = data[:2]
        self.endian = "<" if order == b"II" else ">" if order == b"MM" else ""

    def _unpack(self, fmt: str, offset: int) -> tuple:
        return struct.unpack_from(self.endian + fmt, self.data, offset)

    def first_ifd(self) -> int:
        if not self.endian or len(self.data) < 8:
            return 0
        return self._unpack("I", 4)[0]

    def entries(self, offset: int) -> dict[int, tuple[int, int, int]]:
        """tag -> (type, count, value-or-offset) for the IFD at ``offset``."""
        out: dict[int, tuple[int, int, int]] = {}
        if not self.endian or not 8 <= offset <= len(self.data) - 2:
            return out
        count = self._unpack("H", offset)[0]
        for i in range(min(count, 512)):
            pos = offset + 2 + 12 * i
            if pos + 12 > len(self.data):
                break
            tag, kind, n = self._unpack("HHI", pos)
            size = _TYPE_SIZES.get(kind, 1) * n
            if size <= 4 and kind == 3:
                value = self._unpack("H", pos + 8)[0]
            else:
                value = self._unpack("I", pos + 8)[0]
            out[tag] = (kind, n, value)
        return out

    def next_ifd(self, offset: int) -> int:
        count = self._unpack("H", offset)[0] if 8 <= offset <= len(self.data) - 2 else 0
        pos = offset + 2 + 12 * count
        return self._unpack("I", pos)[0] if pos + 4 <= len(self.data) else 0

    def all_ifds(self, limit: int = 32) -> list[int]:
        """IFD0 and its chain, plus SubIFDs and the EXIF IFD, without loops."""
        seen: list[int] = []
        todo = [self.first_ifd()]
        while todo and len(seen) < limit:
            offset = todo.pop(0)
            if not offset or offset in seen or offset >= len(self.data):
                continue
            seen.append(offset)
            entries = self.entries(offset)
            todo.append(self.next_ifd(offset))
            for tag in (0x014A, 0x8769):
                if tag in entries:
                    kind, count, value = entries[tag]
                    if count == 1:
                        todo.append(value)
                    else:
                        todo.extend(self._unpack(f"{min(count, 8)}I", value)
                                    if value + 4 * min(count, 8) <= len(self.data) else ())
        return seen

    def embedded_jpegs(self) -> list[bytes]:
        """Every JPEG an IFD points to (thumbnails and previews), largest first."""
        found = []
        for offset in self.all_ifds():
            entries = self.entries(offset)
            if 0x0201 in entries and 0x0202 in entries:
                start, length = entries[0x0201][2], entries[0x0202][2]
                blob = self.data[start:start + length]
                if blob[:2] == b"\xff\xd8" and len(blob) == length:
                    found.append(blob)
        return sorted(found, key=len, reverse=True)


def exif_tiff(data: bytes) -> bytes | None:
    """The TIFF body of a JPEG's EXIF APP1 segment."""
    for marker, payload in jpeg_segments(data):
        if marker == 0xE1 and payload[:6] == b"Exif\0\0":
            return payload[6:]
    return None
