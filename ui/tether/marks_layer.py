"""The culling marks of the shot in a large view (the tether's review pane): stars, pick or
reject and the colour label, large enough to read from the camera position, in the picture's
top-left corner on a dark plate (the picture itself is not tinted). GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from session.culling.xmp_sidecar import CullMarks
from ui.common.filmstrip_badges import LABEL_COLOURS, PICK_GREEN, REJECT_RED, STAR_AMBER


def marks_parts(marks: CullMarks) -> list[tuple[str, QColor]]:
    """The marks as coloured words: stars, then pick or reject, then the label."""
    parts: list[tuple[str, QColor]] = []
    if marks.rating > 0:
        parts.append(("★" * marks.rating, STAR_AMBER))
    if marks.pick == 1:
        parts.append(("⚑ Pick", PICK_GREEN))
    elif marks.pick == -1:
        parts.append(("✕ Rejected", REJECT_RED))
    if marks.label:
        parts.append((f"● {marks.label}", LABEL_COLOURS.get(marks.label, QColor("white"))))
    return parts


class MarksLayer:
    def __init__(self) -> None:
        self.visible = True
        self.marks = CullMarks()

    @property
    def text(self) -> str:
        return "  ".join(text for text, _colour in marks_parts(self.marks))

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        parts = marks_parts(self.marks)
        if not parts:
            return
        font = QFont(painter.font())
        font.setPixelSize(max(16, round(rect.height() / 24)))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        gap = metrics.horizontalAdvance("  ")
        widths = [metrics.horizontalAdvance(text) for text, _colour in parts]
        pad = metrics.height() * 0.3
        plate = QRectF(rect.left() + pad, rect.top() + pad,
                       sum(widths) + gap * (len(parts) - 1) + 2 * pad, metrics.height() + pad)
        painter.fillRect(plate, QColor(0, 0, 0, 170))
        x = plate.left() + pad
        for (text, colour), width in zip(parts, widths, strict=True):
            painter.setPen(colour)
            painter.drawText(QRectF(x, plate.top(), width, plate.height()),
                             Qt.AlignmentFlag.AlignVCenter, text)
            x += width + gap
