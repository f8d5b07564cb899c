"""One image that can be shown fitted or zoomed (100 % = one camera pixel per screen pixel)
and panned by dragging; the picture shown may be a reduced decode until the full-resolution
one arrives. The view is described by a zoom and an offset (in camera pixels) from an anchor,
normally the eyes, so several views can be kept in step (compare mode). Retouch notes show
as numbered pins; a double-click on the picture says which spot was chosen for a new one.
GUI thread only; painting never decodes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QWheelEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.common.filmstrip_badges import draw_badge
from ui.common.image_view import fitted_rect

MAX_ZOOM = 4.0
PIN_RADIUS = 11.0
WHEEL_STEP = 1.25


@dataclass(frozen=True)
class ViewState:
    zoom: float | None = None          # None: fit to the panel
    dx: float = 0.0                    # offset of the view centre from the anchor, camera px
    dy: float = 0.0


class ZoomView(QWidget):
    view_changed = Signal(object)      # ViewState chosen by the user (drag or wheel)
    activated = Signal()               # clicked: becomes the current panel
    spot_chosen = Signal(float, float)  # double-clicked: 0..1 of the picture (a retouch note)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = QImage()
        self.source_size = (0, 0)      # the camera file's pixel size
        self.anchor = (0.5, 0.5)       # normalised point the view centres on (the eyes)
        self.state = ViewState()
        self.caption = ""
        self.badges: list[tuple[str, QColor]] = []
        self.message = ""
        self.current = False
        self.pins: list[tuple[float, float, int, str]] = []   # notes: x, y (0..1), number, text
        self._drag: QPointF | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_image(self, image: QImage, source_size: tuple[int, int]) -> None:
        self.image = image
        self.source_size = source_size if min(source_size) > 0 else (image.width(),
                                                                    image.height())
        self.message = ""
        self.update()

    def set_state(self, state: ViewState) -> None:
        self.state = state
        self.update()

    def needs_full_resolution(self) -> bool:
        """True when the zoom shows more detail than the loaded picture holds."""
        if self.state.zoom is None or self.image.isNull() or not self.source_size[0]:
            return False
        return self.image.width() < self.source_size[0] * min(self.state.zoom, 1.0) * 0.99

    def target_rect(self) -> QRectF:
        """Where the whole picture is drawn, in widget coordinates."""
        if self.image.isNull():
            return QRectF()
        if self.state.zoom is None:
            return fitted_rect(self.image.size(), self.size())
        sw, sh = self.source_size
        z = self.state.zoom
        cx = self.anchor[0] * sw + self.state.dx
        cy = self.anchor[1] * sh + self.state.dy
        return QRectF(self.width() / 2 - cx * z, self.height() / 2 - cy * z, sw * z, sh * z)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(12, 12, 12))
        if not self.image.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.target_rect(), self.image)
            self._paint_pins(painter)
        if self.current:
            painter.setPen(QColor(250, 210, 80))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        self._paint_text(painter)
        painter.end()

    def _paint_pins(self, painter: QPainter) -> None:
        """Numbered pins where the retouch notes are, drawn over the picture."""
        if not self.pins:
            return
        target = self.target_rect()
        font = QFont(painter.font())
        font.setBold(True)
        font.setPixelSize(13)
        painter.setFont(font)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for x, y, number, _text in self.pins:
            centre = QPointF(target.left() + x * target.width(),
                             target.top() + y * target.height())
            circle = QRectF(centre.x() - PIN_RADIUS, centre.y() - PIN_RADIUS,
                            2 * PIN_RADIUS, 2 * PIN_RADIUS)
            painter.setPen(QPen(QColor(255, 255, 255), 2))
            painter.setBrush(QColor(200, 40, 90))
            painter.drawEllipse(circle)
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(number))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        self._paint_legend(painter)

    def _paint_legend(self, painter: QPainter) -> None:
        """The notes' words, numbered like their pins, in a box at the top left."""
        font = QFont(painter.font())
        font.setBold(False)
        font.setPixelSize(13)
        painter.setFont(font)
        width = max(160.0, min(420.0, self.width() * 0.4))
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        text = "\n".join(f"{number}  {words}" for _x, _y, number, words in self.pins)
        needed = painter.fontMetrics().boundingRect(0, 0, int(width), 10_000, flags, text)
        box = QRectF(8, 36, width + 16, needed.height() + 12)
        painter.fillRect(box, QColor(0, 0, 0, 170))
        painter.setPen(QColor(240, 240, 240))
        painter.drawText(box.adjusted(8, 6, -8, -6), flags, text)

    def spot_at(self, position: QPointF) -> tuple[float, float] | None:
        """The point of the picture under ``position`` (0..1), None off the picture."""
        target = self.target_rect()
        if target.isEmpty() or not target.contains(position):
            return None
        return ((position.x() - target.left()) / target.width(),
                (position.y() - target.top()) / target.height())

    def _paint_text(self, painter: QPainter) -> None:
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        x = 8.0
        for text, colour in self.badges:                  # in a row along the top
            x += draw_badge(painter, x, 8, text, colour, 10, 4).width() + 4
        if self.caption:
            box = QRectF(0, self.height() - metrics.height() - 8, self.width(),
                         metrics.height() + 8)
            painter.fillRect(box, QColor(0, 0, 0, 160))
            painter.setPen(QColor(230, 230, 230))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.caption)
        if self.message:
            painter.setPen(QColor(230, 230, 230))
            painter.drawText(self.rect().adjusted(20, 20, -20, -20),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.message)

    # --- the photographer's hands -----------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit()
        if self.state.zoom is not None:
            self._drag = event.position()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or self.state.zoom is None:
            return
        delta = event.position() - self._drag
        self._drag = event.position()
        z = self.state.zoom
        self._user(ViewState(z, self.state.dx - delta.x() / z, self.state.dy - delta.y() / z))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        spot = self.spot_at(event.position())
        if spot is not None:
            self.spot_chosen.emit(*spot)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.image.isNull() or not self.source_size[0]:
            return
        current = self.state.zoom if self.state.zoom is not None else self.fit_zoom()
        factor = WHEEL_STEP if event.angleDelta().y() > 0 else 1 / WHEEL_STEP
        zoom = min(MAX_ZOOM, current * factor)
        self._user(ViewState(None) if zoom <= self.fit_zoom() else
                   ViewState(zoom, self.state.dx, self.state.dy))

    def fit_zoom(self) -> float:
        sw, sh = self.source_size
        return min(self.width() / sw, self.height() / sh) if sw and sh else 1.0

    def _user(self, state: ViewState) -> None:
        self.set_state(state)
        self.view_changed.emit(state)
