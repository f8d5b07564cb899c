"""The house look of a headshot day: the framing (eye line, face height, roll, horizontal
centre) and the light (face exposure, lighting ratio, backdrop level) of one approved shot,
which every other person is shot and delivered against. How far a shot is from it
(``deviation``), whether that is too far (``outlier_reasons``), and the look as a small JSON
file that can be loaded into another session (a recurring client).

Framing values are fractions of the frame (eye line and face height of its height, centre of
its width), as the coach measures them. Pure Python; any thread; microseconds.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path

FORMAT = "catchlight-house-look"
VERSION = 1
FRAMING = ("eye_line", "face_height", "head_roll_deg", "face_center_x")
LIGHT = ("face_exposure_ev", "lighting_ratio_stops", "backdrop_ev")
# How far a shot may stray before the coach speaks and the report calls it an outlier.
# Eye line and centre in fractions of the frame; face height relative (0.05 = 5 % larger or
# smaller); roll in degrees; light in stops (a third, as photographers set it). The face's
# own exposure is recorded and its spread reported, but never judged against the house
# look: between two people it mostly measures their skin, and a team day keeps one exposure
# (the backdrop and the ratio show when the light changed; clipping and crushed shadows are
# judged on every face).
TOLERANCE = {"eye_line": 0.02, "face_height": 0.05, "head_roll_deg": 3.0,
             "face_center_x": 0.03, "lighting_ratio_stops": 0.34, "backdrop_ev": 0.34}


class HouseLookError(ValueError):
    """A house-look file that cannot be used; the message says why."""


@dataclass(frozen=True)
class HouseLook:
    eye_line: float
    face_height: float
    head_roll_deg: float = 0.0
    face_center_x: float = 0.5
    face_exposure_ev: float | None = None
    lighting_ratio_stops: float | None = None
    backdrop_ev: float | None = None
    source: str = ""          # the shot it was taken from ("median of 12 shots")

    def as_json(self) -> dict[str, object]:
        return {"format": FORMAT, "version": VERSION, **asdict(self)}

    def line(self) -> str:
        """'eyes 38 % from the top · face 31 % of the height · ratio 1.2 stops'."""
        parts = [f"eyes {self.eye_line:.0%} from the top",
                 f"face {self.face_height:.0%} of the height"]
        if self.lighting_ratio_stops is not None:
            parts.append(f"ratio {self.lighting_ratio_stops:.1f} stops")
        if self.backdrop_ev is not None:
            parts.append(f"backdrop {self.backdrop_ev:+.1f} EV".replace("-", "−"))
        return " · ".join(parts)


MAX_ROLL_DEG = 3.0            # a house look leaning more than this makes every head lean
MIN_HEADROOM = 0.04          # of the frame height above the head's estimated top


def look_flaws(look: HouseLook, flags: Iterable[str]) -> tuple[list[str], list[str]]:
    """What is wrong with a shot as the house look, in a photographer's words: (refusals,
    warnings). Closed eyes or a face cut by the frame are refused (every person would be
    aimed at them); a lean, clipped skin or a head touching the top are said, and the look is
    kept if the photographer wants it."""
    flags = set(flags)
    refused, warned = [], []
    if "eyes_closed" in flags:
        refused.append("the eyes are closed")
    if "no_face" in flags or "multiple_faces" in flags:
        refused.append("it does not show one face")
    if abs(look.head_roll_deg) > MAX_ROLL_DEG:
        warned.append(f"the head leans {abs(look.head_roll_deg):.0f}° (every head would be "
                      "aimed to lean the same way)")
    if "face_clipped" in flags:
        warned.append("the skin is clipped")
    if look.eye_line - look.face_height * 0.6 < MIN_HEADROOM:
        warned.append("there is almost no room above the head")
    return refused, warned


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def from_measurements(values: Mapping[str, object], source: str = "") -> HouseLook | None:
    """The look of one analysed shot (its ``measurements``); None without a measured face."""
    framing = {key: _number(values.get(key)) for key in FRAMING}
    if framing["eye_line"] is None or not framing["face_height"]:
        return None
    return HouseLook(
        eye_line=framing["eye_line"], face_height=framing["face_height"] or 0.0,
        head_roll_deg=framing["head_roll_deg"] or 0.0,
        face_center_x=framing["face_center_x"] if framing["face_center_x"] is not None
        else 0.5,
        **{key: _number(values.get(key)) for key in LIGHT}, source=source)


def median_look(measured: Iterable[Mapping[str, object]], source: str = "") -> HouseLook | None:
    """The set's median framing and light ("--house-look median"); None without any face."""
    looks = [look for look in (from_measurements(v) for v in measured) if look is not None]
    if not looks:
        return None

    def median(key: str) -> float | None:
        known = [v for v in (getattr(look, key) for look in looks) if v is not None]
        return statistics.median(known) if known else None

    values = {key: median(key) for key in FRAMING + LIGHT}
    return HouseLook(**values, source=source or f"median of {len(looks)} shots")  # type: ignore[arg-type]


