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
    samples: list[Measurements] = field(default_factory=list)

    def add(self, m: Measurements) -> None:
        if m.head_pitch_deg is not None and m.smile is not None and m.eye_aperture:
            self.samples.append(m)

    def progress(self, t: float) -> float:
        return min(1.0, (t - self.started_at) / self.seconds)

    def result(self) -> NeutralBaseline | None:
        """The baseline, or None if the face was not seen often enough."""
        if len(self.samples) < MIN_SAMPLES:
            return None
        return NeutralBaseline(
            pitch=statistics.median(s.head_pitch_deg for s in self.samples),  # type: ignore[misc]
            smile=statistics.median(s.smile for s in self.samples),  # type: ignore[misc]
            eye_aperture=statistics.median(s.eye_aperture for s in self.samples))  # type: ignore[misc]
