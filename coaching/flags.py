"""Capture flags: what a reviewer must know about a shot at a glance. Pure Python; any thread."""

from __future__ import annotations

from coaching.measurements import Measurements

EYES_CLOSED_AT = 0.5
HALF_BLINK_AT = 0.35
SOFT_EYES_BELOW = 0.35
NOT_LOOKING_BELOW = 0.35
FLAG_IDS = ("no_face", "multiple_faces", "eyes_closed", "half_blink", "eyes_soft",
            "not_looking")


def capture_flags(faces: int, m: Measurements) -> list[str]:
    if faces == 0:
        return ["no_face"]
    flags = ["multiple_faces"] if faces > 1 else []
    closures = [c for c in (m.eye_closed_left, m.eye_closed_right) if c is not None]
    if closures:
        worst = max(closures)
        if worst >= EYES_CLOSED_AT:
            flags.append("eyes_closed")
        elif worst >= HALF_BLINK_AT:
            flags.append("half_blink")
    if m.eye_sharpness is not None and m.eye_sharpness < SOFT_EYES_BELOW:
        flags.append("eyes_soft")
    if m.gaze_at_lens is not None and m.gaze_at_lens < NOT_LOOKING_BELOW \
            and "eyes_closed" not in flags:
        flags.append("not_looking")
    return flags
