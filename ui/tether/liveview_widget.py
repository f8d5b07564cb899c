"""The live-view pane: paints the newest frame from the camera bridge's mailbox, with the
overlay layers on top, the session's shot counter and a brief border flash at Space, and
counts what it painted (for the benchmark and the status bar).
GUI thread only; taking a frame wraps its array in a QImage without copying."""

from __future__ import annotations

import time

from PySide6.QtCore import QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from camera.owner.mailbox import Mailbox
from camera.types import LiveFrame
from ui.common.image_view import ImageView
from ui.common.overlay import AspectMask, ThirdsGrid

FLASH_MS = 180
LIVE_WITHIN_S = 0.1           # a frame this recent: live view is running, its next paint is near


SIDE_LABEL_MIN = 140.0        # px beside the crop worth putting the person's name in


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
        self.shot_count = 0          # shots in the session, counting the one being taken
        self.person_name = ""        # on a headshot day, who is in the chair
        self.label_box = QRectF()    # where the name (or the shot count) was last painted
        self.client_notice = ""      # what the client's screen is doing that the photographer
                                     # must not miss (blanked), drawn at the top
        self.flashing = False
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._flash_over)
        self._frames_when_waiting = 0
        self._overlay_timer = QTimer(self)      # an overlay's result no frame came to show
        self._overlay_timer.setSingleShot(True)
        self._overlay_timer.setInterval(round(LIVE_WITHIN_S * 1000))
        self._overlay_timer.timeout.connect(self._overlay_late)

    def flash(self, shots: int) -> None:
        """Space was pressed: a brief white border round the view and the new shot count."""
        self.shot_count = shots
        self.flashing = True
        self._flash_timer.start(FLASH_MS)
        self.update()

    def set_shot_count(self, shots: int) -> None:
        if shots != self.shot_count:
            self.shot_count = shots
            self.update()

    def _flash_over(self) -> None:
        self.flashing = False
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        if self.flashing:
            width = max(6, self.height() // 90)
            painter.setPen(QPen(QColor("white"), width))
            painter.drawRect(QRectF(self.rect()).adjusted(width / 2, width / 2,
                                                          -width / 2, -width / 2))
        # On a headshot day: who is in the chair and their own count; else the session's.
        label = self.person_name or (f"Shot {self.shot_count}" if self.shot_count else "")
        if not (label or self.client_notice):
            painter.end()
            return
        font = QFont(self.font())
        font.setPixelSize(max(16, self.height() // 34))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        if label:
            self._paint_label(painter, label)
        if self.client_notice:
            # A band across the top, over everything: it must not be missed.
            box = QRectF(0, 0, self.width(), metrics.height() + 10)
            painter.fillRect(box, QColor(170, 30, 30))
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.client_notice)
        painter.end()

    def _paint_label(self, painter: QPainter, label: str) -> None:
        """Bottom right. With the aspect mask on and room beside the crop, in that room,
        wrapped (a long name whole), so it never sits on the coach's plates inside the
        crop; else one line at the corner."""
        metrics = painter.fontMetrics()
        crop = self.aspect.inner(self.image_rect()) if not self.image.isNull() else QRectF()
        room = self.width() - crop.right() - 24 if not crop.isEmpty() else 0.0
        if room >= SIDE_LABEL_MIN:
            flags = int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
            needed = metrics.boundingRect(QRect(0, 0, int(room) - 16, 10_000), flags, label)
            box = QRectF(self.width() - needed.width() - 28,
                         self.height() - needed.height() - 18, needed.width() + 16,
                         needed.height() + 6)
        else:
            label = metrics.elidedText(label, Qt.TextElideMode.ElideMiddle,
                                       max(80, self.width() // 2))
            flags = int(Qt.AlignmentFlag.AlignCenter)
            width = metrics.horizontalAdvance(label) + 16
            box = QRectF(self.width() - width - 12, self.height() - metrics.height() - 18,
                         width, metrics.height() + 6)
        painter.fillRect(box, QColor(0, 0, 0, 150))
        painter.setPen(QColor(235, 235, 235))
        painter.drawText(box, flags, label)
        self.label_box = box

    def overlay_changed(self) -> None:
        """An overlay has a new result (the coach's state, the aids' marks): while live view
        runs, the next frame's paint shows it (within a frame), so the view is not painted
        twice a frame; without frames it is painted now. Before this the view painted 60
        times a second for 30 frames (bench/everything.py)."""
        if time.monotonic() - self.last_shown_at > LIVE_WITHIN_S:
            self.update()
        else:                  # in case that frame was the last (live view just stopped)
            self._frames_when_waiting = self.frames_shown
            self._overlay_timer.start()

    def _overlay_late(self) -> None:
        if self.frames_shown == self._frames_when_waiting:      # no frame came to show it
            self.update()

    def set_person(self, name: str) -> None:
        if name != self.person_name:
            self.person_name = name
            self.update()

    def set_client_notice(self, text: str) -> None:
        if text != self.client_notice:
            self.client_notice = text
            self.update()

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
