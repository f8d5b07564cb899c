"""Drives the tether: one session.ingest.tether.Tether (camera worker + ingest thread, switched as
the photographer changes camera or session), the tether's live session model (shared with
every window showing that session), and the window's panel, review pane, filmstrip and banner.
Each verified capture goes from the ingest thread straight to the capture pipeline and is
released to the camera there; the GUI hears of it through queued signals. GUI thread; it
never waits on the camera, the disk or decoding (except for a bounded join at shutdown)."""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from camera.backend import CameraBackend
from camera.errors import CameraError
from camera.factory import demo_backend
from camera.owner.listener import CameraListener, FanOut
from camera.owner.worker import CameraWorker, WorkerOptions
from camera.simulated.simulated_backend import SimulatedBackend
from camera.simulated.simulated_camera import SimulatedCamera
from camera.types import (
    CameraInfo,
    CameraState,
    CameraSummary,
    CaptureTarget,
    ProblemSeverity,
    Setting,
)
from coaching.stills.capture_pipeline import CapturePipeline
from media.file_kinds import display_first
from session.ingest.ingest import IngestResult
from session.ingest.ingest_worker import IngestWorker
from session.ingest.tether import Tether
from session.model.live_session import SessionModel, SessionModels, Shot
from session.store.catalog import ShotRecord
from session.store.repair import RepairReport
from session.store.session import Session, create_session, open_session
from ui.common.background import run_in_background
from ui.common.session_bridge import SessionBridge, acquire, load_into, rebind
from ui.common.settings import LAST_SESSION
from ui.pictures.capture_bridge import CaptureBridge, CapturePictures
from ui.tether.camera_bridge import CameraBridge
from ui.tether.ingest_bridge import IngestBridge
from ui.tether.session_dialog import NewSessionDialog
from ui.tether.tether_window import TetherWindow

log = logging.getLogger(__name__)
DETECT_INTERVAL_MS = 3000
SPACE_MATCH_S = 30.0      # a Space older than this did not make the shot now stored


def shot_of(record: ShotRecord, folder: Path) -> Shot:
    """A stored capture as the live model knows it."""
    names = tuple(f.name for f in record.files)
    shown = display_first(names)[0]
    sha = next((f.sha256 for f in record.files if f.name == shown), "")
    return Shot(shown, folder / shown, names, record.seq, record.captured_at, sha,
                record.camera)


