"""Where the head is when the face model's own detector cannot find a face that small: a
square around the head the pose model found (its nose, eyes and ears), or around a face found
in a window of the frame; and a face found in such a crop put back into the whole frame's
normalised coordinates. Shared by the stills analysis (coaching.stills.head_finder) and the
live coach's landmarkers.

Pure Python/NumPy; any thread; microseconds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from coaching.measure.observation import FaceObservation, PoseObservation
from media.imaging import read_only

HEAD_POINTS = tuple(range(11))      # the pose model's nose, eyes, ears and mouth
EARS, EYES_OUTER = (7, 8), (3, 6)
MIN_VISIBILITY = 0.5
CROP_HEAD_WIDTHS = 3.0              # the crop around the head, in head widths
HEAD_PER_EYE_SPAN = 1.9             # a head's width, in outer-eye-corner spans


@dataclass(frozen=True)
class HeadBox:
    """A square around the head: left, top, width and height as fractions of the frame."""

    left: float
    top: float
    width: float
    height: float


def head_span(points: np.ndarray) -> float:
    """How large a pose's head is (its ears' span, unscaled; 0 when they are not seen): which
    of several people is the main subject."""
    if min(points[7, 3], points[8, 3]) < MIN_VISIBILITY:
        return float(math.dist(points[3, :2], points[6, :2]) * HEAD_PER_EYE_SPAN)
    return float(math.dist(points[7, :2], points[8, :2]))


def head_box(pose: PoseObservation | np.ndarray | None, aspect: float) -> HeadBox | None:
    """The crop around the head the pose model found (None: no head it is sure of): of the
    main pose, or of one of ``pose.others`` given as its landmarks. ``aspect``: the frame's
    width over its height."""
    if pose is None:
        return None
    points = pose.landmarks if isinstance(pose, PoseObservation) else pose
    seen = [i for i in HEAD_POINTS if points[i, 3] >= MIN_VISIBILITY]
    if 0 not in seen or len(seen) < 3:
        return None

    def span(a: int, b: int) -> float:        # in frame heights
        return math.hypot((points[a, 0] - points[b, 0]) * aspect, points[a, 1] - points[b, 1])

    width = max(span(*EARS) if all(e in seen for e in EARS) else 0.0,
                span(*EYES_OUTER) * HEAD_PER_EYE_SPAN if all(e in seen for e in EYES_OUTER)
                else 0.0)
    if width <= 0.0:
        return None
    side = CROP_HEAD_WIDTHS * width              # in frame heights
    x, y = float(points[0, 0]), float(points[0, 1])
    w, h = side / aspect, side
    left, top = min(max(0.0, x - w / 2), max(0.0, 1 - w)), min(max(0.0, y - h / 2), max(0.0, 1 - h))
    return HeadBox(left, top, min(w, 1.0), min(h, 1.0))


def around(face: FaceObservation, left: float, top: float, width: float, height: float,
            aspect: float) -> HeadBox:
    """The head box around a face found in the window (left, top, width, height)."""
    xs = left + face.landmarks[:, 0] * width
    ys = top + face.landmarks[:, 1] * height
    side = CROP_HEAD_WIDTHS / 1.6 * max(float(ys.max() - ys.min()),
                                        float(xs.max() - xs.min()) * aspect)
    w, h = min(1.0, side / aspect), min(1.0, side)
    cx, cy = float(xs.mean()), float(ys.mean())
    return HeadBox(min(max(0.0, cx - w / 2), 1 - w), min(max(0.0, cy - h / 2), 1 - h), w, h)


def on_whole_frame(face: FaceObservation, box: HeadBox) -> FaceObservation:
    """A face found in the crop, in the whole frame's normalised coordinates."""
    points = face.landmarks.astype(np.float32).copy()
    points[:, 0] = box.left + points[:, 0] * box.width
    points[:, 1] = box.top + points[:, 1] * box.height
    points[:, 2] = points[:, 2] * box.width       # depth is relative to the image's width
    return FaceObservation(read_only(points), face.blendshapes, face.matrix)
