"""Analyse one still image (a capture or any file): reduced-scale decode, IMAGE-mode landmarks,
measurements, flags and cues. Used by per-capture analysis and ``python main.py analyze``.

Pure Python; runs on the capture-analysis thread or the command line's thread; blocks for the
decode and inference (~150-250 ms for a 24 MP JPEG).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from coaching.landmarking.landmarks import Landmarking
from coaching.measure.card_codes import card_of, read_codes
from coaching.measure.cues import ActiveCue, NeutralBaseline, evaluate_once
from coaching.measure.flags import capture_flags
from coaching.measure.hero_match import HeroMatch, match
from coaching.measure.measurements import IRIS_CENTRES, Measurements, measure
from coaching.measure.observation import Observation
from coaching.measure.profiles import StyleProfile
from coaching.stills.head_finder import find_small_face
from media.decode.previews import DisplayImage, ImageUnreadable, decode_for_display, fit_within
from session.model.flags import Flag

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
    # Every face's (left, top, width, height), 0..1 of the upright frame, the main face first.
    face_boxes: tuple[tuple[float, float, float, float], ...] = ()
    match: HeroMatch | None = None            # against the hero frame, when one is chosen

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
                "face_boxes": [[round(v, 4) for v in box] for box in self.face_boxes],
                "cues": [{"id": c.id, "text": c.text} for c in self.cues],
                **({"match": self.match.as_json()} if self.match is not None else {})}


@dataclass(frozen=True)
class FirstLook:
    """The first stage of a capture's analysis: its faces and flags (enough to decide whether
    the client may see it). The rest of the analysis builds on it: one face inference per
    capture, one set of flags."""

    file: str
    rgb: np.ndarray = field(repr=False)     # what the models saw (long edge <= ANALYSIS_EDGE)
    source_size: tuple[int, int]
    warning: str
    damaged: bool
    observation: Observation = field(repr=False)
    measurements: Measurements
    flags: tuple[Flag, ...]


def first_look(path: Path, shown: DisplayImage, landmarkers: Landmarking,
               baseline: NeutralBaseline | None = None) -> FirstLook:
    """Faces, eye closure, sharpness and gaze of an already decoded capture."""
    rgb = fit_within(shown.rgb, (ANALYSIS_EDGE, ANALYSIS_EDGE))
    observation = landmarkers.detect_faces(rgb)
    if not observation.faces:          # a three-quarter or full-length portrait: find the head
        observation = find_small_face(landmarkers, observation, rgb, shown.rgb, path)
    m = _measure(observation, baseline)
    flags = capture_flags(len(observation.faces), m)
    if any(card_of(code) for code in read_codes(rgb)):
        flags.append(Flag.CARD_FRAME)          # the person's QR card: a marker, not a portrait
    return FirstLook(str(path), rgb, shown.source_size, shown.warning, shown.damaged,
                     observation, m, tuple(flags))


def _measure(observation: Observation, baseline: NeutralBaseline | None) -> Measurements:
    ear_open = baseline.eye_aperture if baseline else None
    return measure(observation, ear_open) if ear_open else measure(observation)


def complete(look: FirstLook, landmarkers: Landmarking, profile: StyleProfile,
             baseline: NeutralBaseline | None = None) -> AnalysisResult:
    """The whole analysis: the first look's faces and flags, plus the pose, the shoulder
    measurements and the cues."""
    observation = look.observation if look.observation.pose is not None else \
        landmarkers.add_pose(look.observation, look.rgb)
    m = _measure(observation, baseline)
    cues = evaluate_once(m, profile, baseline) if observation.faces else []
    face = observation.main_face
    eyes = None
    if face is not None:
        iris = face.landmarks[list(IRIS_CENTRES), :2].mean(axis=0)
        eyes = (float(iris[0]), float(iris[1]))
    width, height = look.source_size
    # A damaged (truncated) file is analysed for what it shows, but not vouched for: ok is
    # False and the error says why (the documented contract of `analyze --json`).
    scored = match(m, profile.hero) if profile.hero is not None and observation.faces \
        else None
    return AnalysisResult(look.file, not look.damaged, look.warning or None, width, height,
                          len(observation.faces), m, look.flags, tuple(cues), eyes,
                          face_boxes(observation), scored)


def face_boxes(observation: Observation) -> tuple[tuple[float, float, float, float], ...]:
    """Each face's box from its landmarks, largest first (the main subject)."""
    boxes = []
    for face in sorted(observation.faces, key=lambda f: f.area(), reverse=True):
        xs, ys = np.clip(face.landmarks[:, 0], 0, 1), np.clip(face.landmarks[:, 1], 0, 1)
        left, top = float(xs.min()), float(ys.min())
        boxes.append((left, top, float(xs.max()) - left, float(ys.max()) - top))
    return tuple(boxes)


def unreadable(path: Path, error: str) -> AnalysisResult:
    return AnalysisResult(str(path), False, error, flags=(Flag.UNREADABLE,))


def analyze_image(path: Path, landmarkers: Landmarking, profile: StyleProfile,
                  baseline: NeutralBaseline | None = None) -> AnalysisResult:
    """Decode ``path`` at analysis scale and analyse it. Never raises for a bad file: ``ok``
    is False and ``error`` says why."""
    try:
        shown = decode_for_display(path, (ANALYSIS_EDGE, ANALYSIS_EDGE))
    except ImageUnreadable as exc:
        return unreadable(path, str(exc))
    return complete(first_look(path, shown, landmarkers, baseline), landmarkers, profile,
                    baseline)
