"""A thread that works on the newest live-view frame, at most a given number of times a
second and only while it is wanted: frames arrive from the camera thread into a single-slot
mailbox (newest wins, nothing queues). The live aids and the card reader are two of these.

Plain threading, no Qt. ``on_live_frame`` runs on the camera thread and returns at once;
``start``, ``stop`` and ``wake`` from any thread; ``work`` runs on the worker's own thread.
"""

from __future__ import annotations

import threading
import time

from camera.owner.listener import CameraListener
from camera.owner.mailbox import Mailbox
from camera.types import LiveFrame


class NewestFrameWorker(CameraListener):
    def __init__(self, name: str, max_rate_hz: float) -> None:
        self.frames: Mailbox[LiveFrame] = Mailbox()
        self.max_rate_hz = max_rate_hz
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    # --- any thread --------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(timeout)

    def wake(self) -> None:
        self._wake.set()

    def wanted(self) -> bool:
        """Whether frames are worth keeping now (camera thread; override)."""
        return True

    def on_live_frame(self, frame: LiveFrame) -> None:
        """Camera thread: keep the newest frame while it is wanted."""
        if self.wanted():
            self.frames.put(frame)
            self._wake.set()

    # --- the worker's thread -----------------------------------------------------------------
    def work(self, frame: LiveFrame, now: float) -> None:
        """Do the work on one frame (``now``: monotonic time the round began)."""
        raise NotImplementedError

    def _run(self) -> None:
        started = 0.0
        while not self._stop:
            self._wake.wait(0.5)
            self._wake.clear()
            rest = started + 1.0 / self.max_rate_hz - time.monotonic()
            if rest > 0:
                time.sleep(rest)
            started = time.monotonic()
            frame = self.frames.take()
            if frame is None or self._stop:
                continue
            self.work(frame, started)
