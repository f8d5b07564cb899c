"""The live aids' thread: focus peaking, zebra and histograms of the newest live-view frame,
for the photographer's view only (the client's clean live view never gets them). Frames
arrive from the camera thread (newest wins, nothing queues); results go out as immutable
AidsFrame records through ``publish`` (a single-slot mailbox on the GUI side).

Plain threading, no Qt. ``on_live_frame`` runs on the camera thread and returns at once;
``set_aids`` may be called from any thread; the work runs on the "live-aids" thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from camera.types import LiveFrame
from coaching.live.frame_worker import NewestFrameWorker
from media.aids import focus_peaking, histogram_picture, histograms, marks_rgba, zebra

MAX_RATE_HZ = 18.0          # enough to follow focus while turning the ring; light on the CPU


@dataclass(frozen=True)
class AidsChoice:
    peaking: bool = False
    zebra: bool = False
    histogram: bool = False

    @property
    def any_marks(self) -> bool:
        return self.peaking or self.zebra


@dataclass(frozen=True)
class AidsFrame:
    seq: int                                   # the live frame's sequence number
    marks: np.ndarray | None = field(default=None, repr=False)   # (H, W, 4) premultiplied BGRA
    histogram: np.ndarray | None = field(default=None, repr=False)   # (4, bins)
    histogram_picture: np.ndarray | None = field(default=None, repr=False)  # BGRA premult.
    compute_ms: float = 0.0


class LiveAids(NewestFrameWorker):
    def __init__(self, publish: Callable[[AidsFrame], None]) -> None:
        super().__init__("live-aids", MAX_RATE_HZ)
        self.publish = publish
        self.choice = AidsChoice()
        self.computed = 0

    def set_aids(self, choice: AidsChoice) -> None:
        """Any thread."""
        self.choice = choice
        self.wake()

    def wanted(self) -> bool:
        choice = self.choice
        return choice.any_marks or choice.histogram

    def work(self, frame: LiveFrame, now: float) -> None:
        self.publish(compute_aids(frame, self.choice))
        self.computed += 1


def compute_aids(frame: LiveFrame, choice: AidsChoice) -> AidsFrame:
    """The aids ``choice`` asks for, of one frame (any thread)."""
    start = time.perf_counter()
    rgb = frame.rgb
    marks = None
    if choice.any_marks:
        marks = marks_rgba(rgb.shape[:2], focus_peaking(rgb) if choice.peaking else None,
                           zebra(rgb) if choice.zebra else None)
        marks.setflags(write=False)
    histogram = picture = None
    if choice.histogram:
        histogram = histograms(rgb)
        picture = histogram_picture(histogram)
        histogram.setflags(write=False)
        picture.setflags(write=False)
    return AidsFrame(frame.seq, marks, histogram, picture, (time.perf_counter() - start) * 1000)
