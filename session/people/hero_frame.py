"""The hero frame as the session keeps it: the measurements of the chosen shot (or reference
picture) that frames are scored against, for the whole day or for one person on the roster.
The dimensions' names are the coach's measurement names (coaching.measure.hero_match reads
and scores them). Pure Python; any thread; immutable.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

DAY = ""                     # the person id of the whole day's hero frame
KEYS = ("head_yaw_deg", "head_pitch_deg", "head_roll_deg", "shoulder_angle_deg", "smile",
        "duchenne", "gaze_at_lens", "eye_openness", "face_height", "eye_line",
        "face_center_x", "lighting_ratio_stops")


@dataclass(frozen=True)
class HeroFrame:
    """The target: the hero shot's measurements (only those it had)."""

    values: dict[str, float] = field(default_factory=dict)
    source: str = ""         # the shot or file it came from, as the photographer knows it

    def as_json(self) -> dict[str, object]:
        return {"source": self.source, "values": dict(self.values)}


def hero_from_json(raw: object) -> HeroFrame | None:
    """A hero frame as stored (as_json), or None when it is not one."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    if not isinstance(raw, dict) or not isinstance(raw.get("values"), dict):
        return None
    values = {str(k): float(v) for k, v in raw["values"].items()
              if k in KEYS and isinstance(v, int | float) and not isinstance(v, bool)
              and math.isfinite(v)}
    return HeroFrame(values, str(raw.get("source", ""))) if values else None


def stored_score(analysis: Mapping[str, object] | None) -> int | None:
    """A shot's match score as its analysis stored it (None: not scored)."""
    found = analysis.get("match") if analysis else None
    score = found.get("score") if isinstance(found, dict) else None
    return int(score) if isinstance(score, int | float) and not isinstance(score, bool) \
        else None
