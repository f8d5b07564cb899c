"""Prepares each new capture for the client display off the GUI thread: the client-safety
check (face landmarker on the embedded preview) and, for safe shots, a reduced-scale decode
fitted to the client's screen. Newest capture wins. Results arrive as a queued signal with a
QImage; the GUI thread only paints."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from camera.mailbox import Mailbox
from coaching.client_safety import is_client_safe, safety_flags
from coaching.landmarks import Landmarkers
from coaching.models import ModelUnavailable
from session.previews import ImageUnreadable, decode_for_display
from ui.image_loader import to_qimage

log = logging.getLogger(__name__)


class ClientFeed(QObject):
    # path, image (null when held back), flags, when the request was made (monotonic)
    prepared = Signal(object, object, object, float)

    def __init__(self, parent: QObject | None = None, check_safety: bool = True) -> None:
        super().__init__(parent)
        self.check_safety = check_safety
        self.decode_flagged = False   # the photographer allows flagged shots: decode them too
        self.target = (1920, 1080)     # set by the GUI thread to the client screen's pixels
        self.safety_available = True
        self._requests: Mailbox[tuple[Path, float]] = Mailbox()
        self._wake = threading.Event()
        self._stop = False
        self._decoder = ThreadPoolExecutor(1, thread_name_prefix="client-feed-decode")
        self._thread = threading.Thread(target=self._run, name="client-feed", daemon=True)
        self._thread.start()

    def submit(self, path: Path) -> None:
        """A capture was verified on disk (GUI thread; returns at once)."""
        self._requests.put((Path(path), time.monotonic()))
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop = True
        self._wake.set()
        self._thread.join(timeout)
        self._decoder.shutdown(wait=True)

    def _run(self) -> None:
        landmarkers = None
        if self.check_safety:
            try:
                landmarkers = Landmarkers(video=False, with_pose=False)
            except ModelUnavailable as exc:
                log.warning("client safety check off: %s", exc)
                self.safety_available = False
        try:
            while not self._stop:
                self._wake.wait(0.5)
                self._wake.clear()
                request = self._requests.take()
                if request is not None and not self._stop:
                    self._prepare(*request, landmarkers)
        finally:
            if landmarkers is not None:
                landmarkers.close()

    def _prepare(self, path: Path, requested: float, landmarkers: Landmarkers | None) -> None:
        """The decode runs on a helper thread while this one runs the safety check."""
        flags: list[str] = []
        try:
            decoding = self._decoder.submit(decode_for_display, path, self.target)
            if landmarkers is not None:
                flags = safety_flags(path, landmarkers)
            shown = decoding.result()
            if not is_client_safe(flags) and not self.decode_flagged:
                self.prepared.emit(str(path), None, flags, requested)
                return
            self.prepared.emit(str(path), to_qimage(shown.rgb), flags, requested)
        except ImageUnreadable as exc:
            self.prepared.emit(str(path), None, ["unreadable", str(exc)], requested)
        except Exception as exc:  # never let one file stop the client display
            log.exception("client feed %s", path)
            self.prepared.emit(str(path), None, ["unreadable", str(exc)], requested)
