"""Capture flags from the coach's measurements (the vocabulary is session.model.flags). Pure Python;
any thread."""

from __future__ import annotations

from coaching.measure.measurements import Measurements
from session.model.flags import Flag

EYES_CLOSED_AT = 0.5
HALF_BLINK_AT = 0.35
SOFT_EYES_BELOW = 0.35
NOT_LOOKING_BELOW = 0.35
FACE_CLIPPED_FROM = 0.02      # share of the skin with a channel at the top of its range


def capture_flags(faces: int, m: Measurements) -> list[Flag]:
    if faces == 0:
        return [Flag.NO_FACE]
    flags = [Flag.MULTIPLE_FACES] if faces > 1 else []
    closures = [c for c in (m.eye_closed_left, m.eye_closed_right) if c is not None]
    if closures:
        worst = max(closures)
        if worst >= EYES_CLOSED_AT:
            flags.append(Flag.EYES_CLOSED)
        elif worst >= HALF_BLINK_AT:
            flags.append(Flag.HALF_BLINK)
    if m.eye_sharpness is not None and m.eye_sharpness < SOFT_EYES_BELOW:
        flags.append(Flag.EYES_SOFT)
    if m.gaze_at_lens is not None and m.gaze_at_lens < NOT_LOOKING_BELOW \
            and Flag.EYES_CLOSED not in flags:
        flags.append(Flag.NOT_LOOKING)
    if m.face_clipped is not None and m.face_clipped >= FACE_CLIPPED_FROM:
        flags.append(Flag.FACE_CLIPPED)
    seen = [s for s in (m.catchlight_left, m.catchlight_right) if s is not None]
    if seen and not any(seen) and Flag.EYES_CLOSED not in flags:
        flags.append(Flag.NO_CATCHLIGHT)         # eyes open, no catchlight in either
    return flags
