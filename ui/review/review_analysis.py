"""Coaching analysis for a reviewed session that lacks it (an older session, a plain folder
of images): each shot without an analysis goes to the capture pipeline's background queue,
one shot at a time and only while the photographer is not moving through the shots and the
thumbnails are done, so inference never competes with browsing; the shot on screen goes first.
Results reach the live session model (badges, the eyes the loupe zooms to, the bursts' best
frames follow from there); this object only paces the work and shows the progress.

GUI thread for this object; the analysis runs on the pipeline's thread.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

from coaching.measure.profiles import StyleProfile
from coaching.stills.capture_pipeline import CaptureAnalysed, CapturePipeline
from ui.pictures.capture_bridge import CaptureBridge
from ui.review.review_controller import ReviewController

IDLE_S = 1.0             # no browsing for this long before the next shot is analysed


class ReviewAnalysis(QObject):
    def __init__(self, controller: ReviewController, pipeline: CapturePipeline,
                 capture: CaptureBridge, profile: StyleProfile | None = None) -> None:
        super().__init__(controller)
        self.controller = controller
        self.pipeline = pipeline
        self.profile = profile or pipeline.profile      # the pipeline's, read once
        controller.smile_range = self.profile.range("smile")
        self.waiting: set[str] = set()
        self.queue: list[str] = []
        self.in_flight = ""
        self.total = 0
        self.last_activity = 0.0
        self.thumbnails_done = False
        capture.capture_analysed.connect(self._analysed)
        capture.pipeline_problem.connect(self._problem)
        controller.opened.connect(self._opened)
        controller.window.closing.connect(self.shutdown)
        window = controller.window
        window.grid.selectionModel().currentChanged.connect(self._browsing)
        window.grid.verticalScrollBar().valueChanged.connect(self._browsing)
        window.mode_requested.connect(self._browsing)
        window.zoom_requested.connect(self._browsing)
        controller.thumbs.fill_progress.connect(self._fill_progress)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._feed)

    def _browsing(self, *_args: object) -> None:
        self.last_activity = time.monotonic()
        shot = self.controller.current_shot()
        if shot is not None and shot.key in self.queue:     # what is on screen goes first
            self.queue.remove(shot.key)
            self.queue.append(shot.key)

    def _fill_progress(self, done: int, total: int) -> None:
        self.thumbnails_done = done >= total

    def _feed(self) -> None:
        """Timer (GUI thread): hand the pipeline the next shot when the review is idle."""
        folder = self.controller.folder
        if self.in_flight or folder is None:
            return
        if not self.queue:
            self._timer.stop()
            return
        if not self.thumbnails_done or time.monotonic() - self.last_activity < IDLE_S:
            return
        self.in_flight = self.queue.pop()
        self.pipeline.backfill(folder, [self.in_flight])

    def _opened(self, _folder: object, _count: int) -> None:
        self.waiting.clear()
        self.queue.clear()
        self.in_flight = ""
        missing = [s.key for s in self.controller.shots if s.analysis is None]
        if not missing or not self.pipeline.analyse:
            self._show_progress()
            return
        self.waiting = set(missing)
        self.total = len(missing)
        self.queue = list(reversed(missing))       # popped from the end: capture order
        self._timer.start(200)
        self._show_progress()

    def _analysed(self, capture: CaptureAnalysed) -> None:
        if capture.folder != self.controller.folder:
            return
        self.waiting.discard(capture.key)
        if capture.key == self.in_flight:
            self.in_flight = ""
        if self.in_flight and self.in_flight not in self.waiting:
            self.in_flight = ""                    # analysed by the tether's coach meanwhile
        self._show_progress()

    def _show_progress(self) -> None:
        done = self.total - len(self.waiting)
        self.controller.window.analysis_progress.setText(
            f"Analysing {done}/{self.total}" if self.waiting else "")

    def _problem(self, message: str) -> None:
        """One shot failed (go on with the next), or the models are missing (stop)."""
        self.in_flight = ""
        if not message.startswith("Capture analysis failed"):
            self.queue.clear()
            self.waiting.clear()
            self._show_progress()
        self.controller.window.banner.show_message(message, "warning")

    def shutdown(self) -> None:
        self._timer.stop()
        self.queue.clear()
