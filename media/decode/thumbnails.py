"""Grid thumbnails: the camera's embedded preview when it has one (a few ms), otherwise a
1/8-scale decode; the file's health (truncated, corrupt, not an image) is checked on the way.

Pure Python/Pillow; runs on thumbnail threads; blocks on disk reads and a small decode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from media.decode.previews import (
    JPEG_TAIL_BYTES,
    ImageUnreadable,
    decode_for_display,
    embedded_preview,
    fit_within,
    jpeg_tail_complete,
)
from media.imaging import decode, encode_jpeg

THUMB_EDGE = 256
THUMB_QUALITY = 85
MIN_EMBEDDED_EDGE = 120  # smaller embedded previews are too coarse for the grid


@dataclass(frozen=True)
class Thumbnail:
    jpeg: bytes               # empty when the file could not be read at all
    width: int
    height: int
    problem: str = ""         # what is wrong with the file, for the photographer


def jpeg_is_complete(path: Path) -> bool:
    """The display's truncation check (previews.jpeg_tail_complete) on the file's tail only."""
    try:
        with open(path, "rb") as handle:
            handle.seek(max(0, os.fstat(handle.fileno()).st_size - JPEG_TAIL_BYTES))
            tail = handle.read()
    except OSError:
        return False
    return jpeg_tail_complete(tail)


def make_thumbnail(path: Path, edge: int = THUMB_EDGE) -> Thumbnail:
    """A JPEG thumbnail of ``path`` fitted in ``edge`` px; never raises for a bad file."""
    problem = ""
    if path.suffix.lower() in (".jpg", ".jpeg") and not jpeg_is_complete(path):
        problem = f"{path.name} is truncated: part of the picture is missing"
    try:
        preview = embedded_preview(path)
        if preview is not None and max(preview.rgb.shape[:2]) >= MIN_EMBEDDED_EDGE:
            rgb = preview.rgb
        else:
            shown = decode_for_display(path, (edge, edge))
            rgb = shown.rgb
            problem = problem or shown.warning
    except ImageUnreadable as exc:
        return Thumbnail(b"", 0, 0, str(exc))
    except Exception as exc:  # any failure: a hostile file must not stop the grid
        return Thumbnail(b"", 0, 0, f"{path.name}: cannot be read ({exc})")
    small = fit_within(rgb, (edge, edge))
    return Thumbnail(encode_jpeg(small, THUMB_QUALITY), small.shape[1], small.shape[0], problem)


def decode_thumbnail(thumb: Thumbnail) -> np.ndarray | None:
    """RGB array of a cached thumbnail, or None."""
    return decode(thumb.jpeg) if thumb.jpeg else None

