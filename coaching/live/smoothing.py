"""The One Euro filter (Casiez et al. 2012) for live measurements: little lag when values move
fast, little jitter when they hold still. Pure Python; used on the live coach thread."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

from coaching.measure.measurements import Measurements


def _alpha(cutoff_hz: float, dt: float) -> float:
    tau = 1.0 / (2 * math.pi * cutoff_hz)
    return 1.0 / (1.0 + tau / dt)


@dataclass
class OneEuroFilter:
    min_cutoff: float = 1.0
    beta: float = 0.05
    d_cutoff: float = 1.0
    _x: float | None = field(default=None, repr=False)
    _dx: float = field(default=0.0, repr=False)
    _t: float | None = field(default=None, repr=False)

    def __call__(self, value: float, t: float) -> float:
        if self._x is None or self._t is None or t <= self._t:
            self._x, self._t = value, t
            return value
        dt = t - self._t
        dx = (value - self._x) / dt
        self._dx += _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self.beta * abs(self._dx)
        self._x += _alpha(cutoff, dt) * (value - self._x)
        self._t = t
        return self._x

    def reset(self) -> None:
        self._x, self._t, self._dx = None, None, 0.0


# Per measurement: (min_cutoff Hz, beta). Angles are in degrees, scores in 0..1.
FILTER_SETTINGS: dict[str, tuple[float, float]] = {
    "head_yaw_deg": (1.0, 0.05), "head_pitch_deg": (1.0, 0.05), "head_roll_deg": (1.0, 0.05),
    "shoulder_angle_deg": (0.5, 0.02), "shoulder_tilt_deg": (0.5, 0.05),
    "eye_closed_left": (3.0, 1.0), "eye_closed_right": (3.0, 1.0), "smile": (1.5, 1.0),
    "gaze_at_lens": (1.5, 1.0), "eye_line": (1.0, 1.0), "face_height": (1.0, 1.0),
    "face_center_x": (1.0, 1.0), "eye_sharpness": (1.0, 0.5), "eye_aperture": (1.5, 1.0),
    # The light holds still unless a light is moved: steady readouts, no flicker in the cues.
    "face_exposure_ev": (0.5, 0.5), "face_clipped": (1.0, 1.0), "face_crushed": (1.0, 1.0),
    "lighting_ratio_stops": (0.5, 0.5), "backdrop_ev": (0.5, 0.5),
}


class MeasurementSmoother:
    """One filter per numeric measurement; None passes through and resets that filter."""

    def __init__(self) -> None:
        self.filters = {name: OneEuroFilter(cutoff, beta)
                        for name, (cutoff, beta) in FILTER_SETTINGS.items()}

    def smooth(self, values: Measurements, t: float) -> Measurements:
        out: dict[str, Any] = {}      # filtered floats only: the fields keep their types
        for name, filt in self.filters.items():
            value = getattr(values, name)
            if isinstance(value, float):
                out[name] = filt(value, t)
            else:
                filt.reset()
        return replace(values, **out)
