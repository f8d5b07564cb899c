"""Coaching analysis for a reviewed session that lacks it (an older session, a plain folder
of images): each shot without an analysis is analysed in the background, and its badges, the
eyes the loupe zooms to and the bursts' best frames appear as results arrive. The session
being shot is left to the tether window's coach, which already analyses it.

GUI thread for this object; the analysis runs on its own "capture-analysis" thread, started
only when something needs analysing. It is fed one shot at a time and only while the
photographer is not moving through the shots and the thumbnails are done, so inference never
competes with browsing; the shot on screen goes first.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from coaching.capture_analyzer import CaptureAnalyzer
from coaching.profiles import StyleProfile, load_profiles
from ui.coach_bridge import CoachBridge
from ui.review_controller import ReviewController
from ui.settings import COACH_PROFILE

IDLE_S = 1.0             # no browsing for this long before the next shot is analysed


class ReviewAnalysis(QObject):
    def __init__(self, controller: ReviewController, profile: StyleProfile | None = None) -> None:
        super().__init__(controller)
        self.controller = controller
        self.profile = profile or load_profiles().get(
            controller.window.settings.get(COACH_PROFILE) or None)
        controller.smile_range = self.profile.range("smile")
        self.bridge = CoachBridge(self)
        self.analyzer: CaptureAnalyzer | None = None
        self.waiting: set[str] = set()
        self.queue: list[str] = []
        self.in_flight = ""
        self.total = 0
        self.last_activity = 0.0
        self.thumbnails_done = False
        self.bridge.capture_analysed.connect(self._analysed)
        self.bridge.problem.connect(self._problem)
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
        if shot is not None and shot.name in self.queue:     # what is on screen goes first
            self.queue.remove(shot.name)
            self.queue.append(shot.name)

    def _fill_progress(self, done: int, total: int) -> None:
        self.thumbnails_done = done >= total

    def _feed(self) -> None:
        """Timer (GUI thread): hand the analyser the next shot when the review is idle."""
        if self.in_flight or self.analyzer is None or self.controller.folder is None:
            return
        if not self.queue:
            self._timer.stop()
            return
        if not self.thumbnails_done or time.monotonic() - self.last_activity < IDLE_S:
            return
        self.in_flight = self.queue.pop()
        self.analyzer.submit(self.controller.folder, self.in_flight)

    def _opened(self, folder: Path, _count: int) -> None:
        c = self.controller
        if self.analyzer is not None:
            self.analyzer.cancel_pending()
        self.waiting.clear()
        self.queue.clear()
        self.in_flight = ""
        if c.shared or c.data is None:
            return
        missing = [s.name for s in c.shots if s.name not in c.data.analysis]
        if not missing:
            return
        if self.analyzer is None:
            self.analyzer = CaptureAnalyzer(self.profile, self.bridge.on_result,
                                            self.bridge.on_problem)
            self.analyzer.start()
        self.waiting = set(missing)
        self.total = len(missing)
        self.queue = list(reversed(missing))       # popped from the end: capture order
        self._timer.start(200)
        self._show_progress()

    def _analysed(self, name: str, result: object, flags: list[str]) -> None:
        self.controller.capture_analysed(name, result, flags)
        self.waiting.discard(name)
        if name == self.in_flight:
            self.in_flight = ""
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
        if self.analyzer is not None:
            self.analyzer.cancel_pending()
            self.analyzer.stop()
            self.analyzer = None
