"""Faces too small for the face model's own detector (a short-range one): three-quarter and
full-length portraits, seated poses, a person standing back from a team backdrop. The pose
model finds the body and its head (without a body in the frame, the face model looks at it a
window at a time); the face model then looks at a crop around the head, cut
from a decode detailed enough for it, and its landmarks are put back into the whole frame's
coordinates, so every measurement keeps its meaning relative to the frame.

Pure Python/NumPy; runs on the capture-analysis thread or the command line's; blocks for one
pose inference, at most one larger decode and one face inference (~100-250 ms).
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np

from coaching.landmarking.head_box import (
    MIN_VISIBILITY,
    HeadBox,
    around,
    head_box,
    on_whole_frame,
)
from coaching.landmarking.landmarks import Landmarking
from coaching.measure.observation import FaceObservation, Observation, PoseObservation
from media.decode.previews import ImageUnreadable, decode_for_display
from media.imaging import grey, resize

CROP_PIXELS = 256                   # the head crop is cut from a decode that gives it this
CROP_EDGE_MAX = 768
# Without a body for the pose model (a tight portrait set small in a large frame), the face
# model is shown the frame a window at a time: windows of these sides (frame heights) with
# these strides, the larger first; a face of up to side - stride fits whole in one of them.
WINDOWS = ((0.5, 0.25), (0.3, 0.2))
MAX_PEOPLE = 4                      # the people looked for in a group (the face model's too)


def search_windows(landmarkers: Landmarking, rgb: np.ndarray) -> HeadBox | None:
    """The largest face the face model finds in windows over the frame (None: none)."""
    height, width = rgb.shape[:2]
    aspect = width / height
    for side, stride in WINDOWS:
        w, h = min(1.0, side / aspect), side
        found: list[tuple[float, HeadBox]] = []
        for top in _steps(h, stride):
            for left in _steps(w, stride / aspect):
                x0, y0 = round(left * width), round(top * height)
                crop = np.ascontiguousarray(rgb[y0:y0 + round(h * height),
                                                x0:x0 + round(w * width)])
                for face in landmarkers.detect_faces(crop).faces:
                    found.append((face.height * h, around(face, left, top, w, h, aspect)))
        if found:
            return max(found, key=lambda item: item[0])[1]
    return None


def _steps(size: float, stride: float) -> list[float]:
    """Window starts from 0 to 1 - size, ``stride`` apart, the last flush with the edge."""
    if size >= 1.0:
        return [0.0]
    count = max(1, math.ceil((1.0 - size) / stride))
    return [min(i * stride, 1.0 - size) for i in range(count + 1)]


def _detail(path: Path | None, shown: np.ndarray, box: HeadBox) -> np.ndarray:
    """A decode of the frame in which the head's crop has about CROP_PIXELS."""
    needed = math.ceil(CROP_PIXELS / max(box.width, box.height))
    if path is None or max(shown.shape[:2]) >= needed:
        return shown
    try:
        return decode_for_display(path, (needed, needed)).rgb
    except (ImageUnreadable, OSError):
        return shown


def _faces_at(landmarkers: Landmarking, detail: np.ndarray, box: HeadBox
              ) -> tuple[FaceObservation, ...]:
    """The faces the face model finds in ``detail``'s crop at ``box``, in the whole frame."""
    height, width = detail.shape[:2]
    x0, y0 = round(box.left * width), round(box.top * height)
    x1, y1 = round((box.left + box.width) * width), round((box.top + box.height) * height)
    crop = np.ascontiguousarray(detail[y0:y1, x0:x1])
    if min(crop.shape[:2]) < 16:
        return ()
    if max(crop.shape[:2]) > CROP_EDGE_MAX:
        scale = CROP_EDGE_MAX / max(crop.shape[:2])
        crop = resize(crop, (round(crop.shape[1] * scale), round(crop.shape[0] * scale)))
    exact = HeadBox(x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height)
    return tuple(on_whole_frame(face, exact) for face in landmarkers.detect_faces(crop).faces)


def _inside(face: FaceObservation, faces: tuple[FaceObservation, ...]) -> bool:
    """Whether ``face``'s centre lies within one of ``faces`` (the same person found twice)."""
    x, y = (float(v) for v in face.landmarks[:, :2].mean(axis=0))
    for other in faces:
        xs, ys = other.landmarks[:, 0], other.landmarks[:, 1]
        if xs.min() <= x <= xs.max() and ys.min() <= y <= ys.max():
            return True
    return False


def _body_box(points: np.ndarray, aspect: float) -> tuple[float, float, float, float]:
    """A person's extent from their pose (left, top, right, bottom, fractions of the frame),
    the head's crop included, down to the frame's foot (what stands in front of them)."""
    seen = points[points[:, 3] >= MIN_VISIBILITY] if (points[:, 3] >= MIN_VISIBILITY).any() \
        else points
    left, right = float(seen[:, 0].min()), float(seen[:, 0].max())
    top = float(seen[:, 1].min())
    head = head_box(points, aspect)
    if head is not None:
        left, top = min(left, head.left), min(top, head.top)
        right = max(right, head.left + head.width)
    pad = 0.05 * (right - left)
    return max(0.0, left - pad), max(0.0, top), min(1.0, right + pad), 1.0


def _other_people(landmarkers: Landmarking, rgb: np.ndarray, pose: PoseObservation | None
                  ) -> list[np.ndarray]:
    """The poses of the other people in the frame: those the pose model returned beside the
    main one, then those it finds once the people already found are covered (its detector
    keeps only the larger of two people of different sizes)."""
    if pose is None:
        return []
    aspect = rgb.shape[1] / rgb.shape[0]
    people = [pose.landmarks, *pose.others]
    covered = rgb.copy()
    height, width = rgb.shape[:2]
    fresh = people
    while len(people) < MAX_PEOPLE:
        for points in fresh:                      # each person covered once
            x0, y0, x1, y1 = _body_box(points, aspect)
            covered[round(y0 * height):round(y1 * height),
                    round(x0 * width):round(x1 * width)] = 128
        found = landmarkers.add_pose(Observation(width, height, (), None), covered).pose
        if found is None or head_box(found, aspect) is None:
            break
        fresh = [found.landmarks]
        people = [*people, found.landmarks]
    return people[1:]


def find_small_face(landmarkers: Landmarking, observation: Observation, rgb: np.ndarray,
                    shown: np.ndarray, path: Path | None = None) -> Observation:
    """``observation`` (of ``rgb``, where the face model found nothing) with the pose and,
    when the pose shows a head, the face found at the head; its pictures are then the
    detailed decode, so sharpness and light are measured where the face has pixels. The
    other people the pose model found in the frame (a group) have their faces found too,
    so the shot counts them; the largest face stays the subject."""
    with_pose = landmarkers.add_pose(observation, rgb)
    aspect = rgb.shape[1] / rgb.shape[0]
    box = head_box(with_pose.pose, aspect) or search_windows(landmarkers, rgb)
    if box is None:
        return with_pose
    detail = _detail(path, shown, box)
    faces = _faces_at(landmarkers, detail, box)
    if not faces:
        return with_pose
    for other in _other_people(landmarkers, rgb, with_pose.pose):
        other_box = head_box(other, aspect)
        if other_box is not None:
            faces += tuple(face for face in _faces_at(landmarkers, detail, other_box)
                           if not _inside(face, faces))
    height, width = detail.shape[:2]
    return replace(with_pose, width=width, height=height, faces=faces, gray=grey(detail),
                   rgb=detail)
