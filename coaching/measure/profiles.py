"""Style profiles (target ranges for the coach), loaded from resources/coaching/profiles.json
or a copy in the user's config folder. Bad values are reported per field and the built-in
value is used instead; nothing here raises on a user's file.

Pure Python; any thread; reads one small file.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from coaching.measure.grey_card import GreyCard
from resources.locate import resource_path
from session.people.hero_frame import HeroFrame
from session.people.house_look import HouseLook

BUILTIN = "coaching/profiles.json"
USER_FILE = "profiles.json"
RANGE_KEYS = ("head_roll_deg", "head_yaw_deg", "head_pitch_deg", "pitch_from_neutral_deg",
              "shoulder_angle_deg", "shoulder_tilt_deg", "smile", "smile_from_neutral",
              "eye_line", "face_height", "face_center_x", "lighting_ratio_stops", "face_clipped",
              "face_crushed")
FACE_EV_FLOOR = -3.5      # well under the darkest skin at a good exposure (about -1.5 EV)
DEFAULT_PROFILE = "Corporate"


@dataclass(frozen=True)
class StyleProfile:
    name: str
    ranges: dict[str, tuple[float, float]]
    gaze_at_lens_min: float
    description: str = ""
    face_ev_floor: float = FACE_EV_FLOOR   # skin below this is too dark whoever it is
    # A headshot day's house look: framing and light cues aim at it instead of the ranges.
    house: HouseLook | None = None
    # The day's grey card (None: not read): the colour of the light is judged against it.
    card: GreyCard | None = None
    # The hero frame (None: none chosen): each frame is scored against it and its largest
    # differences take the place of the posing and framing cues.
    hero: HeroFrame | None = None

    def range(self, key: str) -> tuple[float, float]:
        return self.ranges[key]


@dataclass(frozen=True)
class ProfileSet:
    profiles: dict[str, StyleProfile]
    problems: tuple[str, ...] = field(default=())
    source: str = ""

    def find(self, name: str) -> StyleProfile | None:
        """The profile called ``name``, whatever its case ("actor" is Actor); None if none."""
        wanted = name.strip().casefold()
        return next((p for n, p in self.profiles.items() if n.casefold() == wanted), None)

    def get(self, name: str | None) -> StyleProfile:
        found = self.find(name) if name else None
        if found is not None:
            return found
        return self.profiles.get(DEFAULT_PROFILE) or next(iter(self.profiles.values()))


def user_profiles_path() -> Path:
    base = Path(os.environ.get("XDG_CONFIG_HOME", Path.home() / ".config"))
    return base / "Catchlight" / USER_FILE


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _parse_profile(name: str, raw: object, fallback: StyleProfile | None,
                   problems: list[str]) -> StyleProfile | None:
    if not isinstance(raw, dict):
        problems.append(f"profile {name!r}: expected an object of settings")
        return fallback
    ranges: dict[str, tuple[float, float]] = {}
    for key in RANGE_KEYS:
        value = raw.get(key)
        pair = value if isinstance(value, list) and len(value) == 2 else None
        low, high = (_number(pair[0]), _number(pair[1])) if pair else (None, None)
        if low is None or high is None or low > high:
            if fallback is None:
                problems.append(f"profile {name!r}: {key} must be [low, high] numbers; "
                                "profile skipped")
                return None
            if value is not None:
                problems.append(f"profile {name!r}: {key} = {value!r} is not [low, high] with "
                                f"low <= high; using {list(fallback.range(key))}")
            ranges[key] = fallback.range(key)
        else:
            ranges[key] = (low, high)
    gaze = _number(raw.get("gaze_at_lens_min"))
    if gaze is None or not 0 <= gaze <= 1:
        if raw.get("gaze_at_lens_min") is not None or fallback is None:
            problems.append(f"profile {name!r}: gaze_at_lens_min must be between 0 and 1")
        gaze = fallback.gaze_at_lens_min if fallback else 0.4
    description = raw.get("description") if isinstance(raw.get("description"), str) else ""
    floor = _number(raw.get("face_ev_floor"))
    if floor is None or not -8 <= floor <= 0:
        if raw.get("face_ev_floor") is not None:
            problems.append(f"profile {name!r}: face_ev_floor must be between -8 and 0 EV")
        floor = fallback.face_ev_floor if fallback else FACE_EV_FLOOR
    return StyleProfile(name, ranges, gaze, description or (fallback.description
                                                            if fallback else ""), floor)


def parse_profiles(text: str, base: ProfileSet | None = None, source: str = "") -> ProfileSet:
    problems: list[str] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"{source or 'profiles'}: not valid JSON ({exc.msg}, line {exc.lineno})"
        return ProfileSet(base.profiles if base else {}, (message,), source)
    raw_profiles = data.get("profiles") if isinstance(data, dict) else None
    if not isinstance(raw_profiles, dict):
        message = f"{source or 'profiles'}: no \"profiles\" object found"
        return ProfileSet(base.profiles if base else {}, (message,), source)
    profiles = dict(base.profiles) if base else {}
    for name, raw in raw_profiles.items():
        fallback = profiles.get(name) or (base.get(None) if base else None)
        parsed = _parse_profile(str(name), raw, fallback, problems)
        if parsed is not None:
            profiles[str(name)] = StyleProfile(str(name), parsed.ranges,
                                               parsed.gaze_at_lens_min, parsed.description,
                                               parsed.face_ev_floor)
    if source:
        problems = [f"{source}: {p}" for p in problems]
    return ProfileSet(profiles, tuple(problems), source)


def load_profiles(user_file: Path | None = None) -> ProfileSet:
    """Built-in profiles, overlaid by the user's copy when there is one."""
    builtin = parse_profiles(resource_path(BUILTIN).read_text(), source="built-in profiles")
    path = user_file or user_profiles_path()
    try:
        text = path.read_text()
    except FileNotFoundError:
        return builtin
    except OSError as exc:
        return ProfileSet(builtin.profiles, (f"{path}: cannot be read ({exc.strerror})",))
    user = parse_profiles(text, builtin, source=str(path))
    return ProfileSet(user.profiles, builtin.problems + user.problems, str(path))
