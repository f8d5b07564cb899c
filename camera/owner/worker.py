"""The camera worker: one thread that owns one camera and makes every backend call.

Commands (capture, settings, live view on/off, release of stored shots) may be sent from any
thread and never block the caller; they are queued and run on the camera thread between
live-view frames. Live view is a step that re-queues itself, one frame in flight. The worker
polls camera events while idle and between frames, so shots taken with the body's shutter
button arrive too. Errors follow one policy: busy is retried with backoff, a lost camera is
reconnected automatically, a claimed USB device is explained.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from camera.backend import CameraBackend
from camera.dials import setting_from_event
from camera.errors import (
    CameraBusy,
    CameraClaimed,
    CameraError,
    CameraGone,
    CameraIOError,
    NoCameraFound,
    NoLiveView,
)
from camera.owner.card_sync import CardMemory, CardSync
from camera.owner.connect_steps import apply_preferred_target, open_port
from camera.owner.listener import CameraListener
from camera.owner.live_frames import decode_preview
from camera.owner.retry import call_with_busy_retry
from camera.owner.shot_assembler import files_per_shot
from camera.owner.shot_fetcher import ShotFetcher
from camera.owner.worker_options import NotConnected, WorkerOptions
from camera.types import (
    CameraInfo,
    CameraState,
    CaptureTarget,
    DownloadedShot,
    LiveFrame,
    ProblemSeverity,
    Setting,
)

log = logging.getLogger(__name__)
FRAME_BUSY_BACKOFF_S = (0.01, 0.03)
T = TypeVar("T")


class CameraWorker:
    """Owns ``backend`` on a dedicated thread. Public methods are thread-safe and return
    immediately; results arrive through ``listener`` callbacks on the camera thread."""

    def __init__(self, backend: CameraBackend, port: str, listener: CameraListener,
                 options: WorkerOptions | None = None, sleep: Callable[[float], None] = time.sleep
                 ) -> None:
        self.backend = backend
        self.port = port
        self.listener = listener
        self.options = options or WorkerOptions()
        self._sleep = sleep
        self._commands: queue.SimpleQueue[tuple[Callable[..., None], tuple]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"camera {port}", daemon=True)
        self._stopping = False
        self.state = CameraState.DISCONNECTED
        self._info: CameraInfo | None = None
        self._target = CaptureTarget.CARD
        self._settings: dict[str, Setting] = {}
        self._want_live_view = False
        self._live_step_queued = False
        self._last_frame_at = 0.0
        self._frame_seq = 0
        self._io_errors = 0
        self._lost_reported = False
        self._last_problem = ""
        self.fetcher = ShotFetcher(backend, listener, self.options, self._busy)
        self._camera_key = ""

    # --- public, any thread ----------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish and wait for it (blocks the caller up to ``timeout``)."""
        self._stopping = True
        self._post(lambda: None)
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def capture(self) -> None:
        self._post(self._capture)

    def start_live_view(self) -> None:
        self._post(self._start_live_view)

    def stop_live_view(self) -> None:
        self._post(self._stop_live_view)

    def set_setting(self, key: str, value: str) -> None:
        self._post(self._set_setting, key, value)

    def release_stored(self, shot: DownloadedShot) -> None:
        """The shot is verified on disk: a RAM capture may now be deleted from the camera."""
        self._post(self._release, shot)

    def use_card_memory(self, memory: CardMemory | None) -> None:
        """What the session knows of the card; checked now and at every connect."""
        self._post(self._fetch_missed, memory)

    @property
    def card(self) -> CardSync:
        """What this camera's card holds that the session has (tests look at it)."""
        return self.fetcher.card

    def _post(self, func: Callable[..., None], *args: object) -> None:
        self._commands.put((func, args))
        self._wake.set()

    # --- the thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        """The thread. Every camera call is guarded; should the loop itself fail, the
        listener hears it as a "fatal" problem (capture is over for this camera)."""
        try:
            self._serve()
        except Exception as exc:  # any failure: never die quietly
            log.exception("camera thread stopped")
            self._stopping = True
            self.listener.on_problem(
                f"Shots are not being saved: the camera connection stopped unexpectedly "
                f"({exc}). Shots already taken are safe; restart Catchlight to go on.", "fatal")
        finally:
            try:
                self._shutdown()
            except Exception:  # closing a broken camera must not raise
                log.exception("camera shutdown")

    def _serve(self) -> None:
        while not self._stopping:
            if self.state == CameraState.DISCONNECTED:
                self._run_pending_commands()
                if not self._stopping and not self._connect():
                    self._wake.wait(self.options.reconnect_interval_s)
                    self._wake.clear()
                continue
            try:
                func, args = self._commands.get_nowait()
            except queue.Empty:
                if self._want_live_view:
                    self._queue_live_step()
                else:
                    self._idle()
                continue
            self._guarded(func, *args)

    def _idle(self) -> None:
        """Between commands: while a shot is on its way, wait on the camera (it answers as
        soon as the file is there); otherwise check its events without blocking and then
        sleep on our own wake-up, so a command (Space) is served at once and an idle camera
        costs no CPU. Body-button shots are picked up within idle_poll_ms."""
        if self.fetcher.expecting:
            self._guarded(self._poll_events, self.options.capture_poll_ms)
            return
        self._guarded(self._poll_events, 0)
        if self._commands.empty() and self.state != CameraState.DISCONNECTED:
            self._wake.wait(self.options.idle_poll_ms / 1000)
        self._wake.clear()

    def _run_pending_commands(self) -> None:
        while True:
            try:
                func, args = self._commands.get_nowait()
            except queue.Empty:
                return
            self._guarded(func, *args)

    def _guarded(self, func: Callable[..., None], *args: object) -> None:
        try:
            func(*args)
            self._io_errors = 0
        except CameraGone as exc:
            self._camera_lost(exc.user_message)
        except CameraIOError as exc:
            self._io_errors += 1
            if self._io_errors >= self.options.io_errors_before_gone:
                self._camera_lost(f"{exc.user_message}; repeated I/O errors")
        except NoLiveView as exc:
            self._want_live_view = False
            self._set_state(CameraState.READY)
            self.listener.on_live_view_unavailable(exc.user_message)
        except CameraClaimed as exc:
            self._problem(exc.user_message, "error")
        except CameraError as exc:
            self._problem(exc.user_message, "warning")
        except Exception as exc:  # never let the camera thread die
            log.exception("camera worker")
            self._problem(f"Unexpected camera problem: {exc}", "error")

    def _problem(self, message: str, severity: ProblemSeverity) -> None:
        self.listener.on_problem(message, severity)

    def _set_state(self, state: CameraState) -> None:
        if state != self.state:
            self.state = state
            self.listener.on_state(state)

    def _require_connected(self, what: str) -> None:
        if self.state == CameraState.DISCONNECTED:
            raise NotConnected(f"The camera is not connected: {what} did not happen.")

    def _busy(self, call: Callable[[], T]) -> T:
        return call_with_busy_retry(call, sleep=self._sleep)

    # --- connection ---------------------------------------------------------------------------
    def _connect(self) -> bool:
        self._set_state(CameraState.CONNECTING)
        try:
            self._info, self.port = open_port(self.backend, self.port, self._info)
            summary = self._busy(self.backend.summary)
            apply_preferred_target(self.backend, self.options.preferred_target, self._busy)
            settings = tuple(self._busy(self.backend.settings))
            self._settings = {s.key: s for s in settings}
            self._target = self._busy(self.backend.capture_target)
            fmt = self._settings.get("imageformat")
            self.fetcher.assembler.expected = files_per_shot(fmt.value if fmt else "")
            # Before the photographer can shoot: what on the card is new since last time
            # (the first meeting records what was there before the session).
            self._camera_key = f"{self._info.model}#{summary.serial}"
            self.fetcher.queue_missed(self._camera_key)
        except (NoCameraFound, CameraGone, CameraIOError) as exc:
            self.backend.close()
            self._set_state(CameraState.DISCONNECTED)
            if not self._lost_reported:
                self._lost_reported = True
                self._problem(f"Waiting for the camera on {self.port}: connect it and switch it "
                              f"on. ({exc.user_message})", "info")
            return False
        except CameraError as exc:
            self.backend.close()
            self._set_state(CameraState.DISCONNECTED)
            if exc.user_message != self._last_problem:
                self._last_problem = exc.user_message
                self._problem(exc.user_message, "error")
            return False
        self._lost_reported = False
        self._last_problem = ""
        self._io_errors = 0
        self.listener.on_connected(self._info, summary, settings, self._target)
        self._set_state(CameraState.READY)
        if self._want_live_view:
            self._guarded(self._start_live_view)
        if self.fetcher.to_download:
            self._guarded(self._download_waiting)
        return True

    def _camera_lost(self, message: str) -> None:
        self.backend.close()
        self._live_step_queued = False
        self._set_state(CameraState.DISCONNECTED)
        self._lost_reported = True
        waiting = len(self.fetcher.to_download)
        if self._target == CaptureTarget.RAM and waiting:
            message += (f" {waiting} shot(s) were still in the camera's RAM and may be lost; "
                        "they will be fetched if the camera still has them.")
        self.listener.on_lost(message)

    def _shutdown(self) -> None:
        if self.state != CameraState.DISCONNECTED:
            self.backend.stop_live_view()
        self.backend.close()
        self._set_state(CameraState.DISCONNECTED)

    # --- live view ------------------------------------------------------------------------------
    def _start_live_view(self) -> None:
        self._want_live_view = True
        self._require_connected("live view")
        self._busy(self.backend.start_live_view)
        self._set_state(CameraState.LIVE_VIEW)
        self._queue_live_step()

    def _stop_live_view(self) -> None:
        self._want_live_view = False
        if self.state == CameraState.LIVE_VIEW:
            self.backend.stop_live_view()
            self._set_state(CameraState.READY)

    def _queue_live_step(self) -> None:
        if not self._live_step_queued:
            self._live_step_queued = True
            self._post(self._live_view_step)

    def _live_view_step(self) -> None:
        """Fetch one frame, hand it on, drain events, then queue the next step behind any
        commands that arrived meanwhile."""
        self._live_step_queued = False
        if not self._want_live_view or self.state == CameraState.DISCONNECTED:
            return
        wait = self._last_frame_at + 1.0 / self.options.max_live_fps - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self._last_frame_at = time.monotonic()  # the rate cap counts from each request
        try:
            jpeg = call_with_busy_retry(self.backend.capture_preview, FRAME_BUSY_BACKOFF_S,
                                        self._sleep)
        except CameraBusy:
            jpeg = b""  # skip this frame, try again next step
        if jpeg:
            decoded = decode_preview(jpeg)
            if decoded is not None:
                self._frame_seq += 1
                self.listener.on_live_frame(LiveFrame(self._frame_seq, time.monotonic(),
                                                      jpeg, *decoded))
        self._poll_events(1)
        if self._want_live_view:
            self._queue_live_step()

    # --- settings --------------------------------------------------------------------------------
    def _set_setting(self, key: str, value: str) -> None:
        self._require_connected("the setting change")
        setting = self._busy(lambda: self.backend.set_setting(key, value))
        self._settings[key] = setting
        if key == "capturetarget":
            self._target = self._busy(self.backend.capture_target)
        if key == "imageformat":
            self.fetcher.assembler.expected = files_per_shot(setting.value)
        self.listener.on_setting(setting)

    def _dial_changed(self, detail: str) -> None:
        """A 'PTP Property ... changed' event: the photographer turned a dial on the body."""
        updated = setting_from_event(detail, self._settings)
        if updated is not None:
            self._settings[updated.key] = updated
            self.listener.on_setting(updated)

    # --- capture and downloads ----------------------------------------------------------------
    def _fetch_missed(self, memory: CardMemory | None) -> None:
        """A session's memory arrived: catch up now if connected."""
        self.fetcher.card.memory = memory
        if self.state != CameraState.DISCONNECTED and self._camera_key:
            self.fetcher.queue_missed(self._camera_key)
            if self.fetcher.to_download:
                self._download_waiting()

    def _capture(self) -> None:
        self._require_connected("the capture")
        self._busy(self.backend.trigger_capture)
        self.fetcher.triggered()
        self._set_state(CameraState.CAPTURING)
        if not self._want_live_view:
            self._poll_events(self.options.capture_poll_ms)

    def _poll_events(self, timeout_ms: int) -> None:
        """Drain the camera's events (waiting up to ``timeout_ms`` for the first), then
        download every shot that is complete."""
        self.fetcher.take_events(timeout_ms, self._dial_changed)
        self.fetcher.look_for_lost_events(self._camera_key)
        self._download_waiting()

    def _download_waiting(self) -> None:
        if self.fetcher.to_download:
            self.fetcher.download_waiting(self._info.model if self._info else "", self._target)
        self.fetcher.drop_late()
        if not self.fetcher.capturing and self.state == CameraState.CAPTURING:
            self._set_state(CameraState.LIVE_VIEW if self._want_live_view else CameraState.READY)

    def _release(self, shot: DownloadedShot) -> None:
        if shot.target == CaptureTarget.RAM:
            self._require_connected("deleting the verified shot from the camera's RAM")
        self.fetcher.release(shot)
