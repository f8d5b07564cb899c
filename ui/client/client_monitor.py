"""The client monitor in the tether window: a small live copy of exactly what the client's
screen shows (drawn by the client window's own painting code), with its mode, the screen it
is on, and an unmistakable BLANKED. Clicking it asks for the next mode. GUI thread only;
repaints at most ten times a second however often the client changes."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.client.client_window import MODE_NAMES, ClientWindow
from ui.common.image_view import fitted_rect

BLANKED_RED = QColor(220, 40, 40)
REPAINT_MS = 100


class ClientMonitor(QWidget):
    clicked = Signal()

    def __init__(self, client: ClientWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.screen_label = ""             # '' while the client display is closed
        self.aspect = (16, 10)
        self.setObjectName("clientMonitor")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("What the client's screen shows. Click for the next mode "
                        "(Latest, Live, Selection, Hold, Blanked); B blanks it.")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.update)
        client.changed.connect(self._client_changed)

    # --- state ---------------------------------------------------------------------------------
    def set_screen(self, label: str, size: QSize | None = None) -> None:
        self.screen_label = label
        if size is not None and not size.isEmpty():
            self.aspect = (size.width(), size.height())
        self.updateGeometry()
        self.update()

    @property
    def mode_text(self) -> str:
        if not self.screen_label:
            return "Closed"
        if self.client.blanked:
            return "BLANKED"
        return MODE_NAMES.get(self.client.mode, self.client.mode)

    def _client_changed(self) -> None:
        if not self._timer.isActive():
            self._timer.start(REPAINT_MS)

    # --- geometry ------------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * self.aspect[1] / self.aspect[0]) + self._caption_height()

    def sizeHint(self) -> QSize:
        return QSize(240, self.heightForWidth(240))

    def resizeEvent(self, event: object) -> None:
        wanted = self.heightForWidth(self.width())
        if self.minimumHeight() != wanted:
            self.setMinimumHeight(wanted)

    def _caption_height(self) -> int:
        return self.fontMetrics().height() + 8

    def picture_rect(self) -> QRectF:
        """The client's screen in miniature: its aspect, as large as the widget allows."""
        area = QSize(self.width(), max(1, self.height() - self._caption_height()))
        rect = fitted_rect(QSize(*self.aspect), area)
        return QRectF(round(rect.left()), round(rect.top()), round(rect.width()),
                      round(rect.height()))

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        picture = self.picture_rect()
        caption = QRectF(0, self.height() - self._caption_height(), self.width(),
                         self._caption_height())
        painter.fillRect(self.rect(), self.palette().window())
        if self.screen_label:
            self.client.paint_view(painter, picture)
        else:
            painter.fillRect(picture, QColor(60, 60, 60))
            painter.setPen(QColor(220, 220, 220))
            painter.drawText(picture, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             "Client display closed\n(F5 opens it)")
        if self.screen_label and self.client.blanked:
            self._paint_blanked(painter, picture)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(BLANKED_RED if self.client.blanked and self.screen_label
                       else self.palette().windowText().color())
        where = f" · {self.screen_label}" if self.screen_label else ""
        painter.drawText(caption.adjusted(4, 0, -4, 0),
                         Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                         painter.fontMetrics().elidedText(f"Client: {self.mode_text}{where}",
                                                          Qt.TextElideMode.ElideRight,
                                                          self.width() - 8))
        painter.end()

    def _paint_blanked(self, painter: QPainter, picture: QRectF) -> None:
        painter.setPen(QPen(BLANKED_RED, 6))
        painter.drawRect(picture.adjusted(3, 3, -3, -3))
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(14, round(picture.height() / 5)))
        painter.setFont(font)
        painter.setPen(BLANKED_RED)
        painter.drawText(picture, Qt.AlignmentFlag.AlignCenter, "BLANKED")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
