"""File formats the simulated camera writes: JPEG with real EXIF and an embedded thumbnail,
and a TIFF-based RAW with an embedded JPEG preview (like NEF/CR2/ARW/DNG).

Pure Python + Pillow. Runs on the simulated camera's processing thread; CPU-bound.
"""

from __future__ import annotations

import time
import zlib
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from camera.simulated.tiff_writer import (
    ASCII,
    LONG,
    RATIONAL,
    SHORT,
    SRATIONAL,
    UNDEFINED,
    Ifd,
    build_tiff,
)
from media.imaging import encode_jpeg, resize


@dataclass(frozen=True)
class ExposureMeta:
    make: str
    model: str
    serial: str
    taken_at: float
    exposure_s: float
    f_number: float
    iso: int
    bias_ev: float = 0.0
    number: int = 0           # the body's shot counter: ImageUniqueID, so no two shots match


def _rational(value: float, limit: int = 10000) -> tuple[int, int]:
    frac = Fraction(value).limit_denominator(limit)
    return frac.numerator, frac.denominator


def exif_tiff(meta: ExposureMeta, width: int, height: int, thumbnail: bytes) -> bytes:
    """The TIFF body of an EXIF APP1 segment: IFD0, Exif IFD, IFD1 with the thumbnail."""
    stamp = time.strftime("%Y:%m:%d %H:%M:%S", time.localtime(meta.taken_at))
    ifd0 = (Ifd("ifd0", next_ifd="ifd1")
            .add(0x010F, ASCII, meta.make).add(0x0110, ASCII, meta.model)
            .add(0x0112, SHORT, 1)
            .add(0x011A, RATIONAL, (300, 1)).add(0x011B, RATIONAL, (300, 1))
            .add(0x0128, SHORT, 2).add(0x0132, ASCII, stamp)
            .add(0x8769, LONG, lambda off: off["exif"]))
    bias = Fraction(meta.bias_ev).limit_denominator(6)
    exif = (Ifd("exif")
            .add(0x829A, RATIONAL, _rational(meta.exposure_s))
            .add(0x829D, RATIONAL, _rational(meta.f_number, 10))
            .add(0x8827, SHORT, meta.iso)
            .add(0x9000, UNDEFINED, b"0231")
            .add(0x9003, ASCII, stamp).add(0x9004, ASCII, stamp)
            .add(0x9204, SRATIONAL, (bias.numerator, bias.denominator))
            .add(0x9291, ASCII, f"{int(meta.taken_at * 100) % 100:02d}")
            .add(0xA002, LONG, width).add(0xA003, LONG, height)
            .add(0xA420, ASCII, f"{zlib.crc32(meta.serial.encode()):08x}{meta.number:024x}")
            .add(0xA431, ASCII, meta.serial))
    ifd1 = (Ifd("ifd1")
            .add(0x0103, SHORT, 6)
            .add(0x011A, RATIONAL, (72, 1)).add(0x011B, RATIONAL, (72, 1)).add(0x0128, SHORT, 2)
            .add(0x0201, LONG, lambda off: off["thumb"])
            .add(0x0202, LONG, len(thumbnail)))
    tiff, _ = build_tiff([ifd0, exif, ifd1], {"thumb": thumbnail})
    return tiff


def thumbnail_of(rgb: np.ndarray, long_edge: int = 320, quality: int = 80) -> bytes:
    h, w = rgb.shape[:2]
    scale = long_edge / max(h, w)
    return encode_jpeg(resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale)))),
                       quality)


def jpeg_with_exif(rgb: np.ndarray, meta: ExposureMeta, quality: int = 90) -> bytes:
    """Encode ``rgb`` as a JPEG whose APP1 EXIF carries ``meta`` and a 320 px thumbnail."""
    return splice_exif(encode_jpeg(rgb, quality),
                       exif_tiff(meta, rgb.shape[1], rgb.shape[0], thumbnail_of(rgb)))


def splice_exif(body: bytes, tiff: bytes) -> bytes:
    """An encoded JPEG with ``tiff`` as its EXIF (APP1), first segment after SOI."""
    app1 = b"Exif\0\0" + tiff
    if len(app1) + 2 > 0xFFFF:
        raise ValueError("EXIF segment too large")
    # Replace the encoder's JFIF APP0 so that EXIF is the first segment after SOI.
    rest = body[2:]
    if rest[:2] == b"\xff\xe0":
        rest = rest[2 + int.from_bytes(rest[2:4], "big"):]
    return b"\xff\xd8\xff\xe1" + (len(app1) + 2).to_bytes(2, "big") + app1 + rest


def tiff_raw(rgb: np.ndarray, meta: ExposureMeta, raw_payload: bytes) -> bytes:
    """A TIFF-structured RAW stand-in: IFD0 with the camera's tags and an embedded full-width
    preview JPEG (as NEF/CR2/ARW carry), followed by opaque sensor data."""
    h, w = rgb.shape[:2]
    return raw_with_preview(thumbnail_of(rgb, long_edge=1620, quality=85), w, h, meta,
                            raw_payload)


def raw_with_preview(preview: bytes, w: int, h: int, meta: ExposureMeta,
                     raw_payload: bytes) -> bytes:
    """The RAW stand-in around an already encoded preview JPEG."""
    stamp = time.strftime("%Y:%m:%d %H:%M:%S", time.localtime(meta.taken_at))
    ifd0 = (Ifd("ifd0")
            .add(0x00FE, LONG, 1)
            .add(0x0103, SHORT, 6)
            .add(0x010F, ASCII, meta.make).add(0x0110, ASCII, meta.model)
            .add(0x0132, ASCII, stamp)
            .add(0x0201, LONG, lambda off: off["preview"])
            .add(0x0202, LONG, len(preview))
            .add(0xA002, LONG, w).add(0xA003, LONG, h))
    tiff, _ = build_tiff([ifd0], {"preview": preview, "sensor": raw_payload})
    return tiff
