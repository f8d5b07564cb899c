"""The coach's cues: what a photographer would say, when, and how urgent it is.

Each cue has a stable id, a priority (0 = most urgent), a severity, a voice, a check that
turns the measurements into a "badness" reading with an enter and an exit threshold (exit <
enter: hysteresis), and the friendly line the client may read on their own screen. Cues speak
in two voices: camera cues to the photographer ("Camera: tilt up a touch"), subject cues to
the client in the client's own frame ("your left shoulder" is the subject's left, which the
camera sees on the image's right). Target ranges come from the style profile; chin and smile
are judged against the client's neutral baseline once one is set; on a headshot day the
framing and light cues aim at the house look (``profile.house``) instead. Pure Python; any
thread; microseconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coaching.measure.hero_match import CAMERA as HERO_CAMERA
from coaching.measure.hero_match import DIMENSIONS, SAID_FROM, Dimension, difference
from coaching.measure.hero_match import LIGHT as HERO_LIGHT
from coaching.measure.hero_match import SUBJECT as HERO_SUBJECT
from coaching.measure.measurements import Measurements
from coaching.measure.profiles import StyleProfile
from session.people.house_look import TOLERANCE, HouseLook

LIGHT = "light"                # severity of the light cues: the photographer's lights
SUBJECT = "subject"            # said to the client, in the client's frame
CAMERA = "camera"              # the photographer moves the camera
PHOTOGRAPHER = "photographer"  # a note for the photographer (shoot again)


@dataclass(frozen=True)
class NeutralBaseline:
    """The client's own level: medians over a 2 s 'set neutral' recording."""

    pitch: float
    smile: float
    eye_aperture: float
    face_exposure_ev: float | None = None    # the exposure reference for this client
    face_warmth: float | None = None         # the colour reference: the skin's log2 red/blue


@dataclass(frozen=True)
class Reading:
    badness: float
    enter: float
    exit: float
    text: str


@dataclass(frozen=True)
class Cue:
    id: str
    priority: int
    severity: str  # "critical" | "direct" | "framing" | LIGHT
    check: Callable[[Measurements, StyleProfile, NeutralBaseline | None], Reading | None]
    client: str = ""   # the line a self-directing client may read ('' for camera matters)
    voice: str = SUBJECT   # who the cue is for: SUBJECT, CAMERA or PHOTOGRAPHER


def _above(value: float | None, high: float, margin: float, text: str) -> Reading | None:
    return None if value is None else Reading(value - high, 0.0, -margin, text)


def _below(value: float | None, low: float, margin: float, text: str) -> Reading | None:
    return None if value is None else Reading(low - value, 0.0, -margin, text)


