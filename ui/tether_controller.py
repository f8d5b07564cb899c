"""Wires one camera worker and one session's ingest thread to the tether window: requests go
to the worker (non-blocking), results come back as queued signals and update the panel,
live view, review pane, filmstrip and banner. GUI thread; it never waits on the camera,
the disk or decoding (except for a bounded join at shutdown)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from camera.backend import CameraBackend
from camera.errors import CameraError
from camera.factory import demo_backend
from camera.listener import FanOut
from camera.types import CameraInfo, CameraState, CameraSummary, CaptureTarget, Setting
from camera.worker import CameraWorker, WorkerOptions
from session.card_ledger import CardLedger
from session.catalog import ShotRecord
from session.ingest import IngestResult
from session.ingest_worker import IngestWorker
from session.repair import RepairReport
from session.session import Session, create_session, open_session
from ui.background import run_in_background
from ui.camera_bridge import CameraBridge
from ui.coach_controller import CoachController
from ui.filmstrip import entry_for
from ui.ingest_bridge import IngestBridge
from ui.session_dialog import NewSessionDialog
from ui.settings import LAST_SESSION
from ui.tether_window import TetherWindow

log = logging.getLogger(__name__)
DETECT_INTERVAL_MS = 3000


class TetherController(QObject):
    capture_stored = Signal(Path)         # a new capture's display file, verified on disk
    session_opened = Signal(Path, list)   # folder, display file names in shot order

    def __init__(self, window: TetherWindow, auto_live_view: bool = True,
                 worker_options: WorkerOptions | None = None,
                 coach: CoachController | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.coach = coach
        if coach is not None:
            self.capture_stored.connect(coach.analyse_capture)
            self.session_opened.connect(coach.open_session)
        self.auto_live_view = auto_live_view
        self.worker_options = worker_options or WorkerOptions()
        self.bridge = CameraBridge(self)
        self.ingest_bridge = IngestBridge(self)
        self.worker: CameraWorker | None = None
        self.ingest: IngestWorker | None = None
        self.session: Session | None = None
        self.state = CameraState.DISCONNECTED
        self.not_saving: dict[str, str] = {}   # why shots cannot be saved now, by cause
        self._live_view_on = False
        self._was_lost = False
        self._detect_timer = QTimer(self)
        self._detect_timer.timeout.connect(self.detect_camera)
        self._connect_signals()

    def _connect_signals(self) -> None:
        w, b = self.window, self.bridge
        # Only bound methods of GUI-thread objects: a bare lambda would run on the camera thread.
        w.live_view.mailbox = b.frames
        b.frame_available.connect(w.live_view.take_newest)
        b.state_changed.connect(self._state_changed)
        b.camera_connected.connect(self._camera_connected)
        b.camera_lost.connect(self._camera_lost)
        b.setting_changed.connect(w.panel.update_setting)
        b.live_view_unavailable.connect(self._no_live_view)
        b.problem.connect(self._camera_problem)
        self.ingest_bridge.stored.connect(self._stored)
        self.ingest_bridge.failed.connect(self._ingest_failed)
        self.ingest_bridge.opened.connect(self._session_opened)
        self.ingest_bridge.fatal.connect(self._saving_stopped)
        self.ingest_bridge.notice.connect(self._ingest_notice)
        w.capture_requested.connect(self.capture)
        w.live_view_toggled.connect(self.toggle_live_view)
        w.panel.setting_requested.connect(self.set_setting)
        w.new_session_requested.connect(self.ask_new_session)
        w.open_session_requested.connect(self.open_session_folder)
        w.demo_requested.connect(self.use_demo)
        w.closing.connect(self.shutdown)

    # --- camera -----------------------------------------------------------------------------
    def attach_camera(self, backend: CameraBackend, port: str) -> None:
        """Start a worker thread for ``backend`` (replacing any previous camera)."""
        self._detect_timer.stop()
        self.stop_camera()
        self._fanout = FanOut(*self._listeners())
        self.worker = CameraWorker(backend, port, self._fanout, self.worker_options)
        if self.session is not None:
            self.worker.use_card_memory(CardLedger(self.session.folder))
        self.worker.start()

    def _listeners(self) -> tuple:
        """Who hears the camera: the GUI bridge, the ingest thread, the live coach."""
        found = [self.bridge, self.ingest, self.coach.live if self.coach else None]
        return tuple(listener for listener in found if listener is not None)

    def use_demo(self) -> None:
        backend, port = demo_backend()
        self.attach_camera(backend, port)
        self.window.banner.show_message("Using the demo camera.", "info")

    def detect_camera(self) -> None:
        """Look for a USB camera in the background; offer the demo camera meanwhile."""
        def scan() -> list[CameraInfo]:
            from camera.gphoto2_backend import Gphoto2Backend

            return Gphoto2Backend().list_cameras()

        def found(cameras: list[CameraInfo]) -> None:
            if self.worker is not None:
                return
            if cameras:
                from camera.gphoto2_backend import Gphoto2Backend

                self.attach_camera(Gphoto2Backend(), cameras[0].port)
                return
            self.window.banner.show_message(
                "No camera found. Connect a camera by USB and switch it on (Catchlight keeps "
                "looking), or try the demo camera.", "warning", "Use demo camera", self.use_demo)
            if not self._detect_timer.isActive():
                self._detect_timer.start(DETECT_INTERVAL_MS)

        def failed(exc: Exception) -> None:
            message = exc.user_message if isinstance(exc, CameraError) else str(exc)
            self.window.banner.show_message(message, "error", "Use demo camera", self.use_demo)

        run_in_background(scan, found, failed)

    def stop_camera(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def capture(self) -> None:
        if self.not_saving:
            self.window.banner.show_message("Nothing was captured: shots are not being saved "
                                            "(see above).", "error")
            return
        if self.worker is None or self.state in (CameraState.DISCONNECTED,
                                                 CameraState.CONNECTING):
            self.window.banner.show_message("No camera is connected, so nothing was captured.",
                                            "warning")
            return
        self.worker.capture()

    def toggle_live_view(self) -> None:
        if self.worker is None:
            return
        if self._live_view_on:
            self._live_view_on = False
            self.worker.stop_live_view()
            self.window.live_view.clear_frame("Live view is off. Press L to start it.")
        else:
            self._live_view_on = True
            self.worker.start_live_view()

    def set_setting(self, key: str, value: str) -> None:
        if self.worker is not None:
            self.worker.set_setting(key, value)

    def _state_changed(self, state: CameraState) -> None:
        self.state = state
        self.window.panel.set_state(state)

    def _camera_problem(self, message: str, severity: str) -> None:
        if severity == "fatal":
            self._stop_saving("camera", message)
        else:
            self.window.banner.show_message(message, severity)

    def _stop_saving(self, cause: str, message: str) -> None:
        """Capture is off until ``cause`` is gone; the banner says why and stays."""
        self.not_saving[cause] = message
        self.window.banner.set_standing(cause, message)
        self.window.panel.block_capture(message)

    def _saving_resumed(self, cause: str) -> None:
        if self.not_saving.pop(cause, None) is not None:
            self.window.banner.clear_standing(cause)
            self.window.panel.block_capture(next(iter(self.not_saving.values()), ""))

    def _camera_connected(self, info: CameraInfo, summary: CameraSummary,
                          settings: tuple[Setting, ...], target: CaptureTarget) -> None:
        self.window.panel.set_camera(info, summary, settings, target)
        self.window.banner.clear_standing("camera lost")
        if self.window.banner.severity in ("error", "warning") or self._was_lost:
            self.window.banner.show_message(f"{info.model} connected.", "ok")
        self._was_lost = False
        if self.auto_live_view and not self._live_view_on:
            self.toggle_live_view()


    def _camera_lost(self, message: str) -> None:
        self._was_lost = True
        self.window.banner.set_standing("camera lost", f"{message} Reconnecting automatically; "
                                        "the session is safe.")

    def _no_live_view(self, message: str) -> None:
        self._live_view_on = False
        self.window.live_view.clear_frame(message)

    # --- session ----------------------------------------------------------------------------
    def open_session(self, session: Session) -> None:
        """Switch ingest to ``session`` (its folder is repaired on the ingest thread)."""
        if self.ingest is not None:
            self.ingest.stop()
        self.session = session
        self._saving_resumed("saving")
        self.window.banner.clear_standing("disk")
        self.ingest = IngestWorker(session, self.ingest_bridge.on_stored,
                                   self.ingest_bridge.on_failed, self.ingest_bridge.on_opened,
                                   on_fatal=self.ingest_bridge.on_fatal,
                                   on_notice=self.ingest_bridge.on_notice)
        self.ingest.start()
        if self.worker is not None:
            self._fanout.listeners = self._listeners()
            self.worker.use_card_memory(CardLedger(session.folder))
        self.window.settings.set(LAST_SESSION, str(session.folder))
        self.window.setWindowTitle(f"Catchlight — {session.name}")

    def open_session_folder(self, folder: Path) -> None:
        run_in_background(lambda: open_session(folder), self.open_session, self._session_error)

    def open_or_create_default(self, folder: Path | None) -> None:
        last = folder or self.window.settings.last_session
        if last is not None and Path(last).is_dir():
            self.open_session_folder(Path(last))
        else:
            run_in_background(lambda: create_session("Session"), self.open_session,
                              self._session_error)

    def ask_new_session(self) -> None:
        template = self.session.template.text if self.session else None
        dialog = NewSessionDialog(self.window, **({"template": template} if template else {}))
        if dialog.exec():
            request = dialog.request()
            run_in_background(lambda: create_session(request.name, request.root,
                                                     request.template, request.backup_root),
                              self.open_session, self._session_error)

    def _session_error(self, exc: Exception) -> None:
        reason = getattr(exc, "user_message", None) or str(exc)
        self.window.banner.show_message(f"The session could not be opened: {reason}", "error")

    def _session_opened(self, report: RepairReport, records: list[ShotRecord]) -> None:
        if self.session is None:
            return
        entries = [entry_for(r, self.session.folder) for r in records]
        self.window.filmstrip_model.set_entries(entries)
        self.session_opened.emit(self.session.folder, [e.path.name for e in entries])
        said = [self.session.notice] if self.session.notice else []
        if report.message:
            said.append(f"Session repaired: {report.message}.")
        if said:
            self.window.banner.show_message(" ".join(said), "warning" if report.skipped
                                            or self.session.notice else "info")

    def _stored(self, result: IngestResult) -> None:
        if self.worker is not None:
            self.worker.release_stored(result.shot)
        if self.ingest is not None and not self.ingest.waiting:
            self.window.banner.clear_standing("disk")
        if self.session is None or result.already_stored:
            return
        entry = entry_for(result.record, self.session.folder)
        index = self.window.filmstrip_model.append(entry)
        self.window.show_capture(entry.path)
        self.window.filmstrip.show_newest(index)
        self.capture_stored.emit(entry.path)
        if result.backup_problem:
            self.window.banner.show_message(result.backup_problem, "warning")

    def _ingest_failed(self, message: str, waiting: int) -> None:
        self.window.banner.set_standing(
            "disk", f"{message} ({waiting} shot(s) waiting; retrying automatically.)")

    def _saving_stopped(self, message: str) -> None:
        self._stop_saving("saving", message)

    def _ingest_notice(self, message: str) -> None:
        self.window.banner.show_message(message, "warning")

    def shutdown(self) -> None:
        """Stop the camera and ingest threads (blocks briefly; at window close only)."""
        self._detect_timer.stop()
        self.stop_camera()
        if self.ingest is not None:
            self.ingest.stop()
            self.ingest = None
        if self.coach is not None:
            self.coach.shutdown()
            self.coach = None
