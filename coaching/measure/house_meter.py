"""The compact deviation meter shown over live view on a headshot day: how far the person in
front of the camera is from the house look, item by item, each marked off when it is past the
house tolerance ("eyes ↓4 %", "size −8 %", "bg −0.3 EV"). The face's own exposure is not
on it: against another person's face it would mostly measure skin. Pure Python; any thread."""

from __future__ import annotations

from dataclasses import dataclass

from coaching.measure.measurements import Measurements
from session.people.house_look import TOLERANCE, HouseLook, deviation

FRAMING, LIGHT, SUBJECT = "framing", "light", "direct"   # the cue severities' colours


@dataclass(frozen=True)
class MeterItem:
    key: str
    text: str
    off: bool          # past the house tolerance
    kind: str          # who acts on it: FRAMING the camera, LIGHT the lights, SUBJECT the sitter


def _signed(value: float, unit: str, digits: int = 0) -> str:
    shown = round(value, digits) + 0.0          # never "−0.0"
    return f"{shown:+.{digits}f}{unit}".replace("-", "−")


def house_meter(m: Measurements, look: HouseLook) -> tuple[MeterItem, ...]:
    """The measured items only (nothing for what was not seen)."""
    dev = deviation(m.as_dict(), look)
    items: list[MeterItem] = []

    def add(key: str, text: str, kind: str) -> None:
        value = getattr(dev, key)
        items.append(MeterItem(key, text, abs(value) > TOLERANCE[key], kind))

    if dev.eye_line is not None:
        arrow = "↓" if dev.eye_line > 0 else "↑"
        add("eye_line", f"eyes {arrow}{abs(dev.eye_line) * 100:.0f} %", FRAMING)
    if dev.face_height is not None:
        add("face_height", f"size {_signed(dev.face_height * 100, ' %')}", FRAMING)
    if dev.face_center_x is not None:
        arrow = "→" if dev.face_center_x > 0 else "←"
        add("face_center_x", f"centre {arrow}{abs(dev.face_center_x) * 100:.0f} %", FRAMING)
    if dev.head_roll_deg is not None:
        add("head_roll_deg", f"roll {_signed(dev.head_roll_deg, '°')}", SUBJECT)
    if dev.lighting_ratio_stops is not None:
        add("lighting_ratio_stops", f"ratio {_signed(dev.lighting_ratio_stops, '', 1)}", LIGHT)
    if dev.backdrop_ev is not None:
        add("backdrop_ev", f"bg {_signed(dev.backdrop_ev, ' EV', 1)}", LIGHT)
    return tuple(items)
