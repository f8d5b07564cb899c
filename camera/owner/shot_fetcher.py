"""The way from a fired shutter to downloaded shots, for one camera: captures asked for and
not arrived yet, FILE_ADDED events grouped into shots (RAW+JPEG), verified downloads, catching
up with shots on the card that never reached us (at connect, and when a capture's event never
comes), and deleting RAM captures once they are verified on disk.

Owned by the camera worker (composition: everything it needs comes in through its
constructor); runs on the camera thread only and blocks on camera calls.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

from camera.backend import CameraBackend
from camera.errors import CameraBusy
from camera.owner.card_sync import MISSED_MESSAGE, CardSync
from camera.owner.downloads import download_verified
from camera.owner.listener import CameraListener
from camera.owner.retry import Busy
from camera.owner.shot_assembler import ShotAssembler
from camera.owner.worker_options import WorkerOptions
from camera.types import (
    CameraEvent,
    CameraFile,
    CaptureTarget,
    DownloadedFile,
    DownloadedShot,
    EventKind,
)

MAX_EVENTS_PER_POLL = 64


class ShotFetcher:
    def __init__(self, backend: CameraBackend, listener: CameraListener,
                 options: WorkerOptions, busy: Busy) -> None:
        self.backend = backend
        self.listener = listener
        self.options = options
        self.busy = busy
        self.card = CardSync()
        self.assembler = ShotAssembler()
        self.to_download: list[tuple[CameraFile, ...]] = []
        self.deadlines: list[float] = []        # one per capture asked for, not arrived yet
        self._listed_at = 0.0

    @property
    def capturing(self) -> bool:
        """A capture we asked for has not arrived yet."""
        return bool(self.deadlines)

    @property
    def expecting(self) -> bool:
        """A capture or the partner of an announced file is on its way."""
        return bool(self.deadlines) or len(self.assembler) > 0

    def triggered(self) -> None:
        self.deadlines.append(time.monotonic() + self.options.capture_timeout_s)

    # --- events --------------------------------------------------------------------------------
    def take_events(self, first_timeout_ms: int, on_dial: Callable[[str], None]) -> None:
        """Drain the camera's events (waiting up to ``first_timeout_ms`` for the first) and
        queue every shot that is complete."""
        event = self._next_event(first_timeout_ms)
        for _ in range(MAX_EVENTS_PER_POLL):
            if event.kind == EventKind.TIMEOUT:
                break
            if event.kind == EventKind.FILE_ADDED and event.file:
                self.assembler.add(event.file, time.monotonic())
            elif event.kind == EventKind.CAPTURE_COMPLETE:
                self.assembler.capture_complete()
            elif event.detail:
                on_dial(event.detail)
            # A shot complete now is queued at once; only a file still waiting for its
            # partner (RAW+JPEG) is worth a 1 ms wait, every other poll returns at once.
            self.to_download.extend(self.assembler.pop_ready(time.monotonic()))
            event = self._next_event(1 if len(self.assembler) else 0)
        self.to_download.extend(self.assembler.pop_ready(time.monotonic()))

    def _next_event(self, timeout_ms: int) -> CameraEvent:
        """A busy camera (writing, focusing) has no news for us: poll again next time."""
        try:
            return self.backend.wait_for_event(timeout_ms)
        except CameraBusy:
            return CameraEvent(EventKind.TIMEOUT)

    # --- the card -------------------------------------------------------------------------------
    def queue_missed(self, camera_key: str) -> None:
        """Queue the shots on the camera that never reached us (see camera.owner.card_sync)."""
        pending = {f.path for group in self.to_download for f in group}
        pending.update(f.path for f in self.assembler.files())
        missed = self.card.missed_shots(self.backend, self.busy, camera_key, pending)
        if missed:
            self.listener.on_problem(MISSED_MESSAGE.format(count=len(missed)), "info")
            self.to_download.extend(missed)

    def look_for_lost_events(self, camera_key: str) -> None:
        """A capture still waiting for its FILE_ADDED after ``missed_event_s`` (some bodies
        drop the event): list the card once per wait, so the shot arrives anyway."""
        now = time.monotonic()
        asked = [d - self.options.capture_timeout_s for d in self.deadlines]
        if not asked or len(self.assembler) or self.card.memory is None:
            return
        if now - min(asked) < self.options.missed_event_s:
            return
        if now - self._listed_at < self.options.missed_event_s:
            return
        self._listed_at = now
        self.queue_missed(camera_key)

    # --- downloads ------------------------------------------------------------------------------
    def download_waiting(self, model: str, target: CaptureTarget) -> None:
        """Download every queued shot (verified) and hand it to the listener."""
        while self.to_download:
            group = self.to_download[0]
            if all(self._fetched_already(f) for f in group):   # caught up at a reconnect
                self.to_download.pop(0)
                continue
            files = tuple(self._download_verified(f) for f in group)
            self.to_download.pop(0)
            from_body = not self.deadlines
            if self.deadlines:
                self.deadlines.pop(0)
            self.card.fetched.update((f.source.path, len(f.data)) for f in files)
            self.listener.on_shot(DownloadedShot(files, time.time(), model, target, from_body))

    def _fetched_already(self, file: CameraFile) -> bool:
        if file.path not in self.card.fetched:
            return False
        size = file.size if file.size >= 0 else self.busy(lambda: self.backend.file_size(file))
        return self.card.was_fetched(file, size)

    def _download_verified(self, file: CameraFile) -> DownloadedFile:
        return download_verified(self.backend, file, self.options.download_attempts, self.busy)

    def drop_late(self) -> None:
        """Give up on captures that did not arrive within ``capture_timeout_s``, saying so."""
        now = time.monotonic()
        if not any(d < now for d in self.deadlines):
            return
        self.deadlines = [d for d in self.deadlines if d >= now]
        self.listener.on_problem("The camera took a picture but did not deliver it within "
                                 f"{self.options.capture_timeout_s:.0f} s. Check its card and "
                                 "capture target.", "warning")

    def release(self, shot: DownloadedShot) -> None:
        """Delete RAM captures once verified on disk; card captures always stay on the card."""
        if shot.target != CaptureTarget.RAM:
            return
        for file in shot.files:
            self.busy(partial(self.backend.delete, file.source))
