"""Similar-shot groups: consecutive captures of one pose (a short time gap and a similar head
pose and framing) form a burst, and each burst gets a suggested best frame: eyes open first,
then the sharpest eyes, then the expression closest to the style profile, then eye contact.

Pure Python; any thread (the review session's loader); microseconds per shot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from session.model.flags import Flag
from session.people.house_look import HouseLook

MAX_GAP_S = 4.0            # longer than this between frames: the photographer re-posed
MAX_YAW_CHANGE = 12.0      # degrees between neighbouring frames
MAX_ROLL_CHANGE = 8.0
MAX_CENTRE_SHIFT = 0.08    # fraction of the frame width
MAX_SIZE_CHANGE = 0.20     # relative change of the face height (zoom or step closer)
# How much each flag costs a frame when the best one is suggested.
FLAG_PENALTY: dict[str, float] = {Flag.EYES_CLOSED: 3.0, Flag.HALF_BLINK: 1.5, Flag.NO_FACE: 4.0}


@dataclass(frozen=True)
class ShotFacts:
    """What grouping needs of one shot: its time and its per-capture analysis (may be empty)."""

    name: str
    captured_at: float
    measurements: dict
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Burst:
    names: tuple[str, ...]
    best: str                 # "" when none of the frames has been analysed
    reasons: str              # why the best frame won, in studio words


def _value(facts: ShotFacts, key: str) -> float | None:
    value = facts.measurements.get(key)
    return float(value) if isinstance(value, int | float) and math.isfinite(value) else None


def _differs(a: ShotFacts, b: ShotFacts, key: str, limit: float, relative: bool = False) -> bool:
    va, vb = _value(a, key), _value(b, key)
    if va is None or vb is None:
        return False
    change = abs(va - vb) / max(abs(va), 1e-6) if relative else abs(va - vb)
    return change > limit


def same_pose(a: ShotFacts, b: ShotFacts) -> bool:
    """True when ``b`` follows ``a`` closely enough in time, pose and framing."""
    if abs(b.captured_at - a.captured_at) > MAX_GAP_S:
        return False
    if (Flag.NO_FACE in a.flags) != (Flag.NO_FACE in b.flags):
        return False
    return not (_differs(a, b, "head_yaw_deg", MAX_YAW_CHANGE)
                or _differs(a, b, "head_roll_deg", MAX_ROLL_CHANGE)
                or _differs(a, b, "face_center_x", MAX_CENTRE_SHIFT)
                or _differs(a, b, "face_height", MAX_SIZE_CHANGE, relative=True))


def house_distance(facts: ShotFacts, look: HouseLook) -> float | None:
    """How far a shot is from the house look, in units of a visible difference (2 % of the
    height for the eye line, 8 % for the face's size, 2° of roll); None when unmeasured."""
    eye, size = _value(facts, "eye_line"), _value(facts, "face_height")
    if eye is None or size is None:
        return None
    roll = _value(facts, "head_roll_deg") or 0.0
    return (abs(eye - look.eye_line) / 0.02
            + abs(size - look.face_height) / max(0.01, look.face_height) / 0.08
            + abs(roll - look.head_roll_deg) / 2.0)


def frame_score(facts: ShotFacts, smile_range: tuple[float, float],
                look: HouseLook | None = None) -> float:
    """Higher is better: eyes open dominates, then eye sharpness, expression, eye contact;
    with a house look, nearness to it counts as much as expression (the client approved
    that framing)."""
    score: float = -sum(FLAG_PENALTY.get(flag, 0.0) for flag in facts.flags)
    distance = house_distance(facts, look) if look is not None else None
    if distance is not None:
        score -= 0.5 * min(2.0, distance / 3)
    closed = [v for v in (_value(facts, "eye_closed_left"), _value(facts, "eye_closed_right"))
              if v is not None]
    if closed:
        score -= max(closed)
    sharp = _value(facts, "eye_sharpness")
    score += 1.0 * (sharp if sharp is not None else 0.0)
    smile = _value(facts, "smile")
    if smile is not None:
        low, high = smile_range
        miss = max(low - smile, smile - high, 0.0)
        score += 0.5 * (1.0 - min(1.0, miss * 2))
    gaze = _value(facts, "gaze_at_lens")
    score += 0.3 * (gaze if gaze is not None else 0.0)
    return score


def _reasons(best: ShotFacts, others: list[ShotFacts], look: HouseLook | None = None
             ) -> str:
    words = []
    if look is not None:
        mine = house_distance(best, look)
        theirs = [d for o in others if (d := house_distance(o, look)) is not None]
        if mine is not None and theirs and mine < min(theirs):
            words.append("nearest the house look")
    if any(f in FLAG_PENALTY for o in others for f in o.flags) and \
            not any(f in FLAG_PENALTY for f in best.flags):
        words.append("eyes open")
    sharp = _value(best, "eye_sharpness")
    if sharp is not None and all((_value(o, "eye_sharpness") or 0) <= sharp for o in others):
        words.append("sharpest eyes")
    return ", ".join(words) or "best expression"


def group_bursts(shots: list[ShotFacts], smile_range: tuple[float, float] = (0.3, 1.0),
                 rejected: frozenset[str] | set[str] = frozenset(),
                 look: HouseLook | None = None) -> list[Burst]:
    """Consecutive shots (in capture order) grouped; every shot is in exactly one burst. A
    rejected shot is never suggested as the best frame; with a house look, the best frame
    is the one nearest it among equally good ones."""
    groups: list[list[ShotFacts]] = []
    for facts in shots:
        if groups and same_pose(groups[-1][-1], facts):
            groups[-1].append(facts)
        else:
            groups.append([facts])
    bursts = []
    for group in groups:
        candidates = [f for f in group if f.name not in rejected]
        if not any(f.measurements or f.flags for f in candidates):
            bursts.append(Burst(tuple(f.name for f in group), "", ""))  # nothing to judge by
            continue
        best = max(candidates, key=lambda f: frame_score(f, smile_range, look))
        others = [f for f in candidates if f is not best]
        bursts.append(Burst(tuple(f.name for f in group), best.name,
                            _reasons(best, others, look) if others else ""))
    return bursts
