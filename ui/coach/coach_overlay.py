"""The coaching layer over live view: the eye line against the crop's upper thirds line,
the head-tilt readout and the shoulder line, the active cues, and the style and neutral in
the top-right corner. On a headshot day the house eye line replaces the thirds line and a
compact deviation meter (top left) shows how far the person is from the house look.
Everything sits inside the active aspect mask's crop and scales with
the view, readable from the camera position. Colours keep one meaning each: green good, amber
something for the subject to do, blue something for the camera, teal something for the
lights, red critical, grey no judgement; the shoulder line is lilac while nothing is asked of
the shoulders. GUI thread only; painting reads one CoachState."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen

from coaching.live.live_coach import CoachState
from coaching.measure.cues import LIGHT
from coaching.measure.face_meter import face_meter
from coaching.measure.grey_card import SPOT
from coaching.measure.house_meter import house_meter
from session.people.hero_frame import HeroFrame
from session.people.house_look import HouseLook
from ui.common.overlay import AspectMask

SEVERITY_COLOURS = {"critical": QColor(235, 80, 70), "direct": QColor(245, 190, 60),
                    "framing": QColor(110, 180, 245), LIGHT: QColor(95, 215, 200)}
GOOD = QColor(90, 210, 120)
NO_JUDGEMENT = QColor(215, 215, 215)
SHOULDERS = QColor(200, 160, 255, 190)
THIRD = 1 / 3
# Which cue speaks about the eye line: its colour is the line's colour while it shows.
EYE_LINE_CUES = ("level_head", "eyes_to_upper_third")
SHOULDER_CUES = ("level_shoulders", "angle_shoulders", "square_up")


def text_pixels(rect: QRectF) -> int:
    """Cue text height for a view: about 1/24 of its height, never under 18 px (readable
    at 2 m on a desktop monitor)."""
    return max(18, round(rect.height() / 24))


def line_width(rect: QRectF) -> float:
    return max(2.0, rect.height() / 260)


@lru_cache(maxsize=256)
def plate_layout(text: str, available: int, pixels: int, family: str
                 ) -> tuple[int, int, int, int]:
    """How a cue fits its plate inside the crop, whole: (type size, draw flags, text width,
    text height). One line at up to a quarter smaller type, else two lines; never cut
    ("Camera: pan a touch left to re…" told the photographer nothing). Cached: a cue is laid
    out once, not on every frame."""
    font = QFont(family)
    font.setBold(True)
    one_line = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    size = pixels
    while size >= pixels * 0.75:
        font.setPixelSize(size)
        width = QFontMetrics(font).horizontalAdvance(text)
        if width <= available:
            return size, one_line, width, QFontMetrics(font).height()
        size -= 1
    font.setPixelSize(max(1, round(pixels * 0.85)))
    wrapped = one_line | int(Qt.TextFlag.TextWordWrap)
    needed = QFontMetrics(font).boundingRect(QRect(0, 0, max(1, available), 10_000), wrapped,
                                             text)
    return font.pixelSize(), wrapped, needed.width(), needed.height()


class CoachOverlay:
    def __init__(self, mask: AspectMask | None = None) -> None:
        self.visible = True
        self.mask = mask or AspectMask()
        self.state: CoachState | None = None
        self.message = ""   # e.g. "Coaching off: model missing"
        self.status = ""    # the style and whether a neutral is set, top right
        self.show_meter = False   # the face meter's readout, top left (View → Face meter)
        self.house: HouseLook | None = None   # a headshot day's house look
        self.card_spot = False    # a grey-card reading is asked for: show where to hold it
        self.hero: HeroFrame | None = None   # the hero frame: its match is shown top left

    @staticmethod
    def line_colour(state: CoachState, cues: tuple[str, ...], fine: QColor) -> QColor:
        """The colour of the cue about this line while one shows, else ``fine``."""
        for cue in state.cues:
            if cue.id in cues:
                return SEVERITY_COLOURS.get(cue.severity, NO_JUDGEMENT)
        return fine

    def eye_line_colour(self, state: CoachState) -> QColor:
        return self.line_colour(state, EYE_LINE_CUES, GOOD)

    def paint(self, painter: QPainter, frame: QRectF) -> None:
        crop = self.mask.inner(frame)
        state = self.state
        self._status(painter, crop)
        if self.card_spot:
            self._card_spot(painter, frame, crop)
        if state is None:
            if self.message:
                self._label(painter, crop, [(self.message, NO_JUDGEMENT)])
            return

        def to_px(p: tuple[float, float]) -> QPointF:
            return QPointF(frame.left() + p[0] * frame.width(),
                           frame.top() + p[1] * frame.height())
        below = 0.0
        if self.show_meter:
            below = self._meter(painter, crop, face_meter(state.measurements))
        if self.hero is not None and state.match is not None:
            below += self._hero_score(painter, crop, state.match.score, below)
        if self.house is not None and state.faces:
            self._house_meter(painter, crop, state, self.house, below)
        width = line_width(crop)
        if state.eyes:
            a, b = to_px(state.eyes[0]), to_px(state.eyes[1])
            if self.house is not None:    # the house eye line, in the full frame's terms
                guide_y = frame.top() + frame.height() * self.house.eye_line
                guide = QPen(QColor(255, 230, 150, 170), width / 2, Qt.PenStyle.DashLine)
            else:
                guide_y = crop.top() + crop.height() * THIRD
                guide = QPen(QColor(255, 255, 255, 110), width / 2, Qt.PenStyle.DashLine)
            painter.setPen(guide)
            painter.drawLine(QLineF(crop.left(), guide_y, crop.right(), guide_y))
            colour = self.eye_line_colour(state)
            painter.setPen(QPen(colour, width))
            direction = b - a
            painter.drawLine(QLineF(a - direction * 0.8, b + direction * 0.8))
            roll = state.measurements.head_roll_deg
            if isinstance(roll, float):
                font = QFont(painter.font())
                font.setPixelSize(round(text_pixels(crop) * 0.8))
                font.setBold(True)
                painter.setFont(font)
                painter.drawText(b + direction * 0.9 + QPointF(6, font.pixelSize() / 3),
                                 f"{roll:+.0f}°")
        if state.shoulders:
            a, b = to_px(state.shoulders[0]), to_px(state.shoulders[1])
            painter.setPen(QPen(self.line_colour(state, SHOULDER_CUES, SHOULDERS), width))
            painter.drawLine(QLineF(a, b))
        lines = [(cue.text, SEVERITY_COLOURS.get(cue.severity, NO_JUDGEMENT))
                 for cue in state.cues]
        if state.neutral_progress is not None:
            lines.insert(0, (f"Recording neutral… {state.neutral_progress:.0%}", GOOD))
        elif self.card_spot:
            lines.insert(0, ("Grey card: hold it flat, filling the square", GOOD))
        elif state.faces == 0:
            lines.append(("No face in view", NO_JUDGEMENT))
        self._label(painter, crop, lines)

    def _hero_score(self, painter: QPainter, crop: QRectF, score: int, below: float) -> float:
        """'Hero 82' top left (under the meter when it shows), green from 80, amber from
        50: the photographer's alone (the client's screen never draws this overlay).
        Returns the height it took."""
        metrics, margin = self._meter_font(painter, crop)
        text = f"Hero match {score}"
        top = self._meter_top(crop) + below
        box = QRectF(crop.left() + margin, top, metrics.horizontalAdvance(text) + 16,
                     metrics.height() + 8)
        painter.fillRect(box, QColor(0, 0, 0, 150))
        colour = GOOD if score >= 80 else QColor(255, 190, 60) if score >= 50 \
            else QColor(255, 110, 90)
        painter.setPen(colour)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), text)
        return box.height() + 4

    @staticmethod
    def _card_spot(painter: QPainter, frame: QRectF, crop: QRectF) -> None:
        """The centre square the grey card is read from (coaching.measure.grey_card.SPOT),
        as a camera's custom white balance shows its spot circle."""
        side = SPOT * frame.height()
        square = QRectF(frame.center().x() - side / 2, frame.center().y() - side / 2, side, side)
        painter.setPen(QPen(QColor(255, 255, 255, 230), line_width(crop), Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(square)

    @staticmethod
    def _meter_font(painter: QPainter, crop: QRectF) -> tuple[QFontMetrics, float]:
        """The meters' bold type (readable from the camera) on ``painter``, its metrics and
        the margin from the crop's edge."""
        font = QFont(painter.font())
        font.setPixelSize(max(15, round(text_pixels(crop) * 0.75)))
        font.setBold(True)
        painter.setFont(font)
        return painter.fontMetrics(), max(8.0, crop.width() / 80)

    @staticmethod
    def _meter_top(crop: QRectF) -> float:
        margin = max(8.0, crop.width() / 80)
        return crop.top() + max(margin, 26 + 0.04 * crop.height())

    @staticmethod
    def _meter(painter: QPainter, crop: QRectF, text: str) -> float:
        """The face meter, top left under the shot counter, readable from the camera.
        Returns the height it took (0 when nothing was drawn)."""
        if not text:
            return 0.0
        metrics, margin = CoachOverlay._meter_font(painter, crop)
        box = QRectF(crop.left() + margin, CoachOverlay._meter_top(crop),
                     metrics.horizontalAdvance(text) + 16, metrics.height() + 6)
        painter.fillRect(box, QColor(0, 0, 0, 160))
        painter.setPen(SEVERITY_COLOURS[LIGHT])
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        return box.height() + 6

    def _house_meter(self, painter: QPainter, crop: QRectF, state: CoachState,
                     house: HouseLook, below: float) -> None:
        """'House  eyes ↓4 % · size −8 % · bg −0.3 EV': green within the house tolerance,
        where it is off the colour of whoever acts on it (camera blue, lights teal, the
        sitter amber)."""
        items = house_meter(state.measurements, house)
        metrics, margin = CoachOverlay._meter_font(painter, crop)
        parts = [("House", NO_JUDGEMENT)] + [
            (item.text, SEVERITY_COLOURS.get(item.kind, NO_JUDGEMENT) if item.off else GOOD)
            for item in items]
        gap = metrics.horizontalAdvance("  ")
        available = crop.width() - 2 * margin - 16
        # Items on as many lines as the crop needs: a narrow 4:5 crop keeps roll, ratio and
        # backdrop (they were dropped off the end of one line).
        rows: list[list[tuple[str, QColor]]] = [[]]
        used = 0.0
        for text, colour in parts:
            advance = metrics.horizontalAdvance(text)
            if rows[-1] and used + gap + advance > available:
                rows.append([])
                used = 0.0
            used += (gap if rows[-1] else 0.0) + advance
            rows[-1].append((text, colour))
        line_h = metrics.height() + 2
        width = max(sum(metrics.horizontalAdvance(t) for t, _c in row) + gap * (len(row) - 1)
                    for row in rows) + 16
        box = QRectF(crop.left() + margin, self._meter_top(crop) + below,
                     min(width, crop.width() - 2 * margin), line_h * len(rows) + 4)
        painter.fillRect(box, QColor(0, 0, 0, 170))
        for number, row in enumerate(rows):
            x, top = box.left() + 8, box.top() + 2 + number * line_h
            for text, colour in row:
                painter.setPen(colour)
                painter.drawText(QRectF(x, top, box.right() - x, line_h),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                                 text)
                x += metrics.horizontalAdvance(text) + gap

    def _status(self, painter: QPainter, crop: QRectF) -> None:
        if not self.status:
            return
        font = QFont(painter.font())
        font.setPixelSize(max(14, round(text_pixels(crop) * 0.65)))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        box = QRectF(crop.right() - metrics.horizontalAdvance(self.status) - 22,
                     crop.top() + 8, metrics.horizontalAdvance(self.status) + 14,
                     metrics.height() + 6)
        painter.fillRect(box, QColor(0, 0, 0, 140))
        painter.setPen(NO_JUDGEMENT)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.status)

    @staticmethod
    def _label(painter: QPainter, crop: QRectF, lines: list[tuple[str, QColor]]) -> None:
        """The cues, stacked up from the crop's bottom-left corner, each inside the crop."""
        if not lines:
            return
        font = QFont(painter.font())
        font.setBold(True)
        margin = max(8.0, crop.width() / 80)
        available = int(crop.width() - 2 * margin - 16)
        y = crop.bottom() - margin
        for text, colour in reversed(lines):
            pixels, flags, width, height = plate_layout(text, available, text_pixels(crop),
                                                        font.family())
            font.setPixelSize(pixels)
            painter.setFont(font)
            box = QRectF(crop.left() + margin, y - height - 6, width + 16, height + 6)
            painter.fillRect(box, QColor(0, 0, 0, 160))
            painter.setPen(colour)
            painter.drawText(box.adjusted(8, 3, -8, -3), flags, text)
            y = box.top() - 4
