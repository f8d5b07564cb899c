"""The face meter's one-line readout, the same in the live overlay and in ``analyze``:
"Face −0.3 EV · ratio 1.2 stops · catchlights ✓ ✓". Pure Python; any thread."""

from __future__ import annotations

from coaching.measure.measurements import Measurements

MARKS = {True: "✓", False: "✗", None: "–"}


def face_meter(m: Measurements) -> str:
    """'' when no face was metered."""
    if m.face_exposure_ev is None:
        return ""
    parts = [f"Face {m.face_exposure_ev:+.1f} EV".replace("-", "−")]
    if m.lighting_ratio_stops is not None:
        parts.append(f"ratio {m.lighting_ratio_stops:.1f} stops")
    if m.catchlight_left is not None or m.catchlight_right is not None:
        parts.append(f"catchlights {MARKS[m.catchlight_left]} {MARKS[m.catchlight_right]}")
    if m.face_clipped:
        parts.append(f"{m.face_clipped:.0%} clipped")
    return " · ".join(parts)
