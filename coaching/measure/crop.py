"""The photographer's crop (the live view's aspect mask) as the coach's frame of reference:
where the crop sits in the camera frame, and framing measurements re-expressed inside it, so
'eyes to the upper third', 'centre' and 'zoom' cues judge the picture that will be delivered.
Pure functions; any thread."""

from __future__ import annotations

from dataclasses import dataclass, replace

from coaching.measure.measurements import Measurements
from media.crop_box import centred_box


@dataclass(frozen=True)
class Crop:
    """A rectangle in normalised frame coordinates (0..1)."""

    x: float = 0.0
    y: float = 0.0
    width: float = 1.0
    height: float = 1.0

    @property
    def full(self) -> bool:
        return self == Crop()


def centred_crop(frame_width: int, frame_height: int, ratio: tuple[int, int] | None) -> Crop:
    """The largest centred crop of ``ratio`` (width, height) in the frame; the whole frame for
    None. The same rectangle the live view's aspect mask shades around."""
    if ratio is None or frame_width <= 0 or frame_height <= 0:
        return Crop()
    left, top, width, height = centred_box(frame_width, frame_height, ratio)
    return Crop(left / frame_width, top / frame_height, width / frame_width,
                height / frame_height)


def within_crop(m: Measurements, crop: Crop) -> Measurements:
    """``m`` with its framing measurements (eye line, face centre, face height) relative to
    ``crop`` instead of the whole frame; expression and pose are unchanged."""
    if crop.full:
        return m
    return replace(
        m,
        eye_line=None if m.eye_line is None else (m.eye_line - crop.y) / crop.height,
        face_center_x=None if m.face_center_x is None
        else (m.face_center_x - crop.x) / crop.width,
        face_height=None if m.face_height is None else m.face_height / crop.height)
