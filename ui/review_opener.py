"""The tether window's Review menu: review the session being shot (Ctrl+R) or browse past
ones. The review window of the current session shares its culling with the tether window
(one Culler: a mark made in either shows in both and on the client screen) and follows new
captures and their coaching analysis. GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from session.culling import Culler, SidecarScan
from ui.actions import add_action
from ui.coach_controller import CoachController
from ui.cull_controller import CullController
from ui.review_app import Review, build_review
from ui.tether_window import TetherWindow


class ReviewOpener(QObject):
    def __init__(self, window: TetherWindow, cull: CullController,
                 coach: CoachController | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.cull = cull
        self.coach = coach
        self.review: Review | None = None
        menu = window.add_menu("&Review")
        add_action(window, menu, "&Review this session", self.review_current, "Ctrl+R")
        add_action(window, menu, "&Browse sessions…", self.browse, "Ctrl+Shift+O")
        cull.marks_changed.connect(self._tether_marked)

    def _ensure(self) -> Review:
        if self.review is None:
            self.review = build_review(self.window.settings, self._culler_for)
            self.review.controller.marks_changed.connect(self._review_marked)
            self.review.window.closing.connect(self._closed)
            if self.coach is not None:
                self.coach.bridge.capture_analysed.connect(
                    self.review.controller.capture_analysed)
        self.review.window.show()
        self.review.window.raise_()
        return self.review

    def _culler_for(self, folder: Path, originals: dict[str, Path], scan: SidecarScan
                    ) -> tuple[Culler, bool]:
        shared = self.cull.culler
        if shared is not None and shared.folder == folder:
            for name, path in originals.items():
                shared.originals.setdefault(name, path)
            return shared, True
        return Culler(folder, "", originals, scan), False

    def review_current(self) -> None:
        folder = self.cull.culler.folder if self.cull.culler else None
        review = self._ensure()
        if folder is not None:
            review.controller.open_folder(folder)

    def browse(self) -> None:
        self._ensure().controller.browse()

    def session_switched(self, _folder: Path, _names: list) -> None:
        if self.review is not None:
            self.review.controller.detach_shared()

    def capture_stored(self, path: Path) -> None:
        if self.review is not None:
            self.review.controller.capture_stored(path)

    def _tether_marked(self, name: str, marks: object) -> None:
        if self.review is not None and self.review.controller.shared:
            self.review.controller.show_marks(name, marks)

    def _review_marked(self, folder: Path, name: str, marks: object) -> None:
        if self.cull.culler is not None and self.cull.culler.folder == folder:
            self.cull.show_external(name, marks)

    def _closed(self) -> None:
        if self.review is not None:
            self.review.window.deleteLater()
        self.review = None

    def shutdown(self) -> None:
        if self.review is not None:
            self.review.window.close()
