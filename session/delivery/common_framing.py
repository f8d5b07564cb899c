"""The framing a whole set can be delivered at when no house look was chosen: the loosest
framing the tightest shot allows, so every delivered face is the same size on the same eye
line and no crop needs padding. For each shot, a crop of face height ``f`` (face over crop)
is ``face / f`` tall; it must fit the frame (``f`` at least the face's share of the frame,
and of its width at the delivery aspect, and of its room either side of the face), and the
eye line ``e`` must leave the crop inside the frame above and below. The smallest ``f`` with
an eye line every shot allows is chosen, the eye line nearest the set's median; the studio's
limit (FACE_MOST) keeps one face-filling shot from cropping everyone to the eyes: past it,
that shot is named in the report, never padded.

Pure Python; any thread; microseconds.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path

from PIL import Image

from media.decode.jpeg_export import upright_size
from session.people.house_look import HouseLook

FACE_MOST = 0.5          # the tightest common framing: the face half the crop's height
STEP = 1.01


def _number(values: Mapping[str, object], key: str) -> float | None:
    value = values.get(key)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def common_look(shots: Sequence[tuple[Mapping[str, object], tuple[int, int]]],
                aspect: tuple[int, int]) -> HouseLook | None:
    """``shots``: each shot's measurements and its frame's (width, height) as shown; None
    when no face was measured."""
    faces = []
    for measured, (width, height) in shots:
        face, eyes, centre = (_number(measured, k) for k in ("face_height", "eye_line",
                                                             "face_center_x"))
        if face and eyes is not None and centre is not None and width and height:
            faces.append((face, eyes, centre, width / height))
    if not faces:
        return None
    crop_aspect = aspect[0] / aspect[1]

    def tightest(face: float, centre: float, frame_aspect: float) -> float:
        room = 2 * min(centre, 1 - centre)        # the frame's width either side of the face
        return max(face, face * crop_aspect / frame_aspect,
                   face * crop_aspect / (frame_aspect * room) if room > 0 else FACE_MOST)

    f = min(FACE_MOST, max(tightest(face, centre, r) for face, _e, centre, r in faces))

    def eye_lines(f: float) -> tuple[float, float]:
        low = max(1 - (1 - eyes) * f / face for face, eyes, _c, _r in faces)
        high = min(eyes * f / face for face, eyes, _c, _r in faces)
        return low, high

    low, high = eye_lines(f)
    while low > high and f < FACE_MOST:
        f = min(FACE_MOST, f * STEP)
        low, high = eye_lines(f)
    preferred = statistics.median(eyes for _f, eyes, _c, _r in faces)
    eye_line = min(max(preferred, low), high) if low <= high else (low + high) / 2
    return HouseLook(eye_line=eye_line, face_height=f,
                     source=f"the common framing of {len(faces)} shots")


def frame_size(path: Path) -> tuple[int, int]:
    """The picture's size as shown (upright), from its header; (0, 0) when unreadable (the
    shape common_look wants beside each shot's measurements)."""
    try:
        with Image.open(path) as image:
            return upright_size(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return 0, 0
