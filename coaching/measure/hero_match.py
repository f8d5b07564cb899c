"""The hero frame: a chosen shot (or a reference picture: a brand's style-guide example, last
year's headshot) whose measurements are the target; how near a frame comes to it, as a score
0-100, and the largest differences said in studio words with who acts ("Chin down a touch: 6°
higher than the hero frame", "Camera: step back: face 8 % larger", "Softer smile").

Each measured dimension has a step: the difference a photographer would direct ("a touch").
A frame's distance is the root of the summed squared steps; the score is 100 at the hero
frame and falls smoothly (one step off in one dimension: 88; two: 61; three: 32). Pure Python;
any thread (the live coach's, the capture pipeline's, the command line's); microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from coaching.measure.measurements import Measurements
from session.people.hero_frame import HeroFrame

SUBJECT, CAMERA, LIGHT = "subject", "camera", "light"     # who acts on a difference
SAID_FROM = 1.0              # a difference of a step or more is said
SCORE_SPREAD = 8.0           # score = 100 * exp(-distance² / SCORE_SPREAD)


@dataclass(frozen=True)
class Difference:
    key: str                 # the dimension ("head_pitch_deg", "face_height", ...)
    steps: float             # how far, in the dimension's steps (> 0)
    text: str                # what is said
    who: str                 # SUBJECT, CAMERA or LIGHT

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "steps": round(self.steps, 2), "text": self.text,
                "who": self.who}


@dataclass(frozen=True)
class HeroMatch:
    score: int               # 0-100
    differences: tuple[Difference, ...]   # largest first, every dimension a step or more off

    def as_json(self) -> dict[str, object]:
        return {"score": self.score, "differences": [d.as_json() for d in self.differences]}


def _openness(m: Measurements) -> float | None:
    if m.eye_closed_left is None or m.eye_closed_right is None:
        return None
    return 1.0 - max(m.eye_closed_left, m.eye_closed_right)


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


# Each dimension: how it is read, its step and how a difference (now minus the hero's) is said.
Say = Callable[[float], str]


def _turn(off: float) -> str:
    # Yaw > 0: the nose points toward the image's right, the client turned to their left.
    side = "right" if off > 0 else "left"
    return f"Turn your head a touch to your {side}: {abs(off):.0f}° from the hero frame"


def _chin(off: float) -> str:
    if off > 0:
        return f"Chin down a touch: {off:.0f}° higher than the hero frame"
    return f"Chin up a touch: {-off:.0f}° lower than the hero frame"


def _tilt(off: float) -> str:
    # Roll > 0: the eye line rises toward the image's right (toward the client's right
    # shoulder); back toward the hero is toward the other shoulder.
    side = "left" if off > 0 else "right"
    return (f"Tilt your head a touch toward your {side} shoulder: {abs(off):.0f}° from the "
            "hero frame")


def _shoulders(off: float) -> str:
    if off > 0:
        return f"Square your shoulders a bit: {off:.0f}° more turned than the hero frame"
    return f"Turn your shoulders a bit more: {-off:.0f}° squarer than the hero frame"


def _smile(off: float) -> str:
    return ("Softer smile" if off > 0 else "A little more smile")


def _duchenne(off: float) -> str:
    return ("Relax the eyes a little" if off > 0 else "Smile with the eyes too")


def _gaze(off: float) -> str:
    return ("Eyes a touch off the lens, as in the hero frame" if off > 0
            else "Eyes right into the lens")


def _eyes_open(off: float) -> str:
    return ("Relax the eyes a touch" if off > 0 else "Eyes a touch more open")


def _size(off: float) -> str:
    if off > 0:
        return f"Camera: step back: face {_pct(off)} larger than the hero frame"
    return f"Camera: step in: face {_pct(-off)} smaller than the hero frame"


def _eye_line(off: float) -> str:
    # off > 0: the eyes lower in the frame than the hero's; tilting down raises them.
    if off > 0:
        return f"Camera: tilt down a touch: eyes {_pct(off)} lower than the hero frame"
    return f"Camera: tilt up a touch: eyes {_pct(-off)} higher than the hero frame"


def _centre(off: float) -> str:
    side = "right" if off > 0 else "left"
    return f"Camera: pan a touch {side}: face {_pct(abs(off))} {side} of the hero frame"


def _ratio(off: float) -> str:
    if off > 0:
        return (f"Light: {off:.1f} stop more contrast than the hero frame: add fill or "
                "feather the key")
    return f"Light: {-off:.1f} stop flatter than the hero frame: pull the fill back"


def _pct(fraction: float) -> str:
    return f"{abs(fraction) * 100:.0f} %"


@dataclass(frozen=True)
class Dimension:
    key: str
    read: Callable[[Measurements], float | None]
    step: float
    say: Say
    relative: bool = False   # compared as a ratio (face size): off = now / hero - 1
    who: str = SUBJECT       # who acts on it


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("head_yaw_deg", lambda m: m.head_yaw_deg, 8.0, _turn),
    Dimension("head_pitch_deg", lambda m: m.head_pitch_deg, 5.0, _chin),
    Dimension("head_roll_deg", lambda m: m.head_roll_deg, 4.0, _tilt),
    Dimension("shoulder_angle_deg", lambda m: m.shoulder_angle_deg, 12.0, _shoulders),
    Dimension("smile", lambda m: m.smile, 0.2, _smile),
    Dimension("duchenne", lambda m: None if m.duchenne is None else float(m.duchenne), 1.0,
              _duchenne),
    Dimension("gaze_at_lens", lambda m: m.gaze_at_lens, 0.25, _gaze),
    Dimension("eye_openness", _openness, 0.2, _eyes_open),
    Dimension("face_height", lambda m: m.face_height, 0.08, _size, True, CAMERA),
    Dimension("eye_line", lambda m: m.eye_line, 0.03, _eye_line, who=CAMERA),
    Dimension("face_center_x", lambda m: m.face_center_x, 0.04, _centre, who=CAMERA),
    Dimension("lighting_ratio_stops", lambda m: m.lighting_ratio_stops, 0.5, _ratio,
              who=LIGHT),
)
KEYS = tuple(d.key for d in DIMENSIONS)


def hero_from(m: Measurements, source: str = "") -> HeroFrame | None:
    """The hero frame of a shot's measurements (None: no face was measured in it)."""
    if m.face_height is None:
        return None
    values = {}
    for dimension in DIMENSIONS:
        value = _float(dimension.read(m))
        if value is not None:
            values[dimension.key] = value
    return HeroFrame(values, source)


