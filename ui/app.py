"""The one composition root of the windows: every part of the tether window wired once
(``assemble``, the app and every GUI test use it), the review window on the same session
models and capture pipeline or on its own (``build_review``, for the tether's Review menu and
``python main.py review``), and the start of the GUI. GUI thread; the runs return the
application's exit code."""

from __future__ import annotations

import gc
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Protocol

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QWidget

from camera.owner.listener import FanOut
from camera.owner.worker_options import WorkerOptions
from coaching.landmarking.analysis_process import coach_in_process, landmarkers_for
from coaching.measure.profiles import load_profiles
from coaching.stills.capture_pipeline import CapturePipeline
from resources.locate import resource_path
from session.model.live_session import SessionModel, SessionModels
from session.people.roster import Person
from session.store.thumb_cache import ThumbCache
from ui.client.client_controller import ClientController
from ui.coach.aids_controller import AidsController
from ui.coach.coach_controller import CoachController
from ui.coach.hero_controller import HeroController
from ui.common.settings import COACH_PROFILE, AppSettings
from ui.headshot.consistency_panel import ConsistencyPanel
from ui.headshot.house_look_controller import HouseLookController
from ui.headshot.roster_controller import RosterController
from ui.headshot.signoff_controller import SignOffController
from ui.pictures.capture_bridge import CaptureBridge
from ui.pictures.image_loader import ImageLoader
from ui.pictures.loupe_loader import LoupeLoader
from ui.pictures.thumbnail_service import ThumbnailService
from ui.proofing.proofing_controller import ProofingController
from ui.review.notes_panel import NotesPanel
from ui.review.review_analysis import ReviewAnalysis
from ui.review.review_controller import ReviewController
from ui.review.review_culling import ReviewCulling
from ui.review.review_notes import ReviewNotes
from ui.review.review_output import ReviewOutput
from ui.review.review_window import ReviewWindow
from ui.review_opener import ReviewOpener
from ui.startup_probe import STARTUP_PROBE, StartupProbe
from ui.tether.cull_controller import CullController
from ui.tether.tether_controller import TetherController
from ui.tether.tether_window import TetherWindow

log = logging.getLogger(__name__)
# Hand the GIL back to the GUI thread sooner than Python's default 5 ms while the camera and
# loader threads run Python code: keeps painting and input latency low (bench/liveview.py).
GIL_SWITCH_S = 0.001
FREEZE_AFTER_MS = 3000     # the window, the camera and the analysis processes are up by then


@dataclass(frozen=True)
class Parts:
    controller: TetherController
    client: ClientController
    cull: CullController
    review: ReviewOpener
    coach: CoachController | None
    models: SessionModels
    pipeline: CapturePipeline
    capture: CaptureBridge
    aids: AidsController
    roster: RosterController
    house: HouseLookController
    proofing: ProofingController
    hero: HeroController | None = None
    signoff: SignOffController | None = None


def freeze_startup_objects() -> None:
    """Move everything alive once the window is up (modules, Qt wrappers, models' Python
    side) out of the collector's sight: a full collection then scans only what the shoot
    makes, and no longer stalls the GUI thread for tens of milliseconds (bench/proofing.py
    saw 38 ms). Startup's own garbage is kept (a few MB at most). GUI thread, once."""
    gc.freeze()


class Follower(Protocol):
    """A part that works on the tether's session model and is told when it is replaced."""

    def follow(self, model: SessionModel) -> None: ...


