"""'Set neutral': record about 2 s of the client's relaxed expression and level head, and keep
the medians as their baseline; refuse, with the reason in studio words, a recording that is no
neutral at all (a smile, closed eyes, a turned head, a moving subject), since every later cue
would be measured against it. Pure Python; the live coach thread."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from coaching.measure.cues import NeutralBaseline
from coaching.measure.measurements import Measurements

NEUTRAL_SECONDS = 2.0
MIN_SAMPLES = 8
SMILE_MAX = 0.35          # median smile above this is a smile (neutrals measure < 0.2)
EYES_CLOSED_MIN = 0.5     # median closure of the more-closed eye
TURNED_DEG = 20.0         # median head yaw beyond this is turned away
MOVING_DEG = 10.0         # range of yaw, pitch or roll over the recording
MOVING_SHIFT = 0.08       # range of the face's position, in frame widths


@dataclass(frozen=True)
class NeutralVerdict:
    baseline: NeutralBaseline | None
    message: str                   # what the photographer reads, either way


def _spread(values: Sequence[float | None]) -> float:
    known = [v for v in values if v is not None]
    return max(known) - min(known) if len(known) > 1 else 0.0


def judge_neutral(samples: Sequence[Measurements]) -> NeutralVerdict:
    """The baseline of ``samples``, or why they are not a neutral face."""
    usable = [m for m in samples
              if m.head_pitch_deg is not None and m.smile is not None and m.eye_aperture]
    if len(usable) < MIN_SAMPLES:
        return NeutralVerdict(None, "Neutral not set: the client's face was not in view for "
                                    "2 s — frame them and press Shift+N again.")
    smile = statistics.median(m.smile or 0.0 for m in usable)
    closed = statistics.median(max(m.eye_closed_left or 0.0, m.eye_closed_right or 0.0)
                               for m in usable)
    yaws = [m.head_yaw_deg for m in usable]
    yaw = statistics.median(y for y in yaws if y is not None) if any(
        y is not None for y in yaws) else 0.0
    moved = max(_spread(yaws), _spread([m.head_pitch_deg for m in usable]),
                _spread([m.head_roll_deg for m in usable]))
    shifted = _spread([m.face_center_x for m in usable])
    if smile > SMILE_MAX:
        reason = "the client was smiling — ask for a relaxed face"
    elif closed > EYES_CLOSED_MIN:
        reason = "the client's eyes were closed — ask them to look into the lens"
    elif abs(yaw) > TURNED_DEG:
        reason = (f"the client's head was turned {abs(yaw):.0f}° away — ask them to face the "
                  "camera")
    elif moved > MOVING_DEG or shifted > MOVING_SHIFT:
        reason = "the client was moving — ask them to hold still for 2 s"
    else:
        exposures = [m.face_exposure_ev for m in usable if m.face_exposure_ev is not None]
        colours = [m.face_warmth for m in usable if m.face_warmth is not None]
        baseline = NeutralBaseline(
            pitch=statistics.median(m.head_pitch_deg or 0.0 for m in usable), smile=smile,
            eye_aperture=statistics.median(m.eye_aperture or 0.0 for m in usable),
            face_exposure_ev=statistics.median(exposures) if exposures else None,
            face_warmth=statistics.median(colours) if colours else None)
        return NeutralVerdict(baseline, "Neutral set: chin and expression cues now follow "
                                        "this client's relaxed face, and the face's exposure "
                                        "and colour are the reference.")
    return NeutralVerdict(None, f"Neutral not set: {reason}, then press Shift+N again.")


@dataclass
class BaselineRecorder:
    started_at: float
    seconds: float = NEUTRAL_SECONDS
    samples: list[Measurements] = field(default_factory=list)

    def add(self, m: Measurements) -> None:
        self.samples.append(m)

    def progress(self, t: float) -> float:
        return min(1.0, (t - self.started_at) / self.seconds)

    def result(self) -> NeutralVerdict:
        return judge_neutral(self.samples)
