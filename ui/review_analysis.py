"""Coaching analysis for a reviewed session that lacks it (an older session, a plain folder
of images): each shot without an analysis is analysed in the background, and its badges, the
eyes the loupe zooms to and the bursts' best frames appear as results arrive. The session
being shot is left to the tether window's coach, which already analyses it.

GUI thread for this object; the analysis runs on its own "capture-analysis" thread, started
only when something needs analysing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from coaching.capture_analyzer import CaptureAnalyzer
from coaching.profiles import StyleProfile, load_profiles
from ui.coach_bridge import CoachBridge
from ui.review_controller import ReviewController

PROFILE_KEY = "coach/profile"


class ReviewAnalysis(QObject):
    def __init__(self, controller: ReviewController, profile: StyleProfile | None = None) -> None:
        super().__init__(controller)
        self.controller = controller
        self.profile = profile or load_profiles().get(
            str(controller.window.settings.q.value(PROFILE_KEY, "")) or None)
        controller.smile_range = self.profile.range("smile")
        self.bridge = CoachBridge(self)
        self.analyzer: CaptureAnalyzer | None = None
        self.waiting: set[str] = set()
        self.total = 0
        self.bridge.capture_analysed.connect(self._analysed)
        self.bridge.problem.connect(self._problem)
        controller.opened.connect(self._opened)
        controller.window.closing.connect(self.shutdown)

    def _opened(self, folder: Path, _count: int) -> None:
        c = self.controller
        if self.analyzer is not None:
            self.analyzer.cancel_pending()
        self.waiting.clear()
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
        for name in missing:
            self.analyzer.submit(folder, name)
        self._show_progress()

    def _analysed(self, name: str, result: object, flags: list[str]) -> None:
        self.controller.capture_analysed(name, result, flags)
        self.waiting.discard(name)
        self._show_progress()

    def _show_progress(self) -> None:
        done = self.total - len(self.waiting)
        self.controller.window.analysis_progress.setText(
            f"Analysing {done}/{self.total}" if self.waiting else "")

    def _problem(self, message: str) -> None:
        self.controller.window.banner.show_message(message, "warning")

    def shutdown(self) -> None:
        if self.analyzer is not None:
            self.analyzer.cancel_pending()
            self.analyzer.stop()
            self.analyzer = None
