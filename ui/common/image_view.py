"""A widget that paints one image fitted with correct aspect on black, then overlay layers,
then an optional centred message. GUI thread only; painting never decodes anything."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class OverlayLayer(Protocol):
    """Something drawn over the image (grid, masks, coaching marks)."""

    @property
    def visible(self) -> bool: ...

    def paint(self, painter: QPainter, image_rect: QRectF) -> None: ...


def fitted_rect(image: QSize, area: QSize) -> QRectF:
    """The largest rectangle of ``image``'s aspect centred in ``area``."""
    if image.isEmpty() or area.isEmpty():
        return QRectF()
    scale = min(area.width() / image.width(), area.height() / image.height())
    w, h = image.width() * scale, image.height() * scale
    return QRectF((area.width() - w) / 2, (area.height() - h) / 2, w, h)


class ImageView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = QImage()
        self.overlays: list[OverlayLayer] = []
        self.message = ""
        self.smooth = True
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 120)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_image(self, image: QImage) -> None:
        self.image = image
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def image_rect(self) -> QRectF:
        return fitted_rect(self.image.size(), self.size())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(12, 12, 12))
        rect = self.image_rect()
        if not self.image.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.smooth)
            painter.drawImage(rect, self.image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for layer in self.overlays:
                if layer.visible:
                    painter.save()
                    layer.paint(painter, rect)
                    painter.restore()
        if self.message:
            font = QFont(painter.font())
            font.setPointSizeF(max(11.0, font.pointSizeF() * 1.2))
            painter.setFont(font)
            painter.setPen(QColor(230, 230, 230))
            painter.drawText(self.rect().adjusted(24, 24, -24, -24),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.message)
        painter.end()
