"""One review window with its parts wired together: thumbnails, loupe loader, controller,
culling, export and the sessions browser. Used by the tether window's Review menu, by
``python main.py review`` and by the tests. GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from ui.loupe_loader import LoupeLoader
from ui.review_analysis import ReviewAnalysis
from ui.review_controller import CullerSource, ReviewController, own_culler
from ui.review_culling import ReviewCulling
from ui.review_output import ReviewOutput
from ui.review_window import ReviewWindow
from ui.settings import AppSettings
from ui.thumbnail_service import ThumbnailService


@dataclass(frozen=True)
class Review:
    window: ReviewWindow
    controller: ReviewController
    culling: ReviewCulling
    output: ReviewOutput
    analysis: ReviewAnalysis | None


def build_review(settings: AppSettings, culler_source: CullerSource = own_culler,
                 parent: QWidget | None = None, prefetch: bool = True,
                 analyse: bool = True) -> Review:
    """``analyse``: analyse shots that have no coaching analysis yet (off in tests that
    provide their own)."""
    thumbs = ThumbnailService()
    window = ReviewWindow(settings, thumbs, parent)
    thumbs.setParent(window)
    controller = ReviewController(window, LoupeLoader(window, prefetch), culler_source)
    review = Review(window, controller, ReviewCulling(controller), ReviewOutput(controller),
                    ReviewAnalysis(controller) if analyse else None)
    window.browse_requested.connect(controller.browse)
    return review


def run_review(folder: Path | None) -> int:
    """``python main.py review [folder]``: the review window on its own."""
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Catchlight")
    app.setOrganizationName("Catchlight")
    review = build_review(AppSettings())
    review.window.show()
    if folder is not None:
        review.controller.open_folder(folder)
    else:
        review.controller.browse()
    return app.exec()
