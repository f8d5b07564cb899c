"""Fast images of a capture for display: the embedded preview first (EXIF thumbnail of a JPEG,
the embedded JPEG of a RAW), then a fit-to-screen decode at reduced scale (libjpeg's DCT
scaling through OpenCV's IMREAD_REDUCED_* flags).

Pure NumPy/Pillow. Runs on image-loader threads, never the GUI thread; blocks on disk reads
and decoding (a few ms for a preview, tens of ms for a reduced 24 MP decode).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from media.decode.tiff_reader import TiffReader, exif_tiff, jpeg_size
from media.file_kinds import is_raw_name
from media.imaging import (
    decode,
    decode_image,
    fitted_size,
    oriented,
    read_only,
    resize,
    upright_fitted,
)

HEADER_BYTES = 256 * 1024


class ImageUnreadable(Exception):
    """The file is not an image we can show; the message says which file and why."""


@dataclass(frozen=True)
class DisplayImage:
    rgb: np.ndarray          # read-only, RGB uint8
    source_size: tuple[int, int]
    embedded: bool           # True for an embedded preview (lower quality, very fast)
    warning: str = ""
    damaged: bool = False    # part of the picture is missing (truncated): shown, not judged


def is_raw(path: Path) -> bool:
    return is_raw_name(path.name)


def _read(path: Path, limit: int | None = None) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(limit) if limit else handle.read()
    except OSError as exc:
        raise ImageUnreadable(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc


JPEG_TAIL_BYTES = 64


def jpeg_tail_complete(tail: bytes) -> bool:
    """True when a JPEG's last JPEG_TAIL_BYTES hold its end-of-image marker (trailing
    padding allowed): a truncated file has none."""
    return b"\xff\xd9" in tail[-JPEG_TAIL_BYTES:].rstrip(b"\0")


def _orientation(tiff: bytes | None) -> int:
    if not tiff:
        return 1
    reader = TiffReader(tiff)
    return reader.entries(reader.first_ifd()).get(0x0112, (0, 0, 1))[2]


def embedded_preview_jpeg(path: Path) -> bytes | None:
    """The largest JPEG embedded in the file (RAW preview or EXIF thumbnail), or None."""
    if is_raw(path):
        try:
            import rawpy

            with rawpy.imread(str(path)) as raw:
                thumb = raw.extract_thumb()
            if thumb.format == rawpy.ThumbFormat.JPEG:
                return bytes(thumb.data)
        except Exception:  # LibRaw refuses: fall back to walking the TIFF structure
            pass
        jpegs = TiffReader(_read(path)).embedded_jpegs()
        return jpegs[0] if jpegs else None
    tiff = exif_tiff(_read(path, HEADER_BYTES))
    jpegs = TiffReader(tiff).embedded_jpegs() if tiff else []
    return jpegs[0] if jpegs else None


def embedded_preview(path: Path) -> DisplayImage | None:
    """The embedded preview decoded and turned upright, or None when there is none."""
    jpeg = embedded_preview_jpeg(path)
    rgb = decode(jpeg) if jpeg else None
    if rgb is None:
        return None
    header = _read(path, HEADER_BYTES)
    tiff = exif_tiff(header) if not is_raw(path) else None
    rgb = oriented(rgb, _orientation(tiff))
    size = jpeg_size(header) or (rgb.shape[1], rgb.shape[0])
    return DisplayImage(rgb, size, True)


def reduction_factor(source: tuple[int, int], target: tuple[int, int]) -> int:
    """The largest DCT scale 1/1, 1/2, 1/4 or 1/8 that still covers the fitted target size."""
    sw, sh = source
    tw, th = target
    fit = min(tw / sw, th / sh, 1.0)
    need_w, need_h = sw * fit, sh * fit
    factor = 1
    for candidate in (2, 4, 8):
        if sw / candidate >= need_w and sh / candidate >= need_h:
            factor = candidate
    return factor


def fit_within(rgb: np.ndarray, target: tuple[int, int]) -> np.ndarray:
    size = fitted_size((rgb.shape[1], rgb.shape[0]), target)
    return rgb if size is None else read_only(resize(rgb, size))


def decode_for_display(path: Path, target: tuple[int, int]) -> DisplayImage:
    """Full-quality image fitted into ``target`` (w, h), decoded at reduced scale. A RAW file
    gives its embedded full-size preview. Raises ImageUnreadable with a clear message."""
    if is_raw(path):
        preview = embedded_preview(path)
        if preview is None:
            raise ImageUnreadable(f"{path.name}: this RAW file has no embedded preview")
        return DisplayImage(fit_within(preview.rgb, target), preview.source_size, False)
    data = _read(path)
    size = jpeg_size(data)
    if size is None:
        rgb = decode(data)
        if rgb is None:
            raise ImageUnreadable(f"{path.name}: not an image Catchlight can read "
                                  "(corrupt, truncated or another kind of file)")
        return DisplayImage(fit_within(rgb, target), (rgb.shape[1], rgb.shape[0]), False)
    factor = reduction_factor(size, target)
    fit = (max(1, size[0] // factor), max(1, size[1] // factor))
    image = decode_image(data, fit)
    warning = ""
    if not jpeg_tail_complete(data):
        warning = f"{path.name} is truncated: part of the picture is missing"
        if image is None:
            image = decode_image(data, fit, allow_truncated=True)
    if image is None:
        raise ImageUnreadable(f"{path.name}: the JPEG data is corrupt and cannot be shown")
    if image.width * 2 <= fit[0] and not warning:
        warning = (f"{path.name} ({size[0]}x{size[1]}) is too large to decode in full; it is "
                   f"shown at {image.width}x{image.height}")
    # Turned and fitted before the one copy into NumPy (of the small picture).
    rgb = upright_fitted(image, _orientation(exif_tiff(data[:HEADER_BYTES])), target)
    return DisplayImage(rgb, size, False, warning, damaged=not jpeg_tail_complete(data))