def _eyes_closed(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    left, right = v.eye_closed_left, v.eye_closed_right
    if left is None or right is None:
        return None
    return Reading(max(left, right), 0.5, 0.35, "Eyes closed: shoot again")


def _look(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    return _below(v.gaze_at_lens, p.gaze_at_lens_min, 0.15, "Eyes to the lens")


def _level_head(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    roll, yaw = v.head_roll_deg, v.head_yaw_deg
    if roll is None or (yaw is not None and abs(yaw) > 25):
        return None
    low, high = p.range("head_roll_deg")
    if p.house is not None:
        tolerance = TOLERANCE["head_roll_deg"]
        low, high = p.house.head_roll_deg - tolerance, p.house.head_roll_deg + tolerance
    # The eye line rises toward the image's right: the client's left eye (on the image's
    # right) is higher, the head leans toward the client's right shoulder.
    if roll > high:
        return Reading(roll - high, 0.0, -2.0,
                       "Tilt your head a touch toward your left shoulder")
    return Reading(low - roll, 0.0, -2.0, "Tilt your head a touch toward your right shoulder")


def _judged(v: Measurements, p: StyleProfile, key: str, neutral: float | None, absolute: str,
            relative: str) -> tuple[float, float, float] | None:
    """(value, low, high): against the client's neutral level when one is set, else the
    profile's absolute range."""
    raw = getattr(v, key)
    value = float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
    if value is None:
        return None
    if neutral is not None:
        low, high = p.range(relative)
        return value - neutral, low, high
    low, high = p.range(absolute)
    return value, low, high


def _pitch(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> tuple[float, float,
                                                                            float] | None:
    return _judged(v, p, "head_pitch_deg", b.pitch if b else None, "head_pitch_deg",
                   "pitch_from_neutral_deg")


def _chin_down(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    judged = _pitch(v, p, b)
    return None if judged is None else _above(judged[0], judged[2], 3.0,
                                              "Chin forward and down a touch")


def _chin_up(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    judged = _pitch(v, p, b)
    return None if judged is None else _below(judged[0], judged[1], 3.0, "Chin up a little")


def _nose_back(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    yaw = v.head_yaw_deg
    if yaw is None:
        return None
    low, high = p.range("head_yaw_deg")
    # The nose points toward the image's right: the client turned to their own left.
    if yaw > high:
        return Reading(yaw - high, 0.0, -5.0, "Turn your head back a touch to your right")
    return Reading(low - yaw, 0.0, -5.0, "Turn your head back a touch to your left")


def _shoulder_angle(v: Measurements) -> float | None:
    angle = v.shoulder_angle_deg
    return None if angle is None else abs(angle)


def _angle_shoulders(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    return _below(_shoulder_angle(v), p.range("shoulder_angle_deg")[0], 5.0,
                  "Angle your shoulders to the light")


def _square_up(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    return _above(_shoulder_angle(v), p.range("shoulder_angle_deg")[1], 5.0,
                  "Square up to the camera a little")


def _level_shoulders(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    tilt = v.shoulder_tilt_deg
    if tilt is None:
        return None
    low, high = p.range("shoulder_tilt_deg")
    return Reading(max(tilt - high, low - tilt), 0.0, -2.0, "Level your shoulders")


def _smile(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> tuple[float, float,
                                                                            float] | None:
    return _judged(v, p, "smile", b.smile if b else None, "smile", "smile_from_neutral")


def _more_smile(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    judged = _smile(v, p, b)
    return None if judged is None else _below(judged[0], judged[1], 0.1,
                                              "A little more smile: think of someone you like")


def _soften_smile(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    judged = _smile(v, p, b)
    return None if judged is None else _above(judged[0], judged[2], 0.08,
                                              "Soften the smile: less teeth, more eyes")


def _percent(fraction: float) -> str:
    return f"{abs(fraction) * 100:.0f} %"


def _house_size(v: Measurements, house: HouseLook, sign: int) -> Reading | None:
    """The face smaller (sign -1) or larger (+1) than the house look's, relative."""
    if v.face_height is None or house.face_height <= 0:
        return None
    relative = (v.face_height / house.face_height - 1.0) * sign
    tolerance = TOLERANCE["face_height"]
    if sign < 0:
        text = f"Camera: step in a touch: face {_percent(relative)} smaller than the house look"
    else:
        text = f"Camera: step back a touch: face {_percent(relative)} larger than the house look"
    return Reading(relative - tolerance, 0.0, -tolerance / 2, text)


def _zoom_in(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    if p.house is not None:
        return _house_size(v, p.house, -1)
    return _below(v.face_height, p.range("face_height")[0], 0.03,
                  "Camera: step in or zoom in, the face is small in the frame")


def _zoom_out(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    if p.house is not None:
        return _house_size(v, p.house, +1)
    return _above(v.face_height, p.range("face_height")[1], 0.03,
                  "Camera: zoom out a touch, leave room for the hair and shoulders")


def _house_line(line: float, house: HouseLook) -> Reading:
    """Eyes against the house eye line. Lowering the camera moves the subject up the frame."""
    off = line - house.eye_line          # > 0: eyes lower in the frame than the house line
    tolerance = TOLERANCE["eye_line"]
    if off > 0:
        text = f"Camera: lower it a touch: eyes {_percent(off)} below the house line"
    else:
        text = f"Camera: raise it a touch: eyes {_percent(off)} above the house line"
    return Reading(abs(off) - tolerance, 0.0, -tolerance / 2, text)


def _upper_third(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    line = v.eye_line
    if line is None:
        return None
    if p.house is not None:
        return _house_line(line, p.house)
    low, high = p.range("eye_line")
    if line > high:  # eyes too low in the frame: tilting the camera down raises them
        return Reading(line - high, 0.0, -0.03,
                       "Camera: tilt down a touch (eyes to the upper third)")
    return Reading(low - line, 0.0, -0.03, "Camera: tilt up a touch (eyes to the upper third)")


def _center(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    x = v.face_center_x
    if x is None:
        return None
    if p.house is not None:
        off = x - p.house.face_center_x
        tolerance = TOLERANCE["face_center_x"]
        side = "right" if off > 0 else "left"
        return Reading(abs(off) - tolerance, 0.0, -tolerance / 2,
                       f"Camera: pan a touch {side}: face {_percent(off)} {side} of the "
                       "house centre")
    low, high = p.range("face_center_x")
    if x > high:          # drifting toward the image's right: the camera follows right
        return Reading(x - high, 0.0, -0.03, "Camera: pan a touch right to re-centre")
    return Reading(low - x, 0.0, -0.03, "Camera: pan a touch left to re-centre")


def thirds(stops: float) -> str:
    """Stops in the photographer's thirds: 0.7 -> "2/3", 1.3 -> "1 1/3"."""
    count = max(1, round(abs(stops) * 3))
    whole, part = divmod(count, 3)
    fraction = {0: "", 1: "1/3", 2: "2/3"}[part]
    return f"{whole} {fraction}".strip() if whole else fraction


REFERENCE_ENTER_EV, REFERENCE_EXIT_EV = 0.5, 0.3
# Against the house look a third of a stop counts: the team's pictures sit side by side.
HOUSE_ENTER_EV, HOUSE_EXIT_EV = 0.3, 0.17


def _against_reference(v: Measurements, b: NeutralBaseline | None, sign: int
                       ) -> Reading | None:
    """The face's deviation from the client's own reference exposure, in the direction
    ``sign`` (+1 brighter, -1 darker); None without one. Never against the house look: that
    was another person's face, and the difference would mostly be their skin."""
    if b is None or b.face_exposure_ev is None or v.face_exposure_ev is None:
        return None
    deviation = (v.face_exposure_ev - b.face_exposure_ev) * sign
    word = "brighter" if sign > 0 else "darker"
    advice = "close down" if sign > 0 else "open up"
    return Reading(deviation - REFERENCE_ENTER_EV, 0.0, REFERENCE_EXIT_EV - REFERENCE_ENTER_EV,
                   f"Face {thirds(deviation)} stop {word} than the reference: {advice} "
                   f"{thirds(deviation)}")


def _worst(*readings: Reading | None) -> Reading | None:
    known = [r for r in readings if r is not None]
    return max(known, key=lambda r: r.badness - r.enter) if known else None


def _too_bright(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    # Never on skin tone alone: clipping, or a deviation from this client's own reference.
    clipped = _above(v.face_clipped, p.range("face_clipped")[1], 0.015,
                     "Skin is clipping: lower the key or close down 1/3")
    return _worst(clipped, _against_reference(v, b, +1))


def _too_dark(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    crushed = _above(v.face_crushed, p.range("face_crushed")[1], 0.015,
                     "Face shadows are black: add fill or open up")
    floor = None if v.face_exposure_ev is None else _below(
        v.face_exposure_ev, p.face_ev_floor, 0.3, "Face far too dark: open up or raise the key")
    return _worst(crushed, floor, _against_reference(v, b, -1))


COLOUR_DRIFT = 0.3       # log2 red/blue away from the client's own reference (about 23 %)


def _colour_drift(v: Measurements, p: StyleProfile, b: NeutralBaseline | None
                  ) -> Reading | None:
    """The face warmer or cooler than at the client's own reference (the neutral recording):
    a modelling lamp taking over, a window, a white balance changed. Never against another
    face or a skin colour."""
    if b is None or b.face_warmth is None or v.face_warmth is None:
        return None
    drift = v.face_warmth - b.face_warmth
    cast = "Warm" if drift > 0 else "Cool"
    return _above(abs(drift), COLOUR_DRIFT, 0.1,
                  f"{cast} cast on the face since the reference: check the modelling lamp or "
                  "set the white balance on a grey card")


LIGHT_CAST = 0.15        # log2 red/blue from neutral on the grey card (about 11 %)


def _light_cast(v: Measurements, p: StyleProfile, b: NeutralBaseline | None
                ) -> Reading | None:
    """The light warmer or cooler than neutral on the day's grey card: the card's own reading
    (the white balance not set on it) plus how far the backdrop's balance has moved since (a
    modelling lamp taking over, daylight changing). Only the light: never a skin colour."""
    if p.card is None:
        return None
    cast = p.card.cast(v.backdrop_warmth)
    word = "Warm" if cast > 0 else "Cool"
    return _above(abs(cast), LIGHT_CAST, 0.05,
                  f"{word} cast on the face ({round(abs(2 ** cast - 1) * 100)} % against the "
                  "grey card): check the modelling lamp or set the white balance on the card")


MIXED_LIGHT = 0.25       # log2 red/blue between the cheeks: about 19 % more red on one side


def _mixed_light(v: Measurements, p: StyleProfile, b: NeutralBaseline | None
                 ) -> Reading | None:
    """One cheek warmer than the other: two kinds of light on the face (a window beside a
    strobe, a tungsten lamp left on). The same skin on both sides: never a skin tone."""
    difference = v.cheek_warmth_difference
    if difference is None:
        return None
    side = "camera-left" if difference > 0 else "camera-right"
    return _above(abs(difference), MIXED_LIGHT, 0.08,
                  f"Mixed light: the {side} side of the face is warmer; look for a window "
                  "or a tungsten lamp on that side")


def _add_catchlight(v: Measurements, p: StyleProfile, b: NeutralBaseline | None
                    ) -> Reading | None:
    seen = (v.catchlight_left, v.catchlight_right)
    if all(s is None for s in seen):
        return None                          # eyes closed or not visible: nothing to say
    lit = 1.0 if any(seen) else 0.0
    return Reading(0.5 - lit, 0.0, -0.25, "Raise the key a touch or add a reflector: "
                                          "no catchlight")


def _ratio(v: Measurements, p: StyleProfile) -> tuple[float, float, float] | None:
    if v.lighting_ratio_stops is None:
        return None
    if p.house is not None and p.house.lighting_ratio_stops is not None:
        target, tolerance = p.house.lighting_ratio_stops, TOLERANCE["lighting_ratio_stops"]
        return v.lighting_ratio_stops, target - tolerance, target + tolerance
    low, high = p.range("lighting_ratio_stops")
    return v.lighting_ratio_stops, low, high


def _wanted(p: StyleProfile) -> str:
    house = p.house
    if house is not None and house.lighting_ratio_stops is not None:
        return f"the house look has {house.lighting_ratio_stops:.1f}"
    return f"more than {p.name} wants"


def _more_fill(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
    judged = _ratio(v, p)
    if judged is None:
        return None
    ratio, _low, high = judged
    return _above(ratio, high, 0.2, f"Ratio {ratio:.1f} stops, {_wanted(p)}: add fill or "
                                    "feather the key")


def _more_contrast(v: Measurements, p: StyleProfile, b: NeutralBaseline | None
                   ) -> Reading | None:
    judged = _ratio(v, p)
    if judged is None:
        return None
    ratio, low, _high = judged
    house = p.house
    said = (f"{ratio:.1f} stops, the house look has {house.lighting_ratio_stops:.1f}"
            if house is not None and house.lighting_ratio_stops is not None
            else f"{ratio:.1f} stops")
    return _below(ratio, low, 0.15, f"Light is flat ({said}): pull the fill back or bring "
                                    "the key round")


def _match_backdrop(v: Measurements, p: StyleProfile, b: NeutralBaseline | None
                    ) -> Reading | None:
    """Only on a headshot day: the backdrop against the house look's."""
    house = p.house
    if house is None or house.backdrop_ev is None or v.backdrop_ev is None:
        return None
    off = v.backdrop_ev - house.backdrop_ev
    word, advice = ("brighter", "lower") if off > 0 else ("darker", "raise")
    return Reading(abs(off) - HOUSE_ENTER_EV, 0.0, HOUSE_EXIT_EV - HOUSE_ENTER_EV,
                   f"Backdrop {thirds(off)} stop {word} than the house look: {advice} the "
                   f"background light {thirds(off)}")


CUES: tuple[Cue, ...] = (
    Cue("eyes_closed", 0, "critical", _eyes_closed, "Eyes open, nice and soft", PHOTOGRAPHER),
    Cue("look_at_lens", 1, "critical", _look,
        "Look right into the lens"),
    Cue("face_too_bright", 2, LIGHT, _too_bright, voice=PHOTOGRAPHER),
    Cue("face_too_dark", 2, LIGHT, _too_dark, voice=PHOTOGRAPHER),
    Cue("bring_nose_back", 2, "direct", _nose_back,
        "Turn your nose back toward me"),
    Cue("chin_down", 3, "direct", _chin_down,
        "Chin down a little"),
    Cue("chin_up", 3, "direct", _chin_up,
        "Chin up a touch"),
    Cue("level_head", 4, "direct", _level_head,
        "Straighten your head a little"),
    Cue("more_smile", 5, "direct", _more_smile,
        "Think of something that makes you smile"),
    Cue("soften_smile", 5, "direct", _soften_smile,
        "Relax the smile a little"),
    Cue("angle_shoulders", 6, "direct", _angle_shoulders,
        "Turn your shoulders a bit"),
    Cue("square_up", 6, "direct", _square_up,
        "Turn your shoulders back toward me"),
    Cue("level_shoulders", 7, "direct", _level_shoulders,
        "Relax your shoulders"),
    Cue("zoom_in", 8, "framing", _zoom_in, voice=CAMERA),
    Cue("zoom_out", 8, "framing", _zoom_out, voice=CAMERA),
    Cue("eyes_to_upper_third", 9, "framing", _upper_third, voice=CAMERA),
    Cue("center_subject", 9, "framing", _center, voice=CAMERA),
    Cue("add_catchlight", 7, LIGHT, _add_catchlight, voice=PHOTOGRAPHER),
    Cue("mixed_light", 8, LIGHT, _mixed_light, voice=PHOTOGRAPHER),
    Cue("light_cast", 8, LIGHT, _light_cast, voice=PHOTOGRAPHER),
    Cue("colour_drift", 8, LIGHT, _colour_drift, voice=PHOTOGRAPHER),
    Cue("more_fill", 8, LIGHT, _more_fill, voice=PHOTOGRAPHER),
    Cue("more_contrast", 8, LIGHT, _more_contrast, voice=PHOTOGRAPHER),
    Cue("match_backdrop", 8, LIGHT, _match_backdrop, voice=PHOTOGRAPHER),
)

HERO_PRIORITY = 3   # after the critical and exposure cues, with the posing ones it replaces


def _hero_check(dimension: Dimension) -> Callable[[Measurements, StyleProfile,
                                                    NeutralBaseline | None], Reading | None]:
    """The cue for one of the hero frame's dimensions: said from a step off, until it is
    back within 0.7 of a step (hysteresis), in the hero's own words."""
    def check(v: Measurements, p: StyleProfile, b: NeutralBaseline | None) -> Reading | None:
        if p.hero is None:
            return None
        found = difference(v, p.hero, dimension)
        if found is None:
            return None
        steps, text = found
        return Reading(steps - SAID_FROM, 0.0, -0.3, text)
    return check


_HERO_SEVERITY = {HERO_SUBJECT: ("direct", SUBJECT), HERO_CAMERA: ("framing", CAMERA),
                  HERO_LIGHT: (LIGHT, PHOTOGRAPHER)}
HERO_CUES: tuple[Cue, ...] = tuple(
    Cue(f"hero_{d.key}", HERO_PRIORITY, _HERO_SEVERITY[d.who][0], _hero_check(d),
        voice=_HERO_SEVERITY[d.who][1]) for d in DIMENSIONS)
CUES = CUES + HERO_CUES
# With a hero frame the posing, framing and ratio cues aim at it: these give way to its own.
HERO_REPLACES = frozenset({
    "look_at_lens", "bring_nose_back", "chin_down", "chin_up", "level_head", "more_smile",
    "soften_smile", "angle_shoulders", "square_up", "zoom_in", "zoom_out",
    "eyes_to_upper_third", "center_subject", "more_fill", "more_contrast"})


def applies(cue: Cue, profile: StyleProfile) -> bool:
    """Whether ``cue`` is judged under ``profile`` (a hero frame replaces some)."""
    return profile.hero is None or cue.id not in HERO_REPLACES


CUE_IDS = tuple(c.id for c in CUES)
HERO_IDS = frozenset(c.id for c in HERO_CUES)
CLIENT_LINES = {c.id: c.client for c in CUES if c.client}
VOICES = {c.id: c.voice for c in CUES}
MAX_SHOWN = 2      # cues shown at once, live and by ``analyze``: the photographer says two


@dataclass(frozen=True)
class ActiveCue:
    id: str
    text: str
    severity: str
    priority: int

    @property
    def voice(self) -> str:
        return VOICES.get(self.id, SUBJECT)

    @property
    def client(self) -> str:
        """The friendly line for the client's own screen ('' for a camera matter)."""
        return CLIENT_LINES.get(self.id, "")


def evaluate_once(values: Measurements, profile: StyleProfile,
                  baseline: NeutralBaseline | None = None) -> list[ActiveCue]:
    """Cues for a single image (a capture): every cue past its enter threshold, by priority
    (what to say first); callers show the first MAX_SHOWN unless asked for all."""
    active = []
    for cue in CUES:
        reading = cue.check(values, profile, baseline) if applies(cue, profile) else None
        if reading is not None and reading.badness > reading.enter:
            active.append((ActiveCue(cue.id, reading.text, cue.severity, cue.priority),
                           reading.badness))
    # The hero frame's differences share a priority: the largest is said first.
    return [c for c, _bad in sorted(active, key=lambda pair: (pair[0].priority, -pair[1]
                                                             if pair[0].id in HERO_IDS
                                                             else 0.0))]
