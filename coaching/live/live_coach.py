"""The live coach: a thread that reads the newest live-view frame (older ones are skipped),
runs VIDEO-mode landmarks on a downscaled copy, smooths the measurements, picks the cues and
publishes an immutable CoachState. Pose runs on every few frames (shoulders move slowly).

``on_live_frame`` is called on the camera thread and only drops the frame in a mailbox;
everything else runs on the coach thread. Models are loaded and closed on that thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from camera.owner.listener import CameraListener
from camera.owner.mailbox import Mailbox
from camera.types import LiveFrame
from coaching.landmarking.analysis_process import AnalysisCrashed, landmarkers_for, recover
from coaching.landmarking.landmarks import Landmarking, downscale
from coaching.landmarking.models import ModelUnavailable
from coaching.live.cue_engine import CueEngine
from coaching.live.smoothing import MeasurementSmoother
from coaching.measure.baseline import BaselineRecorder
from coaching.measure.crop import centred_crop, within_crop
from coaching.measure.cues import ActiveCue, NeutralBaseline
from coaching.measure.grey_card import CardRecorder, CardVerdict, GreyCard
from coaching.measure.hero_match import HeroMatch, match
from coaching.measure.measurements import (
    IRIS_CENTRES,
    L_SHOULDER,
    R_SHOULDER,
    Measurements,
    measure,
)
from coaching.measure.observation import Observation, PoseObservation
from coaching.measure.profiles import StyleProfile

log = logging.getLogger(__name__)
LIVE_EDGE = 640       # the landmark models work on 256 px crops; 640 px keeps small faces
POSE_EVERY = 3        # frames between pose runs
MAX_RATE_HZ = 24.0    # cues need no more; the rest of the CPU keeps live view at camera rate


@dataclass(frozen=True)
class CoachState:
    frame_seq: int
    frame_time: float                 # when the camera thread produced the frame (monotonic)
    done_time: float                  # when the coach finished with it
    measurements: Measurements        # smoothed
    cues: tuple[ActiveCue, ...]
    eyes: tuple[tuple[float, float], tuple[float, float]] | None   # normalised, image L, R
    shoulders: tuple[tuple[float, float], tuple[float, float]] | None
    faces: int = 0
    neutral_progress: float | None = None   # 0..1 while 'set neutral' records
    baseline: NeutralBaseline | None = None
    card: GreyCard | None = None            # the day's grey card, once read
    match: HeroMatch | None = None          # against the hero frame, when one is chosen


def _points(observation: Observation, pose: PoseObservation | None):
    face = observation.main_face
    eyes = None
    if face is not None:
        a, b = (tuple(map(float, face.landmarks[i, :2])) for i in IRIS_CENTRES)
        eyes = (a, b) if a[0] <= b[0] else (b, a)
    shoulders = None
    if pose is not None:
        p, q = pose.landmarks[L_SHOULDER], pose.landmarks[R_SHOULDER]
        if min(p[3], q[3]) >= 0.5:
            a, b = (float(p[0]), float(p[1])), (float(q[0]), float(q[1]))
            shoulders = (a, b) if a[0] <= b[0] else (b, a)
    return eyes, shoulders


class LiveCoach(CameraListener):
    def __init__(self, profile: StyleProfile, publish: Callable[[CoachState], None],
                 on_problem: Callable[[str], None], edge: int = LIVE_EDGE,
                 pose_every: int = POSE_EVERY,
                 on_neutral: Callable[[str, bool], None] | None = None,
                 landmarkers: Callable[[bool], Landmarking] | None = None,
                 on_card: Callable[[CardVerdict], None] | None = None) -> None:
        """``on_neutral(message, accepted)``: how a 'set neutral' ended (coach thread).
        ``on_card(verdict)``: how a grey-card reading ended (coach thread).
        ``landmarkers(video)``: where the models run (default: this process)."""
        self.make_landmarkers = landmarkers or landmarkers_for(in_process=True)
        # Not on_state / on_problem: those names are CameraListener's callbacks, which the
        # camera thread calls on this object (with other arguments).
        self.publish = publish
        self.report_problem = on_problem
        self.report_neutral = on_neutral or (lambda message, _ok: on_problem(message))
        self.report_card = on_card or (lambda verdict: on_problem(verdict.message))
        self.card: GreyCard | None = None
        self._card_requested = False
        self._card_recorder: CardRecorder | None = None
        self._pending_card: tuple[GreyCard | None] | None = None
        self.edge = edge
        self.pose_every = pose_every
        self.frames: Mailbox[LiveFrame] = Mailbox()
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="coach", daemon=True)
        self._engine = CueEngine(profile)
        self._smoother = MeasurementSmoother()
        self._recorder: BaselineRecorder | None = None
        self._neutral_requested = False
        self._clear_requested = False
        self.crop_ratio: tuple[int, int] | None = None
        self._pending_profile: StyleProfile | None = None
        self.max_rate_hz = MAX_RATE_HZ
        self.processed = 0
        self.restarts = 0
        self.available = True

    # --- any thread -------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(timeout)

    def on_live_frame(self, frame: LiveFrame) -> None:
        """Camera thread: hand over the newest frame and return at once."""
        self.frames.put(frame)
        self._wake.set()

    def set_profile(self, profile: StyleProfile) -> None:
        self._pending_profile = profile
        self._wake.set()

    def set_live_light(self, live: bool) -> None:
        """True: live view shows the captures' light (continuous light): light cues live.
        False: strobes (live view shows the modelling lamps): light cues come from the
        captures only. Any thread (a flag the coach thread reads on its next frame)."""
        self._engine.live_light = live
        self._wake.set()

    def set_crop(self, ratio: tuple[int, int] | None) -> None:
        """Judge framing inside the centred crop of ``ratio`` (the aspect mask; None: the
        whole frame). Any thread."""
        self.crop_ratio = ratio
        self._wake.set()

    def set_neutral(self) -> None:
        """Start recording the client's neutral baseline (about 2 s)."""
        self._neutral_requested = True
        self._wake.set()

    def read_grey_card(self) -> None:
        """Read the grey card in the centre of live view for about a second (continuous
        light); any thread."""
        self._card_requested = True
        self._wake.set()

    def set_card(self, card: GreyCard | None) -> None:
        """The day's grey card as read elsewhere (a capture, under strobes), or None to
        forget it; any thread (taken on the coach thread's next frame)."""
        self._pending_card = (card,)
        self._wake.set()

    def clear_neutral(self) -> None:
        """Forget the neutral baseline (and stop a recording); done on the coach thread."""
        self._clear_requested = True
        self._wake.set()

    # --- coach thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            landmarkers = self.make_landmarkers(True)
        except (ModelUnavailable, AnalysisCrashed) as exc:
            self.available = False
            self.report_problem(str(exc))
            return
        last_pose: PoseObservation | None = None
        started = 0.0
        try:
            while not self._stop:
                self._wake.wait(0.5)
                self._wake.clear()
                rest = started + 1.0 / self.max_rate_hz - time.monotonic()
                if rest > 0:                      # the newest frame is taken after the rest
                    time.sleep(rest)
                started = time.monotonic()
                if self._clear_requested:
                    self._clear_requested = False
                    self._engine.baseline = None
                    self._recorder = None
                frame = self.frames.take()
                if frame is None or self._stop:
                    continue
                self._take_card()
                if self._pending_profile is not None:
                    self._engine.set_profile(replace(self._pending_profile, card=self.card))
                    self._pending_profile = None
                run_pose = self.processed % self.pose_every == 0
                try:
                    last_pose = self._process(landmarkers, frame, run_pose, last_pose)
                except AnalysisCrashed as exc:
                    if not recover(landmarkers, lambda: self._stop, self.report_problem,
                                   str(exc)):
                        self.available = self._stop
                        return
                    self.restarts += 1
                except Exception as exc:  # one bad frame must not end coaching
                    log.exception("coaching frame %s", frame.seq)
                    self.report_problem(f"Coaching skipped a frame: {exc}")
                self.processed += 1
        finally:
            landmarkers.close()

    def _process(self, landmarkers: Landmarking, frame: LiveFrame, run_pose: bool,
                 last_pose: PoseObservation | None) -> PoseObservation | None:
        rgb = downscale(frame.rgb, self.edge)
        observation = landmarkers.detect(rgb, int(frame.timestamp * 1000), run_pose)
        if observation.pose is None and not run_pose:
            observation = replace(observation, pose=last_pose)
        baseline = self._engine.baseline
        m = measure(observation, baseline.eye_aperture) if baseline else measure(observation)
        now = time.monotonic()
        progress = self._record_neutral(m, now)
        self._record_card(rgb, m, now)
        height, width = frame.rgb.shape[:2]
        if self._engine.profile.house is None:   # a house look is kept in the camera's frame
            m = within_crop(m, centred_crop(width, height, self.crop_ratio))
        values = self._smoother.smooth(m, frame.timestamp)
        cues = self._engine.update(values, frame.timestamp) if observation.faces else ()
        eyes, shoulders = _points(observation, observation.pose)
        hero = self._engine.profile.hero
        scored = match(values, hero) if hero is not None and observation.faces else None
        self.publish(CoachState(frame.seq, frame.timestamp, time.monotonic(), values, cues,
                                 eyes, shoulders, len(observation.faces), progress,
                                 self._engine.baseline, self.card, scored))
        return observation.pose

    def _take_card(self) -> None:
        """Coach thread: a card set from outside replaces the day's."""
        pending, self._pending_card = self._pending_card, None
        if pending is not None:
            self._use_card(pending[0])

    def _use_card(self, card: GreyCard | None) -> None:
        self.card = card
        self._engine.set_profile(replace(self._engine.profile, card=card))

    def _record_card(self, rgb: np.ndarray, m: Measurements, now: float) -> None:
        """Coach thread: a card reading under way takes this frame; once read, the first
        backdrop measured fills in the card's backdrop reference."""
        if self._card_requested:
            self._card_requested = False
            self._card_recorder = CardRecorder(now)
        recorder = self._card_recorder
        if recorder is not None:
            recorder.add(rgb, m.backdrop_warmth)
            if recorder.done(now):
                self._card_recorder = None
                verdict = recorder.result()
                if verdict.card is not None:
                    self._use_card(verdict.card)
                self.report_card(verdict)
        elif (self.card is not None and self.card.backdrop_warmth is None
              and m.backdrop_warmth is not None):
            self._use_card(replace(self.card, backdrop_warmth=m.backdrop_warmth))

    def _record_neutral(self, m: Measurements, now: float) -> float | None:
        if self._neutral_requested:
            self._neutral_requested = False
            self._recorder = BaselineRecorder(now)
        if self._recorder is None:
            return None
        self._recorder.add(m)
        progress = self._recorder.progress(now)
        if progress >= 1.0:
            verdict = self._recorder.result()
            self._recorder = None
            if verdict.baseline is not None:
                self._engine.baseline = verdict.baseline
            self.report_neutral(verdict.message, verdict.baseline is not None)
            return None
        return progress
