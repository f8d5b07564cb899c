"""Small image helpers on Pillow and NumPy (no OpenCV in the application, which keeps the
bundle lean): JPEG decode with libjpeg's DCT scaling, 8-bit RGB from any mode (16-bit
greyscale scaled, not clipped), EXIF orientation (mirrored ones too), encode, area resize,
grey. Pure functions; any thread; CPU-bound (Pillow releases the GIL while it decodes)."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageFile

# Damaged and oversized files are judged and reported in words by the callers; Pillow's own
# warnings about them would only reach the photographer's terminal.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)
warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")

# What Pillow may open at all: a JPEG of this size is still decoded, at reduced scale. Our
# own limits below decide what is decoded, so Pillow never warns on the terminal.
Image.MAX_IMAGE_PIXELS = 1_000_000_000
# Pixels a decode may produce (cameras reach 100-200 MP; a larger JPEG is decoded at 1/2,
# 1/4 or 1/8 scale; other formats, which cannot be scaled while decoding, are refused).
MAX_DECODE_PIXELS = 250_000_000
# Even a flat grey JPEG needs about one byte per 100 pixels; a header claiming far more
# pixels than its data can hold is damaged or hostile, and decoding it would take seconds.
MAX_JPEG_PIXELS_PER_BYTE = 1000
SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


class TooLarge(ValueError):
    """A valid picture too large to decode at the size asked for."""


def read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def rgb8(image: Image.Image) -> Image.Image:
    """``image`` as 8-bit RGB. 16-bit (and 32-bit integer) greyscale is scaled from its full
    range (Pillow's own conversion clips it to white)."""
    if image.mode == "RGB":
        return image
    if image.mode in SIXTEEN_BIT_MODES:
        values = np.asarray(image).astype(np.float32)
        top = 65535.0 if image.mode != "I" or values.max(initial=0) > 255 else 255.0
        grey = np.clip(values * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(grey).convert("RGB")
    if image.mode == "F":
        values = np.asarray(image)
        top = 1.0 if values.max(initial=0) <= 1.0 else 255.0
        grey = np.clip(values * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
        return Image.fromarray(grey).convert("RGB")
    return image.convert("RGB")


def plausible(image: Image.Image, data_bytes: int) -> bool:
    """False for a header claiming a size its data cannot hold (damaged or hostile)."""
    pixels = image.width * image.height
    if image.format == "JPEG":
        return pixels <= (Image.MAX_IMAGE_PIXELS or pixels) and \
            pixels <= MAX_JPEG_PIXELS_PER_BYTE * data_bytes
    return pixels <= MAX_DECODE_PIXELS


def draft_for(image: Image.Image, fit: tuple[int, int] | None) -> None:
    """Ask a JPEG to decode at the smallest DCT scale (1/1..1/8) that still covers ``fit``
    and stays within MAX_DECODE_PIXELS. Raises TooLarge if even 1/8 would not."""
    if image.format != "JPEG":
        return
    scale = 1.0 if fit is None else min(fit[0] / image.width, fit[1] / image.height, 1.0)
    while image.width * scale * image.height * scale > MAX_DECODE_PIXELS and scale > 1 / 8:
        scale /= 2
    image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
    if image.width * image.height > MAX_DECODE_PIXELS:
        raise TooLarge(f"{image.width}x{image.height} is too large to decode")


def decode(data: bytes, fit: tuple[int, int] | None = None, allow_truncated: bool = False
           ) -> np.ndarray | None:
    """RGB uint8 of an encoded image, or None if it cannot be read. With ``fit`` (w, h), a
    JPEG is decoded at the smallest DCT scale (1/1..1/8) that still covers that size; a JPEG
    too large to decode in full is decoded at reduced scale anyway."""
    image = decode_image(data, fit, allow_truncated)
    return None if image is None else read_only(np.asarray(image))


def decode_image(data: bytes, fit: tuple[int, int] | None = None,
                 allow_truncated: bool = False) -> Image.Image | None:
    """``decode``, kept a Pillow image (8-bit RGB), so that turning and fitting it happen
    before the one copy into NumPy (each copy of a large picture holds the interpreter lock)."""
    if not data:
        return None
    if allow_truncated:
        ImageFile.LOAD_TRUNCATED_IMAGES = True  # process-wide: we always want the partial picture
    try:
        # Not closed: closing would drop the pixels, and a BytesIO holds no file open.
        image = Image.open(io.BytesIO(data))
        if not plausible(image, len(data)):
            return None
        draft_for(image, fit)
        image.load()
        return rgb8(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


# EXIF orientation -> the same turn as ``oriented``, on a Pillow image
UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
           4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
           6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}


def upright_fitted(image: Image.Image, orientation: int, target: tuple[int, int]
                   ) -> np.ndarray:
    """``image`` turned upright for an EXIF orientation and fitted within ``target`` (never
    enlarged; area average), then copied into NumPy once: the same pixels as ``oriented``
    then ``fit_within`` on its array, without the two copies of the large one."""
    turn = UPRIGHT.get(orientation)
    if turn is not None:
        image = image.transpose(turn)
    size = fitted_size((image.width, image.height), target)
    if size is not None:
        image = image.resize(size, Image.Resampling.BOX)
    return read_only(np.asarray(image))


def fitted_size(size: tuple[int, int], target: tuple[int, int]) -> tuple[int, int] | None:
    """``size`` (w, h) shrunk to fit within ``target``, or None when it already fits (a
    picture is never enlarged to fit)."""
    w, h = size
    scale = min(target[0] / w, target[1] / h, 1.0)
    if scale >= 0.999:
        return None
    return max(1, round(w * scale)), max(1, round(h * scale))


# EXIF orientation -> how to turn the stored pixels upright (PIL's exif_transpose, on arrays)
def oriented(rgb: np.ndarray, orientation: int) -> np.ndarray:
    """Turn ``rgb`` upright for an EXIF orientation 1-8 (2, 4, 5, 7 are mirrored)."""
    if orientation == 2:
        out = rgb[:, ::-1]
    elif orientation == 3:
        out = rgb[::-1, ::-1]
    elif orientation == 4:
        out = rgb[::-1]
    elif orientation == 5:
        out = np.swapaxes(rgb, 0, 1)
    elif orientation == 6:
        out = np.rot90(rgb, -1)
    elif orientation == 7:
        out = np.swapaxes(rgb[::-1, ::-1], 0, 1)
    elif orientation == 8:
        out = np.rot90(rgb, 1)
    else:
        return rgb
    return read_only(np.ascontiguousarray(out))


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