@dataclass(frozen=True)
class Deviation:
    """A shot against the house look: signed differences (None where not measured).
    eye_line > 0: eyes lower in the frame than the house line; face_height > 0: the face is
    larger (relative: 0.08 = 8 % larger); roll in degrees; centre > 0: toward the image's
    right; light in stops, > 0 brighter."""

    eye_line: float | None = None
    face_height: float | None = None
    head_roll_deg: float | None = None
    face_center_x: float | None = None
    face_exposure_ev: float | None = None
    lighting_ratio_stops: float | None = None
    backdrop_ev: float | None = None


DEVIATION_KEYS = tuple(spec.name for spec in fields(Deviation))


def deviation(values: Mapping[str, object], look: HouseLook) -> Deviation:
    out: dict[str, float | None] = {}
    for key in DEVIATION_KEYS:
        value, target = _number(values.get(key)), getattr(look, key)
        if value is None or target is None:
            out[key] = None
        elif key == "face_height":
            out[key] = value / target - 1.0 if target > 0 else None
        else:
            out[key] = value - target
    return Deviation(**out)


READINGS = {"eye_line": ("eye line", "{:+.0%} of the frame"),
            "face_height": ("face height", "{:+.0%}"),
            "head_roll_deg": ("roll", "{:+.1f}°"),
            "face_center_x": ("centre", "{:+.0%} of the frame"),
            "face_exposure_ev": ("face exposure", "{:+.1f} EV"),
            "lighting_ratio_stops": ("lighting ratio", "{:+.1f} stops"),
            "backdrop_ev": ("backdrop", "{:+.1f} EV")}


def outlier_reasons(dev: Deviation) -> list[str]:
    """What is further from the house look than its tolerance, in words."""
    reasons = []
    for key, limit in TOLERANCE.items():
        value = getattr(dev, key)
        if value is not None and abs(value) > limit:
            label, form = READINGS[key]
            reasons.append(f"{label} {form.format(value)}".replace("-", "−"))
    return reasons


def save_look(look: HouseLook, path: Path) -> None:
    """Write the look as JSON (for another session); raises OSError with the OS's reason."""
    data = json.dumps(look.as_json(), indent=2, ensure_ascii=False) + "\n"
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_text(data, encoding="utf-8")
    temporary.replace(path)


MAX_FILE_BYTES = 64 * 1024      # a house look is a few hundred bytes
# What a real framing and light can be; anything outside is a damaged or made-up file.
PLAUSIBLE = {"eye_line": (0.02, 0.98), "face_height": (0.02, 1.5),
             "head_roll_deg": (-45.0, 45.0), "face_center_x": (0.0, 1.0),
             "face_exposure_ev": (-12.0, 12.0), "lighting_ratio_stops": (0.0, 8.0),
             "backdrop_ev": (-12.0, 12.0)}


def _plausible(data: Mapping[str, object], key: str, source: str) -> float | None:
    """The file's ``key`` as a float inside PLAUSIBLE (None: absent); HouseLookError, naming
    the file and the value, for anything else."""
    raw = data.get(key)
    if raw is None:
        return None
    try:
        value = _number(raw)
    except OverflowError:
        value = None
    low, high = PLAUSIBLE[key]
    if value is None or not low <= value <= high:
        shown = str(raw) if isinstance(raw, int | float) else type(raw).__name__
        shown = shown if len(shown) <= 24 else f"{shown[:12]}… ({len(shown)} characters)"
        unit = " (fractions of the frame)" if key in FRAMING and key != "head_roll_deg" \
            else ""
        raise HouseLookError(f"{source}: {key.replace('_', ' ')} {shown} is not a plausible "
                             f"value: from {low:g} to {high:g}{unit}")
    return value


def parse_look(text: str, source: str = "house look") -> HouseLook:
    if len(text) > MAX_FILE_BYTES:
        raise HouseLookError(f"{source}: not a house look (a house look is a few hundred "
                             f"bytes; this is {len(text) // 1024} kB)")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HouseLookError(f"{source}: not a house look (not JSON: {exc.msg}, line "
                             f"{exc.lineno})") from exc
    except (RecursionError, ValueError) as exc:      # nested too deep, or a huge number
        raise HouseLookError(f"{source}: not a house look (it cannot be read as one)"
                             ) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise HouseLookError(f"{source}: not a Catchlight house look")
    eye_line, face_height = (_plausible(data, key, source) for key in ("eye_line",
                                                                       "face_height"))
    if eye_line is None or face_height is None:
        raise HouseLookError(f"{source}: its eye line and face height must be fractions of "
                             "the frame")
    optional = {key: _plausible(data, key, source) for key in
                ("head_roll_deg", "face_center_x") + LIGHT}
    text_source = data.get("source") if isinstance(data.get("source"), str) else ""
    return HouseLook(eye_line, face_height,
                     optional["head_roll_deg"] or 0.0,
                     optional["face_center_x"] if optional["face_center_x"] is not None
                     else 0.5,
                     optional["face_exposure_ev"], optional["lighting_ratio_stops"],
                     optional["backdrop_ev"], str(text_source)[:200])


def load_look(path: Path) -> HouseLook:
    """Raises HouseLookError with a clear message for a missing or unusable file."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise HouseLookError(f"{path}: cannot be read ({reason})") from exc
    return parse_look(text, str(path))
