"""The client's window: full screen on its own screen, black surround, the picture fitted,
no chrome, no cursor, never takes keyboard focus. Modes: latest capture (with an optional
cross-fade; the hold card while there is no client-safe shot), clean live view (optionally
one large friendly coaching line), a selection of up to four shots, a hold card, and blank.
``paint_view`` draws the same picture at any size for the tether's client monitor. GUI thread
only; it paints what it is given."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt, QVariantAnimation, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QWidget

from ui.common.image_view import fitted_rect
from ui.common.overlay import mask_rect

MODE_LATEST, MODE_LIVE, MODE_SELECTION, MODE_HOLD = "latest", "live", "selection", "hold"
FADE_MS = 250
KEPT_SCALED = 8          # the shown, the previous and the selection, at two sizes (TV, monitor)


MODE_NAMES = {MODE_LATEST: "Latest", MODE_LIVE: "Live", MODE_SELECTION: "Selection",
              MODE_HOLD: "Hold"}


class ClientWindow(QWidget):
    painted = Signal(float)  # monotonic time of a paint that showed a new picture
    changed = Signal()       # what the client sees changed (the tether's monitor repaints)
    tapped = Signal(str)     # the client tapped the shown capture (its path): a heart

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
        self.previous_path = ""
        self.selection: list[QImage] = []
        # The photographer's aspect mask (width, height), or None: the client sees that crop
        # of every picture and of live view, never the frame around it.
        self.crop: tuple[int, int] | None = None
        self.live: QImage = QImage()
        self.coaching_line = ""
        self.hold_title = "Catchlight"
        self.hold_text = "Back in a moment"
        self.keys_received = 0
        self.shown_path = ""
        # A touch screen at the tether: a tap on the shown capture hearts it (off by default;
        # the badge says how). ``kept(path)``: whether this screen hearted that shot.
        self.hearts = False
        self.kept: Callable[[str], bool] = lambda _path: False
        self._fade = 1.0
        self._new_picture = False
        # Each still picture scaled once per size (this screen, the tether's monitor): a
        # cross-fade's frames and the monitor's repaints draw it unscaled. Without this the
        # smooth rescale ran in every paint, 7.6 % of the app's interpreter lock while
        # shooting (py-spy --gil, bench/everything.py).
        self._scaled: OrderedDict[tuple[int, tuple[int, int] | None, int, int], QImage] = \
            OrderedDict()
        self._animation = QVariantAnimation(self)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(1.0)
        self._animation.setDuration(FADE_MS)
        self._animation.valueChanged.connect(self._fade_step)

    # --- content -------------------------------------------------------------------------------
    def forget_shown(self) -> None:
        """Drop the shown and the previous picture (no cross-fade from them, no fallback to
        them): the hold card until the next picture."""
        self._animation.stop()
        self._fade = 1.0
        self.image = self.previous = QImage()
        self.shown_path = self.previous_path = ""
        self.selection = []
        self._changed()                # the tether's monitor shows the card too

    def set_crop(self, ratio: tuple[int, int] | None) -> None:
        """Show the centred crop of ``ratio`` of every picture (None: the whole frame)."""
        self.crop = ratio
        self._changed()

    def show_capture(self, image: QImage, path: str, fade: bool = True) -> None:
        """Show ``image`` in the latest mode (a null image: the hold card, never black).
        The one it replaces is kept for the cross-fade and as the fallback."""
        if not self.image.isNull():
            self.previous, self.previous_path = self.image, self.shown_path
        self.image = image
        self.shown_path = path
        self._new_picture = not image.isNull()
        if fade and self.crossfade and not self.previous.isNull() and not image.isNull() \
                and self.mode == MODE_LATEST:
            self._fade = 0.0
            self._animation.stop()
            self._animation.start()
        else:
            self._fade = 1.0
        self._changed()

    def _changed(self) -> None:
        self.update()
        self.changed.emit()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._new_picture = True
        self._changed()

    def set_blank(self, blank: bool) -> None:
        self.blanked = blank
        self._changed()

    def set_live(self, frame: QImage, line: str) -> None:
        self.live = frame
        self.coaching_line = line
        self._changed()

    def _fade_step(self, value: object) -> None:
        self._fade = float(value) if isinstance(value, int | float) else 1.0
        self._changed()

    # --- a tap hearts the shown capture (touch screens); no keyboard, ever --------------------
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (self.hearts and self.mode == MODE_LATEST and not self.blanked
                and not self.image.isNull() and self.shown_path
                and event.button() == Qt.MouseButton.LeftButton):
            self.tapped.emit(self.shown_path)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys_received += 1
        event.ignore()

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        self.paint_view(painter, QRectF(self.rect()))
        painter.end()
        if self._new_picture:
            self._new_picture = False
            self.painted.emit(time.monotonic())

    def paint_view(self, painter: QPainter, area: QRectF) -> None:
        """Draw exactly what the client sees into ``area`` (this window, or the tether's
        monitor of it at any size: text scales with ``area``)."""
        painter.save()
        painter.setClipRect(area)
        painter.fillRect(area, QColor("black"))
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        if not self.blanked:
            if self.mode == MODE_LATEST:
                self._paint_latest(painter, area)
            elif self.mode == MODE_LIVE:
                self._draw_fitted(painter, self.live, area, still=False)
                self._paint_line(painter, area)
            elif self.mode == MODE_SELECTION:
                self._paint_selection(painter, area)
            else:
                self._paint_hold(painter, area)
        painter.restore()

    def _draw_fitted(self, painter: QPainter, image: QImage, area: QRectF,
                     opacity: float = 1.0, still: bool = True) -> None:
        """``image`` fitted into ``area`` (the crop of it, if any); a ``still`` one from its
        scaled copy for this size, made on the first paint at that size."""
        if image.isNull():
            return
        source = QRectF(image.rect())
        if self.crop is not None:
            source = mask_rect(source, self.crop)
        rect = fitted_rect(source.size().toSize(), area.size().toSize())
        rect.translate(area.topLeft())
        painter.setOpacity(opacity)
        if still:
            painter.drawImage(rect.topLeft(), self._scaled_copy(image, source, rect))
        else:
            painter.drawImage(rect, image, source)
        painter.setOpacity(1.0)

    def _scaled_copy(self, image: QImage, source: QRectF, rect: QRectF) -> QImage:
        size = (round(rect.width()), round(rect.height()))
        key = (image.cacheKey(), self.crop, *size)
        scaled = self._scaled.get(key)
        if scaled is None:
            part = source.toRect()
            scaled = image if part == image.rect() else image.copy(part)
            if (scaled.width(), scaled.height()) != size:
                scaled = scaled.scaled(size[0], size[1], Qt.AspectRatioMode.IgnoreAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            self._scaled[key] = scaled
            while len(self._scaled) > KEPT_SCALED:
                self._scaled.popitem(last=False)
        else:
            self._scaled.move_to_end(key)
        return scaled

    def _paint_latest(self, painter: QPainter, area: QRectF) -> None:
        if self.image.isNull():
            self._paint_hold(painter, area)         # nothing client-safe to show: never black
            return
        if self._fade < 1.0:
            self._draw_fitted(painter, self.previous, area)
        self._draw_fitted(painter, self.image, area, self._fade)
        if self.hearts and self.shown_path:
            self._paint_heart(painter, area, self.kept(self.shown_path))

    def _paint_heart(self, painter: QPainter, area: QRectF, kept: bool) -> None:
        """The heart badge, bottom right: how to keep the picture, or that it is kept."""
        text = "♥  Kept" if kept else "♡  Tap the picture to keep it"
        painter.setFont(self._font(painter, area.height() * 0.035, True))
        metrics = painter.fontMetrics()
        margin = area.height() * 0.03
        box = QRectF(0, 0, metrics.horizontalAdvance(text) + 2 * margin,
                     metrics.height() + margin)
        box.moveBottomRight(area.bottomRight() - QPointF(margin, margin))
        painter.fillRect(box, QColor(0, 0, 0, 160))
        painter.setPen(QColor(255, 90, 110) if kept else QColor(240, 240, 240))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)

    def _paint_selection(self, painter: QPainter, area: QRectF) -> None:
        images = self.selection[:4]
        if not images:
            return
        w, h = area.width(), area.height()
        cols = 1 if len(images) == 1 else 2
        rows = 1 if len(images) <= 2 else 2
        gap = max(2.0, w / 160)
        cell_w, cell_h = (w - gap * (cols + 1)) / cols, (h - gap * (rows + 1)) / rows
        for i, image in enumerate(images):
            r, c = divmod(i, cols)
            self._draw_fitted(painter, image, QRectF(area.left() + gap + c * (cell_w + gap),
                                                     area.top() + gap + r * (cell_h + gap),
                                                     cell_w, cell_h))

    @staticmethod
    def _font(painter: QPainter, pixels: float, bold: bool) -> QFont:
        font = QFont(painter.font())
        font.setPixelSize(max(6, round(pixels)))
        font.setBold(bold)
        return font

    def _paint_line(self, painter: QPainter, area: QRectF) -> None:
        if not self.coaching_line:
            return
        painter.setFont(self._font(painter, area.height() / 16, True))
        box = QRectF(area.left(), area.top() + area.height() * 0.82, area.width(),
                     area.height() * 0.14)
        painter.fillRect(box, QColor(0, 0, 0, 160))
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.coaching_line)

    def _paint_hold(self, painter: QPainter, area: QRectF) -> None:
        painter.fillRect(area, QColor(24, 24, 28))
        title = self._font(painter, area.height() / 10, True)
        width = QFontMetrics(title).horizontalAdvance(self.hold_title)
        if width > area.width() * 0.9:           # a long name is made smaller, never cut
            title.setPixelSize(max(6, int(title.pixelSize() * area.width() * 0.9 / width)))
        painter.setFont(title)
        painter.setPen(QColor(235, 235, 235))
        top = QRectF(area.left(), area.top() + area.height() * 0.32, area.width(),
                     area.height() * 0.2)
        painter.drawText(top, Qt.AlignmentFlag.AlignCenter, self.hold_title)
        painter.setFont(self._font(painter, area.height() / 22, False))
        painter.setPen(QColor(170, 170, 170))
        bottom = QRectF(area.left(), area.top() + area.height() * 0.52, area.width(),
                        area.height() * 0.12)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignCenter, self.hold_text)
