"""The tether window's Review menu: review the session being shot (Ctrl+R) or browse past
ones. The review window works on the app's live session models, so reviewing the session
being shot shows the tether's own model: marks made in either window, new captures and their
analysis appear in both, whatever the tether does meanwhile. GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ui.common.actions import add_action
from ui.tether.tether_controller import TetherController
from ui.tether.tether_window import TetherWindow

if TYPE_CHECKING:                      # the composition root builds it; no import cycle
    from ui.app import Review


class ReviewOpener(QObject):
    def __init__(self, window: TetherWindow, tether: TetherController,
                 build: Callable[[], Review]) -> None:
        """``build()``: a review window on the app's session models and capture pipeline
        (ui.app.build_review, from the composition root)."""
        super().__init__(window)
        self.window = window
        self.tether = tether
        self.build = build
        self.review: Review | None = None
        menu = window.add_menu("&Review")
        add_action(window, menu, "&Review this session", self.review_current, "Ctrl+R")
        add_action(window, menu, "&Browse sessions…", self.browse, "Ctrl+Shift+O")

    def _ensure(self) -> Review:
        if self.review is None:
            self.review = self.build()
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
