"""The coaching layer over live view: the eye line against the upper thirds line, head-tilt
and shoulder-line indicators, and the active cues as short text coloured by severity.
Unobtrusive: thin lines, translucent labels. GUI thread only; painting reads one CoachState."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from coaching.live_coach import CoachState

SEVERITY_COLOURS = {"critical": QColor(235, 80, 70), "direct": QColor(245, 190, 60),
                    "framing": QColor(110, 180, 245)}
GOOD = QColor(90, 210, 120)
THIRD = 1 / 3


class CoachOverlay:
    def __init__(self) -> None:
        self.visible = True
        self.state: CoachState | None = None
        self.message = ""   # e.g. "Coaching off: model missing"

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        state = self.state
        if state is None:
            if self.message:
                self._label(painter, rect, [(self.message, QColor(200, 200, 200))])
            return
        def to_px(p: tuple[float, float]) -> QPointF:
            return QPointF(rect.left() + p[0] * rect.width(), rect.top() + p[1] * rect.height())
        if state.eyes:
            a, b = to_px(state.eyes[0]), to_px(state.eyes[1])
            third_y = rect.top() + rect.height() * THIRD
            eye_y = (a.y() + b.y()) / 2
            near = abs(eye_y - third_y) < rect.height() * 0.05
            painter.setPen(QPen(QColor(255, 255, 255, 90), 1, Qt.PenStyle.DashLine))
            painter.drawLine(QLineF(rect.left(), third_y, rect.right(), third_y))
            colour = GOOD if near else SEVERITY_COLOURS["framing"]
            painter.setPen(QPen(colour, 2))
            direction = b - a
            painter.drawLine(QLineF(a - direction * 0.8, b + direction * 0.8))
            roll = state.measurements.head_roll_deg
            if isinstance(roll, float):
                painter.drawText(b + direction * 0.9 + QPointF(4, 4), f"{roll:+.0f}°")
        if state.shoulders:
            a, b = to_px(state.shoulders[0]), to_px(state.shoulders[1])
            painter.setPen(QPen(QColor(200, 160, 255, 160), 2))
            painter.drawLine(QLineF(a, b))
        lines = [(cue.text, SEVERITY_COLOURS.get(cue.severity, QColor("white")))
                 for cue in state.cues]
        if state.neutral_progress is not None:
            lines.insert(0, (f"Recording neutral… {state.neutral_progress:.0%}", GOOD))
        elif state.faces == 0:
            lines.append(("No face in view", QColor(200, 200, 200)))
        self._label(painter, rect, lines)

    @staticmethod
    def _label(painter: QPainter, rect: QRectF, lines: list[tuple[str, QColor]]) -> None:
        if not lines:
            return
        font = QFont(painter.font())
        font.setPointSizeF(max(11.0, rect.height() / 40))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        y = rect.bottom() - 12
        for text, colour in reversed(lines):
            width = metrics.horizontalAdvance(text) + 16
            box = QRectF(rect.left() + 12, y - metrics.height() - 6, width, metrics.height() + 6)
            painter.fillRect(box, QColor(0, 0, 0, 150))
            painter.setPen(colour)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            y = box.top() - 4
