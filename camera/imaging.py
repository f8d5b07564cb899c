"""Small image helpers on Pillow and NumPy (no OpenCV in the application, which keeps the
bundle lean): JPEG decode with libjpeg's DCT scaling, encode, area resize, grey.
Pure functions; any thread; CPU-bound (Pillow releases the GIL while it decodes)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFile

# Cameras reach 100 MP; anything far beyond is treated as a decompression bomb.
Image.MAX_IMAGE_PIXELS = 250_000_000
# Even a flat grey JPEG needs about one byte per 100 pixels; a header claiming far more
# pixels than its data can hold is damaged or hostile, and decoding it would take seconds.
MAX_JPEG_PIXELS_PER_BYTE = 1000
_ROT90 = {3: 2, 6: -1, 8: 1}  # EXIF orientation -> quarter turns counter-clockwise


def read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def decode(data: bytes, fit: tuple[int, int] | None = None, allow_truncated: bool = False
           ) -> np.ndarray | None:
    """RGB uint8 of an encoded image, or None if it cannot be read. With ``fit`` (w, h), a
    JPEG is decoded at the smallest DCT scale (1/1..1/8) that still covers that size."""
    if not data:
        return None
    if allow_truncated:
        ImageFile.LOAD_TRUNCATED_IMAGES = True  # process-wide: we always want the partial picture
    try:
        with Image.open(io.BytesIO(data)) as image:
            pixels = image.width * image.height
            if pixels > Image.MAX_IMAGE_PIXELS or (
                    image.format == "JPEG" and pixels > MAX_JPEG_PIXELS_PER_BYTE * len(data)):
                return None
            if fit is not None and image.format == "JPEG":
                scale = min(fit[0] / image.width, fit[1] / image.height, 1.0)
                image.draft("RGB", (max(1, int(image.width * scale)),
                                    max(1, int(image.height * scale))))
            if image.mode != "RGB":
                image = image.convert("RGB")
            image.load()
            return read_only(np.asarray(image))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def oriented(rgb: np.ndarray, orientation: int) -> np.ndarray:
    """Turn ``rgb`` upright for an EXIF orientation (1, 3, 6, 8; mirrored ones are rare)."""
    turns = _ROT90.get(orientation)
    return rgb if turns is None else read_only(np.ascontiguousarray(np.rot90(rgb, turns)))


def resize(array: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Area-average resize of an RGB/grey uint8 array or a float32 grey array to (w, h)."""
    image = Image.fromarray(array)
    return np.asarray(image.resize(size, Image.Resampling.BOX if size[0] < array.shape[1]
                                   else Image.Resampling.BILINEAR))


def encode_jpeg(rgb: np.ndarray, quality: int) -> bytes:
    out = io.BytesIO()
    Image.fromarray(rgb).save(out, "JPEG", quality=quality)
    return out.getvalue()


def grey(rgb: np.ndarray) -> np.ndarray:
    """Luma (ITU-R 601) as uint8."""
    weights = np.array([0.299, 0.587, 0.114], np.float32)
    return read_only((rgb.astype(np.float32) @ weights).astype(np.uint8))
