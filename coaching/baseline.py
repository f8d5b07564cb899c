"""'Set neutral': record about 2 s of the client's relaxed expression and level head, and keep
the medians as their baseline. Pure Python; the live coach thread."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from coaching.cues import NeutralBaseline
from coaching.measurements import Measurements

NEUTRAL_SECONDS = 2.0
MIN_SAMPLES = 8


@dataclass
class BaselineRecorder:
    started_at: float
    seconds: float = NEUTRAL_SECONDS
    samples: list[tuple[float, float, float]] = field(default_factory=list)  # pitch, smile, eye

    def add(self, m: Measurements) -> None:
        if m.head_pitch_deg is not None and m.smile is not None and m.eye_aperture:
            self.samples.append((m.head_pitch_deg, m.smile, m.eye_aperture))

    def progress(self, t: float) -> float:
        return min(1.0, (t - self.started_at) / self.seconds)

    def result(self) -> NeutralBaseline | None:
        """The baseline, or None if the face was not seen often enough."""
        if len(self.samples) < MIN_SAMPLES:
            return None
        pitch, smile, eye = zip(*self.samples, strict=True)
        return NeutralBaseline(pitch=statistics.median(pitch), smile=statistics.median(smile),
                               eye_aperture=statistics.median(eye))
