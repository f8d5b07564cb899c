"""The live-view pane: paints the newest frame from the camera bridge's mailbox, with the
overlay layers on top, and counts what it painted (for the benchmark and the status bar).
GUI thread only; taking a frame wraps its array in a QImage without copying."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from camera.mailbox import Mailbox
from camera.types import LiveFrame
from ui.image_view import ImageView
from ui.overlay import AspectMask, ThirdsGrid


class LiveViewWidget(ImageView):
    frame_taken = Signal()  # a new frame is in ``image`` (for the client's live mode)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.aspect = AspectMask()
        self.grid = ThirdsGrid(mask=self.aspect)
        self.overlays = [self.aspect, self.grid]
        self.frame: LiveFrame | None = None
        self.mailbox: Mailbox[LiveFrame] | None = None
        self.frames_shown = 0
        self.last_shown_at = 0.0
        self.setObjectName("liveView")
        self.set_message("Live view is off. Press L to start it.")

    def take_newest(self) -> None:
        """Slot for the bridge's frame_available (queued to the GUI thread): show the newest
        frame in ``mailbox``."""
        frame = self.mailbox.take() if self.mailbox is not None else None
        if frame is None:
            return
        self.frame = frame  # keeps the array alive while the QImage points into it
        pixels = frame.bgra
        image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], pixels.strides[0],
                       QImage.Format.Format_RGB32)
        self.frames_shown += 1
        self.last_shown_at = time.monotonic()
        self.message = ""
        self.set_image(image)
        self.frame_taken.emit()

    def clear_frame(self, message: str) -> None:
        self.frame = None
        self.set_image(QImage())
        self.set_message(message)
