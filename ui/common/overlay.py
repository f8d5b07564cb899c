"""Overlay layers for the live view: rule-of-thirds grid and aspect masks (portrait crops
4:5, 2:3, 1:1). The coaching engine adds its own layer through the same interface.
GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import QColor, QPainter, QPen

from media.crop_box import centred_box

ASPECT_MASKS: dict[str, tuple[int, int]] = {"4:5": (4, 5), "2:3": (2, 3), "1:1": (1, 1)}


class ThirdsGrid:
    """Rule-of-thirds lines over the crop of ``mask`` (the whole frame when it is off)."""

    def __init__(self, visible: bool = True, mask: AspectMask | None = None) -> None:
        self.visible = visible
        self.mask = mask

    def paint(self, painter: QPainter, frame: QRectF) -> None:
        """Four bands on whole pixels, filled: an antialiased stroke of the same lines went
        through the raster engine's stroker and took as long as painting the frame itself
        (py-spy --gil, bench/signoff.py: 23 % of the interpreter lock)."""
        rect = self.mask.inner(frame) if self.mask is not None else frame
        width = max(1, round(rect.height() / 700))
        colour = QColor(255, 255, 255, 110)
        left, top = round(rect.left()), round(rect.top())
        right, bottom = round(rect.right()), round(rect.bottom())
        for i in (1, 2):
            x = round(rect.left() + rect.width() * i / 3 - width / 2)
            y = round(rect.top() + rect.height() * i / 3 - width / 2)
            painter.fillRect(QRect(x, top, width, bottom - top), colour)
            painter.fillRect(QRect(left, y, right - left, width), colour)


def mask_rect(rect: QRectF, ratio: tuple[int, int]) -> QRectF:
    """The centred crop of ``ratio`` (width:height) inside ``rect``."""
    left, top, width, height = centred_box(rect.width(), rect.height(), ratio)
    return QRectF(rect.left() + left, rect.top() + top, width, height)


class AspectMask:
    """Darkens what falls outside the chosen crop. ``name`` '' hides it."""

    def __init__(self, name: str = "") -> None:
        self.name = name if name in ASPECT_MASKS else ""

    @property
    def visible(self) -> bool:
        return bool(self.name)

    @property
    def ratio(self) -> tuple[int, int] | None:
        return ASPECT_MASKS.get(self.name)

    def inner(self, frame: QRectF) -> QRectF:
        """The crop's rectangle in ``frame`` (the frame itself with no mask)."""
        return mask_rect(frame, ASPECT_MASKS[self.name]) if self.name else QRectF(frame)

    def cycle(self) -> str:
        names = ["", *ASPECT_MASKS]
        self.name = names[(names.index(self.name) + 1) % len(names)]
        return self.name

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        inner = mask_rect(rect, ASPECT_MASKS[self.name])
        shade = QColor(0, 0, 0, 150)
        painter.fillRect(QRectF(rect.left(), rect.top(), inner.left() - rect.left(),
                                rect.height()), shade)
        painter.fillRect(QRectF(inner.right(), rect.top(), rect.right() - inner.right(),
                                rect.height()), shade)
        painter.fillRect(QRectF(inner.left(), rect.top(), inner.width(),
                                inner.top() - rect.top()), shade)
        painter.fillRect(QRectF(inner.left(), inner.bottom(), inner.width(),
                                rect.bottom() - inner.bottom()), shade)
        painter.setPen(QPen(QColor(255, 255, 255, 160), 1.0))
        painter.drawRect(inner)
        painter.drawText(inner.topLeft() + QPointF(6, 16), self.name)