class TetherController(QObject):
    model_changed = Signal(object)      # the tether now shows another session's model

    def __init__(self, window: TetherWindow, models: SessionModels,
                 capture: CaptureBridge, pipeline: CapturePipeline,
                 live_listener: CameraListener | None = None, auto_live_view: bool = True,
                 worker_options: WorkerOptions | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.models = models
        self.capture_bridge = capture
        self.pipeline = pipeline
        self.auto_live_view = auto_live_view
        self.bridge = CameraBridge(self)
        self.ingest_bridge = IngestBridge(self)
        listeners = [self.bridge] + ([live_listener] if live_listener is not None else [])
        self.tether = Tether(None, "", None, FanOut(*listeners), self._ingested,
                             self.ingest_bridge.on_failed, self.ingest_bridge.on_opened,
                             worker_options or WorkerOptions(),
                             on_fatal=self.ingest_bridge.on_fatal,
                             on_notice=self.ingest_bridge.on_notice)
        self.tether.start()
        self.session: Session | None = None
        self.model = SessionModel()                  # until a session opens
        self._model_bridge: SessionBridge | None = None
        self.state = CameraState.DISCONNECTED
        self.not_saving: dict[str, str] = {}   # why shots cannot be saved now, by cause
        self._live_view_on = False
        self._was_lost = False
        self._own_demo: SimulatedCamera | None = None   # the demo camera this started
        self._spaces: list[float] = []        # Space presses whose shots are on their way
        self.last_on_disk_s: float | None = None
        self._detect_timer = QTimer(self)
        self._detect_timer.timeout.connect(self.detect_camera)
        self._connect_signals()

    @property
    def worker(self) -> CameraWorker | None:
        return self.tether.worker

    @property
    def ingest(self) -> IngestWorker | None:
        return self.tether.ingest

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
        self.capture_bridge.pictures_ready.connect(self._pictures)
        w.capture_requested.connect(self.capture)
        w.live_view_toggled.connect(self.toggle_live_view)
        w.panel.setting_requested.connect(self.set_setting)
        w.new_session_requested.connect(self.ask_new_session)
        w.open_session_requested.connect(self.open_session_folder)
        w.demo_requested.connect(self.use_demo)

    # --- camera -----------------------------------------------------------------------------
    def attach_camera(self, backend: CameraBackend, port: str) -> None:
        """Drive ``backend`` (replacing any previous camera)."""
        self._detect_timer.stop()
        self._live_view_on = False
        self.tether.use_camera(backend, port)

    def _demo_camera(self) -> SimulatedBackend | None:
        worker = self.tether.worker
        backend = worker.backend if worker is not None else None
        return backend if isinstance(backend, SimulatedBackend) else None

    def hold_up_card(self, code: str) -> bool:
        """The demo camera's sitter holds up the QR card ``code`` (False: the camera is a
        real one, whose sitter holds up the printed card)."""
        demo = self._demo_camera()
        if demo is not None:
            demo.camera.hold_up_card(code)
        return demo is not None

    def hold_up_grey_card(self) -> bool:
        """The demo camera's sitter holds a grey card up in the centre of the frame (False:
        a real camera, in front of which someone holds the real card)."""
        demo = self._demo_camera()
        if demo is not None:
            demo.camera.hold_up_grey_card()
        return demo is not None

    def use_demo(self) -> None:
        backend, port = demo_backend()
        earlier, self._own_demo = self._own_demo, backend.camera
        self.attach_camera(backend, port)
        if earlier is not None:
            earlier.shutdown()
        self.window.banner.show_message("Using the demo camera.", "info")

    def detect_camera(self) -> None:
        """Look for a USB camera in the background; offer the demo camera meanwhile."""
        def scan() -> list[CameraInfo]:
            from camera.libgphoto2.gphoto2_backend import Gphoto2Backend

            return Gphoto2Backend().list_cameras()

        def found(cameras: list[CameraInfo]) -> None:
            if self.worker is not None:
                return
            if cameras:
                from camera.libgphoto2.gphoto2_backend import Gphoto2Backend

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
        self.tether.stop_camera()

    def capture(self) -> None:
        if self.not_saving:
            self.window.banner.show_message("Nothing was captured: shots are not being saved "
                                            "(see above).", "error")
            return
        worker = self.worker
        if worker is None or self.state in (CameraState.DISCONNECTED, CameraState.CONNECTING):
            self.window.banner.show_message("No camera is connected, so nothing was captured.",
                                            "warning")
            return
        self._size_pictures()
        worker.capture()
        now = time.monotonic()
        self._spaces = [t for t in self._spaces if now - t < SPACE_MATCH_S] + [now]
        self.window.live_view.flash(len(self.model) + len(self._spaces))

    def _size_pictures(self) -> None:
        """Tell the pipeline the review pane's size (the client display sets its own)."""
        size = self.window.review.view.size() * self.window.review.devicePixelRatioF()
        pane = (max(size.width(), 640), max(size.height(), 480))
        self.capture_bridge.pane_size = pane
        client = self.capture_bridge.client_size
        self.pipeline.display = (max(pane[0], client[0]), max(pane[1], client[1]))

    def toggle_live_view(self) -> None:
        worker = self.worker
        if worker is None:
            return
        if self._live_view_on:
            self._live_view_on = False
            worker.stop_live_view()
            self.window.live_view.clear_frame("Live view is off. Press L to start it.")
        else:
            self._live_view_on = True
            worker.start_live_view()

    def set_setting(self, key: str, value: str) -> None:
        if self.worker is not None:
            self.worker.set_setting(key, value)

    def _state_changed(self, state: CameraState) -> None:
        self.state = state
        self.window.panel.set_state(state)

    def _camera_problem(self, message: str, severity: ProblemSeverity) -> None:
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
        """Shoot into ``session`` (its folder is repaired on the ingest thread, then read into
        the shared live model)."""
        previous = self.session
        self.session = session
        self._saving_resumed("saving")
        self.window.banner.clear_standing("disk")
        model = acquire(self.models, session.folder)
        self._show_model(model)
        if previous is not None:
            self.models.release(previous.folder)
        self.tether.use_session(session)
        self.window.settings.set(LAST_SESSION, str(session.folder))
        self.window.setWindowTitle(f"Catchlight — {session.name}")

    def _show_model(self, model: SessionModel) -> None:
        self.model = model
        self._model_bridge = rebind(self._model_bridge, model, self)
        self._model_bridge.switched.connect(
            lambda: self.window.live_view.set_shot_count(len(model)))
        self.window.live_view.set_shot_count(len(model))
        self.window.filmstrip_model.show(model)
        self.model_changed.emit(model)

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

    def _session_opened(self, report: RepairReport, _records: list[ShotRecord]) -> None:
        """The ingest has repaired the folder: read it into the live model (again)."""
        if self.session is None:
            return
        load_into(self.model, self.session.folder)
        said = [self.session.notice] if self.session.notice else []
        if report.message:
            said.append(f"Session repaired: {report.message}.")
        if said:
            self.window.banner.show_message(" ".join(said), "warning" if report.skipped
                                            or self.session.notice else "info")

    def _ingested(self, result: IngestResult) -> None:
        """Ingest thread: a new capture goes to the pipeline at once; the GUI hears of it."""
        if not result.already_stored and result.paths:
            folder = result.paths[0].parent
            self.pipeline.submit(folder, shot_of(result.record, folder).key)
        self.ingest_bridge.on_stored(result)

    def _stored(self, result: IngestResult) -> None:
        ingest = self.tether.ingest
        if ingest is not None and not ingest.waiting:
            self.window.banner.clear_standing("disk")
        if self.session is None or result.already_stored or not result.paths \
                or result.paths[0].parent != self.model.folder:
            return
        new = shot_of(result.record, self.session.folder)
        if result.person is not None:
            new = replace(new, person=result.person.id)
        self.window.filmstrip_model.expect_tile(new.path)
        shot = self.model.add(new)
        if result.backup_problem:
            self.window.banner.show_message(result.backup_problem, "warning")
        if shot is None:
            return
        self.window.show_capture(shot.path, new=True)
        self.window.filmstrip.show_newest(self.window.filmstrip_model.index_of(shot.key))
        self._report_on_disk(shot)

    def _report_on_disk(self, shot: Shot) -> None:
        """The status bar says the shot is safe, and how long after Space it got there."""
        now = time.monotonic()
        self._spaces = [t for t in self._spaces if now - t < SPACE_MATCH_S]
        after = f" {now - self._spaces.pop(0):.2f} s after Space" if self._spaces else ""
        self.last_on_disk_s = float(after.split()[0]) if after else None
        self.window.live_view.set_shot_count(len(self.model) + len(self._spaces))
        self.window.statusBar().showMessage(
            f"{shot.display_name} verified on disk{after}", 8000)

    def _pictures(self, pictures: CapturePictures) -> None:
        if self.session is None or pictures.folder != self.session.folder:
            return
        self.window.review.show_picture(pictures.path, pictures.pane, not pictures.preview,
                                        pictures.warning)
        if not pictures.preview:
            self.window.filmstrip_model.put_tile(pictures.path, pictures.tile)

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
        self.tether.stop()
        if self._own_demo is not None:
            self._own_demo.shutdown()        # its processor's child process
