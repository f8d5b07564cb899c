"""The tether window's Review menu: review the session being shot (Ctrl+R) or browse past
ones. The review window works on the app's live session models, so reviewing the session
being shot shows the tether's own model: marks made in either window, new captures and their
analysis appear in both, whatever the tether does meanwhile. GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject

from coaching.stills.capture_pipeline import CapturePipeline
from session.model.live_session import SessionModels
from ui.common.actions import add_action
from ui.pictures.capture_bridge import CaptureBridge
from ui.review.review_app import Review, build_review
from ui.tether.tether_controller import TetherController
from ui.tether.tether_window import TetherWindow


class ReviewOpener(QObject):
    def __init__(self, window: TetherWindow, tether: TetherController, models: SessionModels,
                 pipeline: CapturePipeline, capture: CaptureBridge) -> None:
        super().__init__(window)
        self.window = window
        self.tether = tether
        self.models = models
        self.pipeline = pipeline
        self.capture = capture
        self.review: Review | None = None
        menu = window.add_menu("&Review")
        add_action(window, menu, "&Review this session", self.review_current, "Ctrl+R")
        add_action(window, menu, "&Browse sessions…", self.browse, "Ctrl+Shift+O")

    def _ensure(self) -> Review:
        if self.review is None:
            self.review = build_review(self.window.settings, self.models, self.pipeline,
                                       self.capture)
            self.review.window.closing.connect(self._closed)
        self.review.window.show()
        self.review.window.raise_()
        return self.review

    def review_current(self) -> None:
        folder = self.tether.model.folder
        review = self._ensure()
        if folder is not None:
            review.controller.open_folder(folder)

    def browse(self) -> None:
        self._ensure().controller.browse()

    def _closed(self) -> None:
        if self.review is not None:
            self.review.window.deleteLater()
        self.review = None

    def shutdown(self) -> None:
        if self.review is not None:
            self.review.window.close()
