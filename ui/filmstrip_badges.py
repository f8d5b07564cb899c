"""Paints coaching badges (eyes closed, blink, soft eyes, looking away, ...) over filmstrip
tiles. GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from session.xmp_sidecar import CullMarks

BADGES: dict[str, tuple[str, QColor]] = {
    "eyes_closed": ("Closed", QColor(200, 50, 45)),
    "half_blink": ("Blink", QColor(215, 140, 20)),
    "eyes_soft": ("Soft", QColor(215, 140, 20)),
    "not_looking": ("Away", QColor(50, 120, 200)),
    "no_face": ("No face", QColor(110, 110, 110)),
    "multiple_faces": ("Group", QColor(110, 110, 110)),
    "unreadable": ("Unreadable", QColor(200, 50, 45)),
}
FLAGS_ROLE = Qt.ItemDataRole.UserRole + 1
MARKS_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_COLOURS = {"Red": QColor(200, 50, 45), "Yellow": QColor(220, 190, 40),
                 "Green": QColor(60, 160, 70), "Blue": QColor(50, 110, 210),
                 "Purple": QColor(140, 70, 180)}


def badge_labels(flags: list[str]) -> list[tuple[str, QColor]]:
    return [BADGES[f] for f in flags if f in BADGES]


def draw_badge(painter: QPainter, x: float, y: float, text: str, colour: QColor,
               pad_x: float, pad_y: float) -> QRectF:
    """One badge (white text on ``colour``) at (x, y) in the painter's current font; returns
    its box so the caller can place the next one."""
    metrics = painter.fontMetrics()
    box = QRectF(x, y, metrics.horizontalAdvance(text) + pad_x, metrics.height() + pad_y)
    painter.fillRect(box, colour)
    painter.setPen(QColor("white"))
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    return box


class BadgeDelegate(QStyledItemDelegate):
    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        self._paint_marks(painter, option, index.data(MARKS_ROLE))
        labels = badge_labels(index.data(FLAGS_ROLE) or [])
        if not labels:
            return
        painter.save()
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        font.setBold(True)
        painter.setFont(font)
        x, y = option.rect.left() + 8, option.rect.top() + 6
        for text, colour in labels:                       # stacked down the tile
            y += draw_badge(painter, x, y, text, colour, 8, 2).height() + 2
        painter.restore()

    @staticmethod
    def _paint_marks(painter: QPainter, option: QStyleOptionViewItem,
                     marks: CullMarks | None) -> None:
        """Stars, pick or reject, and the colour label along the tile's bottom edge."""
        if marks is None:
            return
        painter.save()
        rect = option.rect
        if marks.label in LABEL_COLOURS:
            painter.fillRect(QRectF(rect.left() + 4, rect.bottom() - 26, rect.width() - 8, 4),
                             LABEL_COLOURS[marks.label])
        text = ("✕ " if marks.pick == -1 else "⚑ " if marks.pick == 1 else "") + \
            "★" * max(0, marks.rating)
        if text:
            painter.setPen(QColor(255, 80, 70) if marks.pick == -1 else QColor(250, 210, 80))
            painter.drawText(QRectF(rect.left() + 6, rect.bottom() - 48, rect.width() - 12, 18),
                             Qt.AlignmentFlag.AlignRight, text)
        painter.restore()