def assemble(window: TetherWindow, coach: bool = True, analyse: bool | None = None,
             worker_options: WorkerOptions | None = None) -> Parts:
    """The parts of one tether window, connected to each other (GUI thread): the live session
    models, the capture pipeline (with its Qt bridge), the tether, the coach, the client
    display, culling and the review. The app and every GUI test use this one wiring.
    ``coach`` False: no live coach; ``analyse`` False: a pipeline that decodes but does not
    analyse (both for tests that do not need them; ``analyse`` follows ``coach``)."""
    models = SessionModels()
    capture = CaptureBridge(models, window)
    models_where = landmarkers_for(coach_in_process())
    profiles = load_profiles()                    # read once, for every part of the window
    pipeline = CapturePipeline(profiles.get(window.settings.get(COACH_PROFILE) or None),
                               capture, analyse=coach if analyse is None else analyse,
                               landmarkers=models_where)
    coach_part = CoachController(window, pipeline, capture, profiles,
                                 landmarkers=models_where) if coach else None
    aids = AidsController(window, coach_part.overlay if coach_part else None)
    roster = RosterController(window)
    live_listeners = [aids.worker, roster.reader, *([coach_part.live] if coach_part else [])]
    controller = TetherController(window, models, capture, pipeline, FanOut(*live_listeners),
                                  worker_options=worker_options)
    house = HouseLookController(window, roster.menu, coach_part.set_house if coach_part
                                else lambda _look: None)
    client = ClientController(window, capture, coach_part.overlay if coach_part else None,
                              checked_only=pipeline.analyse)
    proofing = ProofingController(window, client.menu)

    def person_changed(person: Person | None) -> None:
        """The next person sat down: the ingest names shots for them, the TV greets them."""
        controller.tether.set_person(person)
        client.set_person(person)
        if hero is not None:
            hero.set_person(person)

    hero = HeroController(window, coach_part.menu, coach_part.set_hero) \
        if coach_part is not None else None
    signoff = SignOffController(window, roster.menu, lambda: roster.current)
    roster.on_person = person_changed
    roster.hold_up_card = controller.hold_up_card
    if coach_part is not None:
        coach_part.hold_up_grey_card = controller.hold_up_grey_card
    cull = CullController(window)
    review = ReviewOpener(window, controller,
                          lambda: build_review(window.settings, models, pipeline, capture))
    followers: list[Follower] = [client, cull, roster, house, proofing,
                                 *([coach_part] if coach_part else []),
                                 *([hero] if hero else []), signoff]
    for follower in followers:
        controller.model_changed.connect(follower.follow)
    controller.ingest_bridge.stored.connect(roster.stored)
    controller.model_changed.connect(window.review.follow)
    pipeline.start()

    def shutdown() -> None:
        proofing.shutdown()
        review.shutdown()
        aids.shutdown()
        roster.shutdown()
        client.shutdown()
        cull.shutdown()
        if coach_part is not None:
            coach_part.shutdown()
        controller.shutdown()
        pipeline.stop()
        models.close()

    window.closing.connect(shutdown)
    return Parts(controller, client, cull, review, coach_part, models, pipeline, capture, aids,
                 roster, house, proofing, hero, signoff)


def build(demo: bool, camera: str | None = None, session: Path | None = None,
          settings: AppSettings | None = None) -> tuple[TetherWindow, Parts]:
    """Create the window and its parts (QApplication must exist)."""
    settings = settings or AppSettings()
    loader = ImageLoader(tiles=ThumbCache())   # the tile level the review grid shares
    window = TetherWindow(settings, loader)
    parts = assemble(window)
    controller = parts.controller
    window.closing.connect(loader.close)
    controller.open_or_create_default(session)
    if demo:
        controller.use_demo()
    elif camera:
        from camera.libgphoto2.gphoto2_backend import Gphoto2Backend

        controller.attach_camera(Gphoto2Backend(), camera)
    else:
        controller.detect_camera()
    return window, parts


def run_gui(demo: bool = False, camera: str | None = None, session: Path | None = None) -> int:
    from ui.common.app_log import log_to_file

    log_to_file()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Catchlight")
    app.setOrganizationName("Catchlight")
    sys.setswitchinterval(GIL_SWITCH_S)

    def excepthook(kind: type[BaseException], value: BaseException,
                   tb: TracebackType | None) -> None:
        log.error("unhandled error", exc_info=(kind, value, tb))

    sys.excepthook = excepthook
    QApplication.setWindowIcon(QIcon(str(resource_path("icons/catchlight.png"))))
    QGuiApplication.setDesktopFileName("catchlight")
    window, parts = build(demo, camera, session)
    window.show()
    QTimer.singleShot(FREEZE_AFTER_MS, freeze_startup_objects)
    if os.environ.get(STARTUP_PROBE):
        StartupProbe(window, parts.coach)
    return app.exec()


# --- the review window ---------------------------------------------------------------------
@dataclass(frozen=True)
class Review:
    window: ReviewWindow
    controller: ReviewController
    culling: ReviewCulling
    output: ReviewOutput
    analysis: ReviewAnalysis | None
    consistency: ConsistencyPanel
    pipeline: CapturePipeline | None        # its own, when it is not the app's
    notes: ReviewNotes | None = None
    notes_panel: NotesPanel | None = None


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
    output = ReviewOutput(controller)
    review = Review(window, controller, ReviewCulling(controller), output,
                    ReviewAnalysis(controller, pipeline, capture) if analyse else None,
                    ConsistencyPanel(controller), own, ReviewNotes(controller, output),
                    NotesPanel(controller))
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