def _offset(m: Measurements, hero: HeroFrame, dimension: Dimension) -> float | None:
    """Now minus the hero's value in one dimension (relative for face size); None when
    either has no value for it."""
    target = hero.values.get(dimension.key)
    value = _float(dimension.read(m))
    if target is None or value is None:
        return None
    return value / target - 1.0 if dimension.relative and target > 0 else value - target


def difference(m: Measurements, hero: HeroFrame, dimension: Dimension
               ) -> tuple[float, str] | None:
    """How far ``m`` is from ``hero`` in one dimension (in steps) and how it is said."""
    off = _offset(m, hero, dimension)
    if off is None:
        return None
    return abs(off) / dimension.step, dimension.say(off)


def match(m: Measurements, hero: HeroFrame) -> HeroMatch | None:
    """How near ``m`` comes to ``hero`` (None: no face measured). Dimensions either side does
    not have are left out of the score."""
    if m.face_height is None:
        return None
    total = 0.0
    differences = []
    for dimension in DIMENSIONS:
        off = _offset(m, hero, dimension)
        if off is None:
            continue
        steps = abs(off) / dimension.step
        total += steps * steps
        if steps >= SAID_FROM:
            text = dimension.say(off)
            differences.append(Difference(dimension.key, steps, text, dimension.who))
    differences.sort(key=lambda d: d.steps, reverse=True)
    score = round(100.0 * math.exp(-total / SCORE_SPREAD))
    return HeroMatch(score, tuple(differences))


def measurements_from(values: Mapping[str, object]) -> Measurements:
    """Measurements from their stored form (an analysis's ``measurements``), unknown names
    and wrong types left out."""
    known = {f.name for f in fields(Measurements)}
    kept: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known or value is None:
            continue
        if name in ("duchenne", "catchlight_left", "catchlight_right"):
            if isinstance(value, bool):
                kept[name] = value
        elif name == "key_side":
            if isinstance(value, str):
                kept[name] = value
        elif isinstance(value, int | float) and not isinstance(value, bool) \
                and math.isfinite(value):
            kept[name] = float(value)
    return Measurements(**kept)
