"""One review window with its parts wired together: thumbnails, loupe loader, controller,
culling, export and the sessions browser, on the app's live session models and capture
pipeline (or, for ``python main.py review``, its own). Used by the tether window's Review
menu, by ``python main.py review`` and by the tests. GUI thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QWidget

from coaching.landmarking.analysis_process import coach_in_process, landmarkers_for
from coaching.measure.profiles import load_profiles
from coaching.stills.capture_pipeline import CapturePipeline
from session.model.live_session import SessionModels
from ui.common.settings import COACH_PROFILE, AppSettings
from ui.headshot.consistency_panel import ConsistencyPanel
from ui.pictures.capture_bridge import CaptureBridge
from ui.pictures.loupe_loader import LoupeLoader
from ui.pictures.thumbnail_service import ThumbnailService
from ui.review.review_analysis import ReviewAnalysis
from ui.review.review_controller import ReviewController
from ui.review.review_culling import ReviewCulling
from ui.review.review_output import ReviewOutput
from ui.review.review_window import ReviewWindow


@dataclass(frozen=True)
class Review:
    window: ReviewWindow
    controller: ReviewController
    culling: ReviewCulling
    output: ReviewOutput
    analysis: ReviewAnalysis | None
    consistency: ConsistencyPanel
    pipeline: CapturePipeline | None        # its own, when it is not the app's


def build_review(settings: AppSettings, models: SessionModels | None = None,
                 pipeline: CapturePipeline | None = None,
                 capture: CaptureBridge | None = None, parent: QWidget | None = None,
                 prefetch: bool = True, analyse: bool = True) -> Review:
    """``models``/``pipeline``/``capture``: the app's (a review of the session being shot
    shares its model); without them the review has its own. ``analyse``: analyse shots that
    have no coaching analysis yet (off in tests that provide their own)."""
    models = models if models is not None else SessionModels()
    own: CapturePipeline | None = None
    if capture is None or pipeline is None:
        capture = CaptureBridge(models)
        own = pipeline = CapturePipeline(
            load_profiles().get(settings.get(COACH_PROFILE) or None), capture, analyse=analyse,
            landmarkers=landmarkers_for(coach_in_process()))
        pipeline.start()
    thumbs = ThumbnailService()
    window = ReviewWindow(settings, thumbs, parent)
    thumbs.setParent(window)
    capture.setParent(capture.parent() or window)
    loupe = LoupeLoader(window, prefetch, capture.pictures)
    screen = window.screen()                  # a loupe panel is never larger than its screen
    size = screen.size() * screen.devicePixelRatio()
    loupe.target = (max(640, size.width()), max(480, size.height()))
    controller = ReviewController(window, loupe, models)
    review = Review(window, controller, ReviewCulling(controller), ReviewOutput(controller),
                    ReviewAnalysis(controller, pipeline, capture) if analyse else None,
                    ConsistencyPanel(controller), own)
    window.browse_requested.connect(controller.browse)
    if own is not None:
        window.closing.connect(own.stop)
    return review


def run_review(folder: Path | None) -> int:
    """``python main.py review [folder]``: the review window on its own."""
    import sys

    from PySide6.QtWidgets import QApplication

    from ui.common.app_log import log_to_file

    log_to_file()
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
