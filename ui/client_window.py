"""The client's window: full screen on its own screen, black surround, the picture fitted,
no chrome, no cursor, never takes keyboard focus. Modes: latest capture (with an optional
cross-fade), clean live view (optionally one large friendly coaching line), a selection of
up to four shots, a hold card, and blank. GUI thread only; it paints what it is given."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFont, QImage, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from ui.image_view import fitted_rect

MODE_LATEST, MODE_LIVE, MODE_SELECTION, MODE_HOLD = "latest", "live", "selection", "hold"
FADE_MS = 250


class ClientWindow(QWidget):
    painted = Signal(float)  # monotonic time of a paint that showed a new picture

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setWindowTitle("Catchlight — client view")
        self.setObjectName("clientWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.mode = MODE_LATEST
        self.blanked = False
        self.crossfade = True
        self.image = QImage()
        self.previous = QImage()
        self.selection: list[QImage] = []
        self.live: QImage = QImage()
        self.coaching_line = ""
        self.hold_title = "Catchlight"
        self.hold_text = "Back in a moment"
        self.keys_received = 0
        self.shown_path = ""
        self._fade = 1.0
        self._new_picture = False
        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setDuration(FADE_MS)
        self._animation.valueChanged.connect(self._fade_step)

    # --- content -------------------------------------------------------------------------------
    def show_capture(self, image: QImage, path: str) -> None:
        self.previous = self.image
        self.image = image
        self.shown_path = path
        self._new_picture = True
        if self.crossfade and not self.previous.isNull() and self.mode == MODE_LATEST:
            self._fade = 0.0
            self._animation.stop()
            self._animation.start()
        else:
            self._fade = 1.0
        self.update()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._new_picture = True
        self.update()

    def set_blank(self, blank: bool) -> None:
        self.blanked = blank
        self.update()

    def _fade_step(self, value: object) -> None:
        self._fade = float(value) if isinstance(value, int | float) else 1.0
        self.update()

    # --- no keyboard, ever ---------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys_received += 1
        event.ignore()

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not self.blanked:
            if self.mode == MODE_LATEST:
                self._paint_latest(painter)
            elif self.mode == MODE_LIVE:
                self._draw_fitted(painter, self.live, QRectF(self.rect()))
                self._paint_line(painter)
            elif self.mode == MODE_SELECTION:
                self._paint_selection(painter)
            else:
                self._paint_hold(painter)
        painter.end()
        if self._new_picture:
            self._new_picture = False
            self.painted.emit(time.monotonic())

    def _draw_fitted(self, painter: QPainter, image: QImage, area: QRectF,
                     opacity: float = 1.0) -> None:
        if image.isNull():
            return
        rect = fitted_rect(image.size(), area.size().toSize())
        rect.translate(area.topLeft())
        painter.setOpacity(opacity)
        painter.drawImage(rect, image)
        painter.setOpacity(1.0)

    def _paint_latest(self, painter: QPainter) -> None:
        area = QRectF(self.rect())
        if self._fade < 1.0:
            self._draw_fitted(painter, self.previous, area)
        self._draw_fitted(painter, self.image, area, self._fade)

    def _paint_selection(self, painter: QPainter) -> None:
        images = self.selection[:4]
        if not images:
            return
        w, h = self.width(), self.height()
        cols = 1 if len(images) == 1 else 2
        rows = 1 if len(images) <= 2 else 2
        gap = 12
        cell_w, cell_h = (w - gap * (cols + 1)) / cols, (h - gap * (rows + 1)) / rows
        for i, image in enumerate(images):
            r, c = divmod(i, cols)
            self._draw_fitted(painter, image, QRectF(gap + c * (cell_w + gap),
                                                     gap + r * (cell_h + gap), cell_w, cell_h))

    def _paint_line(self, painter: QPainter) -> None:
        if not self.coaching_line:
            return
        font = QFont(painter.font())
        font.setPointSizeF(max(18.0, self.height() / 22))
        font.setBold(True)
        painter.setFont(font)
        box = QRectF(0, self.height() * 0.82, self.width(), self.height() * 0.14)
        painter.fillRect(box, QColor(0, 0, 0, 160))
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.coaching_line)

    def _paint_hold(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), QColor(24, 24, 28))
        font = QFont(painter.font())
        font.setPointSizeF(max(24.0, self.height() / 14))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(235, 235, 235))
        top = QRectF(0, self.height() * 0.32, self.width(), self.height() * 0.2)
        painter.drawText(top, Qt.AlignmentFlag.AlignCenter, self.hold_title)
        font.setPointSizeF(font.pointSizeF() * 0.45)
        font.setBold(False)
        painter.setFont(font)
        painter.setPen(QColor(170, 170, 170))
        bottom = QRectF(0, self.height() * 0.52, self.width(), self.height() * 0.12)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self.hold_text)
