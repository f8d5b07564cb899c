"""Portraits set into a larger frame, as three-quarter and full-length portraits put the face:
the photo scaled so its face is a given fraction of a 24 MP-class frame's height, the rest of
the frame its own edges replicated (nothing else added). Pure NumPy/Pillow."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

FRAME = (6000, 4000)


def set_into_frame(source: Path, face_height: float, target: float,
                   frame: tuple[int, int] = FRAME) -> np.ndarray | None:
    """The frame with the face at ``target`` of its height (``face_height``: the face's
    fraction of the source's height); None when the source would not fit."""
    with Image.open(source) as opened:
        image = opened.convert("RGB")
    width, height = frame
    scale = target * height / (face_height * image.height)
    w, h = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    if w > width or h > height:
        return None
    small = np.asarray(image.resize((w, h), Image.Resampling.LANCZOS))
    top, left = (height - h) // 2, (width - w) // 2
    return np.pad(small, ((top, height - h - top), (left, width - w - left), (0, 0)),
                  mode="edge")
