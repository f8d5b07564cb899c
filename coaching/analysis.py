"""Analyse one still image (a capture or any file): reduced-scale decode, IMAGE-mode landmarks,
measurements, flags and cues. Used by per-capture analysis and ``python main.py analyze``.

Pure Python; runs on the capture-analysis thread or the command line's thread; blocks for the
decode and inference (~150-250 ms for a 24 MP JPEG).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from coaching.cues import ActiveCue, NeutralBaseline, evaluate_once
from coaching.flags import capture_flags
from coaching.landmarks import Landmarkers
from coaching.measurements import IRIS_CENTRES, Measurements, measure
from coaching.profiles import StyleProfile
from session.flags import Flag
from session.previews import ImageUnreadable, decode_for_display

ANALYSIS_EDGE = 1280  # long edge the models see: a face of 10 % height still has ~130 px


@dataclass(frozen=True)
class AnalysisResult:
    file: str
    ok: bool
    error: str | None = None
    width: int | None = None
    height: int | None = None
    faces: int = 0
    measurements: Measurements = field(default_factory=Measurements)
    flags: tuple[Flag, ...] = ()
    cues: tuple[ActiveCue, ...] = ()
    eyes: tuple[float, float] | None = None   # main face's eye centre, 0..1 of the upright frame

    def as_json(self) -> dict:
        def clean(value: object) -> object:
            if isinstance(value, float):
                return round(value, 4) if math.isfinite(value) else None
            return value

        values = self.measurements.as_dict()
        values.pop("eye_aperture", None)
        return {"file": self.file, "ok": self.ok, "error": self.error, "width": self.width,
                "height": self.height, "faces": self.faces,
                "measurements": {k: clean(v) for k, v in values.items()},
                "flags": list(self.flags),
                "eyes": [round(v, 4) for v in self.eyes] if self.eyes else None,
                "cues": [{"id": c.id, "text": c.text} for c in self.cues]}


def analyze_image(path: Path, landmarkers: Landmarkers, profile: StyleProfile,
                  baseline: NeutralBaseline | None = None) -> AnalysisResult:
    """Never raises for a bad file: ``ok`` is False and ``error`` says why."""
    try:
        shown = decode_for_display(path, (ANALYSIS_EDGE, ANALYSIS_EDGE))
    except ImageUnreadable as exc:
        return AnalysisResult(str(path), False, str(exc))
    width, height = shown.source_size
    observation = landmarkers.detect(shown.rgb)
    ear_open = baseline.eye_aperture if baseline else None
    m = measure(observation, ear_open) if ear_open else measure(observation)
    cues = evaluate_once(m, profile, baseline) if observation.faces else []
    face = observation.main_face
    eyes = None
    if face is not None:
        iris = face.landmarks[list(IRIS_CENTRES), :2].mean(axis=0)
        eyes = (float(iris[0]), float(iris[1]))
    return AnalysisResult(str(path), True, shown.warning or None, width, height,
                          len(observation.faces), m,
                          tuple(capture_flags(len(observation.faces), m)), tuple(cues), eyes)
