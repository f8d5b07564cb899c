"""Start the GUI: one QApplication, the settings, the tether window and its controller.
GUI thread; returns the application's exit code."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from camera.worker_options import WorkerOptions
from resources.locate import resource_path
from ui.client_controller import ClientController
from ui.coach_controller import CoachController
from ui.cull_controller import CullController
from ui.image_loader import ImageLoader
from ui.review_opener import ReviewOpener
from ui.settings import AppSettings
from ui.startup_probe import STARTUP_PROBE, StartupProbe
from ui.tether_controller import TetherController
from ui.tether_window import TetherWindow

log = logging.getLogger(__name__)
# Hand the GIL back to the GUI thread sooner than Python's default 5 ms while the camera and
# loader threads run Python code: keeps painting and input latency low (bench/liveview.py).
GIL_SWITCH_S = 0.001


@dataclass(frozen=True)
class Parts:
    controller: TetherController
    client: ClientController
    cull: CullController
    review: ReviewOpener


def assemble(window: TetherWindow, coach: CoachController | None = None,
             worker_options: WorkerOptions | None = None) -> Parts:
    """The controllers of one tether window, connected to each other (GUI thread). The app
    and the GUI tests use this one wiring."""
    controller = TetherController(window, worker_options=worker_options, coach=coach)
    client = ClientController(window, coach.overlay if coach else None)
    cull = CullController(window)
    for listener in (client, cull):
        controller.capture_stored.connect(listener.capture_stored)
        controller.session_opened.connect(listener.open_session)
        window.closing.connect(listener.shutdown)
    cull.marks_changed.connect(client.marks_changed)
    review = ReviewOpener(window, cull, coach)
    controller.capture_stored.connect(review.capture_stored)
    controller.session_opened.connect(review.session_switched)
    window.closing.connect(review.shutdown)
    return Parts(controller, client, cull, review)


def build(demo: bool, camera: str | None = None, session: Path | None = None,
          settings: AppSettings | None = None) -> tuple[TetherWindow, TetherController]:
    """Create the window and controller (QApplication must exist)."""
    settings = settings or AppSettings()
    loader = ImageLoader()
    window = TetherWindow(settings, loader)
    controller = assemble(window, CoachController(window)).controller
    window.closing.connect(loader.close)
    controller.open_or_create_default(session)
    if demo:
        controller.use_demo()
    elif camera:
        from camera.gphoto2_backend import Gphoto2Backend

        controller.attach_camera(Gphoto2Backend(), camera)
    else:
        controller.detect_camera()
    return window, controller


def run_gui(demo: bool = False, camera: str | None = None, session: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Catchlight")
    app.setOrganizationName("Catchlight")
    sys.setswitchinterval(GIL_SWITCH_S)

    def excepthook(kind, value, tb) -> None:  # type: ignore[no-untyped-def]
        log.error("unhandled error", exc_info=(kind, value, tb))

    sys.excepthook = excepthook
    app.setWindowIcon(QIcon(str(resource_path("icons/catchlight.png"))))
    app.setDesktopFileName("catchlight")
    window, controller = build(demo, camera, session)
    window.show()
    if os.environ.get(STARTUP_PROBE):
        StartupProbe(window, controller)
    return app.exec()
