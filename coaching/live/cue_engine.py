"""Live cue selection without flicker: hysteresis per cue (enter/exit thresholds), a minimum
dwell before a cue appears or disappears, a minimum time on screen, and at most two cues shown,
most urgent first. Pure Python; the live coach thread; microseconds per update."""

from __future__ import annotations

from dataclasses import dataclass

from coaching.measure.cues import (
    CUES,
    HERO_IDS,
    LIGHT,
    MAX_SHOWN,
    ActiveCue,
    NeutralBaseline,
    applies,
)
from coaching.measure.measurements import Measurements
from coaching.measure.profiles import StyleProfile

ENTER_DWELL_S = 0.4
EXIT_DWELL_S = 0.6
MIN_SHOWN_S = 1.5


@dataclass
class _CueState:
    latched: bool = False
    latched_since: float = 0.0
    shown: bool = False
    shown_since: float = 0.0
    text: str = ""
    badness: float = 0.0


class CueEngine:
    def __init__(self, profile: StyleProfile, max_shown: int = MAX_SHOWN) -> None:
        self.profile = profile
        self.max_shown = max_shown
        self.baseline: NeutralBaseline | None = None
        # Live view shows the light of the captures (continuous light, exposure simulation):
        # light cues live. False (strobes: live view shows the modelling lamps): light is
        # judged on the captures only, where the flash exposure is measured.
        self.live_light = True
        self._states = {cue.id: _CueState() for cue in CUES}

    def set_profile(self, profile: StyleProfile) -> None:
        self.profile = profile

    def update(self, values: Measurements, t: float) -> tuple[ActiveCue, ...]:
        """Feed the (smoothed) measurements of one frame at time ``t`` (seconds)."""
        for cue in CUES:
            state = self._states[cue.id]
            judged = applies(cue, self.profile) and (cue.severity != LIGHT or self.live_light)
            reading = cue.check(values, self.profile, self.baseline) if judged else None
            if reading is None:
                bad = False
            elif state.latched:
                bad = reading.badness >= reading.exit
            else:
                bad = reading.badness > reading.enter
            if reading is not None and bad:
                state.text, state.badness = reading.text, reading.badness
            if bad != state.latched:
                state.latched, state.latched_since = bad, t
            held = t - state.latched_since
            if state.latched and not state.shown and held >= ENTER_DWELL_S:
                state.shown, state.shown_since = True, t
            elif (not state.latched and state.shown and held >= EXIT_DWELL_S
                  and t - state.shown_since >= MIN_SHOWN_S):
                state.shown = False
        shown = sorted(((cue, self._states[cue.id]) for cue in CUES
                        if self._states[cue.id].shown),
                       key=lambda pair: (pair[0].priority,
                                         -pair[1].badness if pair[0].id in HERO_IDS else 0.0,
                                         pair[1].shown_since))
        return tuple(ActiveCue(cue.id, state.text, cue.severity, cue.priority)
                     for cue, state in shown[: self.max_shown])

    def reset(self) -> None:
        self._states = {cue.id: _CueState() for cue in CUES}
