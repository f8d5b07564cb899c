"""The capture-and-download half of the camera worker (a mixin of CameraWorker): triggering,
draining camera events, verified downloads, catching up with shots that never reached us, and
deleting RAM captures once they are safe on disk. Everything here runs on the camera thread
and blocks on camera calls."""

from __future__ import annotations

import time
from collections.abc import Callable

from camera.backend import CameraBackend
from camera.card_sync import MISSED_MESSAGE, CardMemory, CardSync
from camera.downloads import download_verified
from camera.errors import CameraBusy
from camera.listener import CameraListener
from camera.shot_assembler import ShotAssembler
from camera.types import (
    CameraEvent,
    CameraFile,
    CameraInfo,
    CameraState,
    CaptureTarget,
    DownloadedFile,
    DownloadedShot,
    EventKind,
)
from camera.worker_options import WorkerOptions


class CaptureSteps:
    """Needs the worker's state; see CameraWorker for what each attribute holds."""

    backend: CameraBackend
    listener: CameraListener
    options: WorkerOptions
    state: CameraState
    card: CardSync
    _camera_key: str
    _info: CameraInfo | None
    _target: CaptureTarget
    _want_live_view: bool
    _assembler: ShotAssembler
    _to_download: list[tuple[CameraFile, ...]]
    _capture_deadlines: list[float]
    _listed_at: float
    _post: Callable[..., None]
    _busy: Callable[[Callable[[], object]], object]
    _problem: Callable[[str, str], None]
    _set_state: Callable[[CameraState], None]
    _require_connected: Callable[[str], None]
    _dial_changed: Callable[[str], None]

    def use_card_memory(self, memory: CardMemory | None) -> None:
        """What the session knows of the card (any thread); checked now and at every
        connect."""
        self._post(self._fetch_missed, memory)

    def _fetch_missed(self, memory: CardMemory | None) -> None:
        """A session's memory arrived while connected: catch up now."""
        self.card.memory = memory
        if self.state != CameraState.DISCONNECTED and self._camera_key:
            self._queue_missed()
            if self._to_download:
                self._download_waiting()

    def _queue_missed(self) -> None:
        """Queue the shots on the camera that never reached us (see camera.card_sync)."""
        pending = {f.path for group in self._to_download for f in group}
        pending.update(f.path for f in self._assembler.files())
        missed = self.card.missed_shots(self.backend, self._busy, self._camera_key, pending)
        if missed:
            self._problem(MISSED_MESSAGE.format(count=len(missed)), "info")
            self._to_download.extend(missed)

    def _look_for_lost_events(self) -> None:
        """A capture still waiting for its FILE_ADDED after ``missed_event_s`` (some bodies
        drop the event): list the card once per wait, so the shot arrives anyway."""
        now = time.monotonic()
        waited = [d - self.options.capture_timeout_s for d in self._capture_deadlines]
        if not waited or len(self._assembler) or self.card.memory is None:
            return
        if now - min(waited) < self.options.missed_event_s:
            return
        if now - self._listed_at < self.options.missed_event_s:
            return
        self._listed_at = now
        self._queue_missed()

    def _capture(self) -> None:
        self._require_connected("the capture")
        self._busy(self.backend.trigger_capture)
        self._capture_deadlines.append(time.monotonic() + self.options.capture_timeout_s)
        self._set_state(CameraState.CAPTURING)
        if not self._want_live_view:
            self._poll_events(self.options.capture_poll_ms)

    def _poll_events(self, timeout_ms: int) -> None:
        """Drain the camera's events (waiting up to ``timeout_ms`` for the first), then
        download every shot that is complete."""
        event = self._next_event(timeout_ms)
        for _ in range(64):
            if event.kind == EventKind.TIMEOUT:
                break
            if event.kind == EventKind.FILE_ADDED and event.file:
                self._assembler.add(event.file, time.monotonic())
            elif event.kind == EventKind.CAPTURE_COMPLETE:
                self._assembler.capture_complete()
            elif event.detail:
                self._dial_changed(event.detail)
            event = self._next_event(1 if len(self._assembler) else 0)
        self._to_download.extend(self._assembler.pop_ready(time.monotonic()))
        self._look_for_lost_events()
        if self._to_download:
            self._download_waiting()
        self._check_capture_timeouts()

    def _next_event(self, timeout_ms: int) -> CameraEvent:
        """A busy camera (writing, focusing) has no news for us: poll again next time."""
        try:
            return self.backend.wait_for_event(timeout_ms)
        except CameraBusy:
            return CameraEvent(EventKind.TIMEOUT)

    def _check_capture_timeouts(self) -> None:
        now = time.monotonic()
        late = [d for d in self._capture_deadlines if d < now]
        if late:
            self._capture_deadlines = [d for d in self._capture_deadlines if d >= now]
            self._problem("The camera took a picture but did not deliver it within "
                          f"{self.options.capture_timeout_s:.0f} s. Check its card and "
                          "capture target.", "warning")
        if not self._capture_deadlines and self.state == CameraState.CAPTURING:
            self._set_state(CameraState.LIVE_VIEW if self._want_live_view else CameraState.READY)

    def _download_waiting(self) -> None:
        while self._to_download:
            group = self._to_download[0]
            if all(self._fetched_already(f) for f in group):  # caught up at a reconnect
                self._to_download.pop(0)
                continue
            files = tuple(self._download_verified(f) for f in group)
            self._to_download.pop(0)
            from_body = not self._capture_deadlines
            if self._capture_deadlines:
                self._capture_deadlines.pop(0)
            self.card.fetched.update((f.source.path, len(f.data)) for f in files)
            self.listener.on_shot(DownloadedShot(files, time.time(),
                                                 self._info.model if self._info else "",
                                                 self._target, from_body))
        self._check_capture_timeouts()

    def _fetched_already(self, file: CameraFile) -> bool:
        if file.path not in self.card.fetched:
            return False
        size = file.size if file.size >= 0 else self._busy(lambda: self.backend.file_size(file))
        return self.card.was_fetched(file, int(size))  # type: ignore[call-overload]

    def _download_verified(self, file: CameraFile) -> DownloadedFile:
        return download_verified(self.backend, file, self.options.download_attempts,
                                 self._busy)

    def _release(self, shot: DownloadedShot) -> None:
        """Delete RAM captures once verified on disk; card captures always stay on the card."""
        if shot.target != CaptureTarget.RAM:
            return
        self._require_connected("deleting the verified shot from the camera's RAM")
        for file in shot.files:
            self._busy(lambda f=file.source: self.backend.delete(f))
