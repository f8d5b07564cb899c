"""What the review derives from the live session's shots: where the eyes are (for 100 % on
the eyes) and the similar-shot bursts with their suggested best frames (a rejected frame is
never suggested).

Pure Python; any thread (the review runs it on the GUI thread: microseconds per shot).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from session.model.flags import flags_from
from session.model.live_session import Shot
from session.people.house_look import HouseLook
from session.review.bursts import Burst, ShotFacts, group_bursts


def eyes_of(result: Mapping[str, object] | None) -> tuple[float, float] | None:
    """The normalised eye centre from an analysis (older analyses: face centre and eye line)."""
    if not result:
        return None
    eyes = result.get("eyes")
    if isinstance(eyes, list) and len(eyes) == 2 and all(isinstance(v, int | float)
                                                         for v in eyes):
        return float(eyes[0]), float(eyes[1])
    values = result.get("measurements") or {}
    if not isinstance(values, Mapping):
        return None
    x, y = values.get("face_center_x"), values.get("eye_line")
    if isinstance(x, int | float) and isinstance(y, int | float):
        return float(x), float(y)
    return None


def facts_for(shot: Shot) -> ShotFacts:
    result = shot.analysis
    if not result:
        return ShotFacts(shot.key, shot.taken, {})
    measurements = result.get("measurements")
    flags = result.get("flags")
    return ShotFacts(shot.key, shot.taken,
                     dict(measurements) if isinstance(measurements, Mapping) else {},
                     flags_from(flags if isinstance(flags, list) else ()))


def bursts_for(shots: Sequence[Shot], smile_range: tuple[float, float],
               look: HouseLook | None = None) -> tuple[Burst, ...]:
    return tuple(group_bursts([facts_for(s) for s in shots], smile_range,
                              {s.key for s in shots if s.rejected}, look))
