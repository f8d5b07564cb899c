"""Photo tiles of the filmstrip and the review grid: the picture exactly as decoded (selection
is a border outside it, never a tint), culling marks you can see from the chair, and the
coaching badges (eyes closed, blink, soft eyes, looking away, ...). GUI thread only."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from session.culling.xmp_sidecar import CullMarks
from session.model.flags import CLIENT_FAVOURITE, Flag

# What each flag says on a tile: every capture flag has one (tests check), and the clients'
# heart has its own.
BADGES: dict[Flag | str, tuple[str, QColor]] = {
    Flag.EYES_CLOSED: ("Closed", QColor(200, 50, 45)),
    Flag.HALF_BLINK: ("Blink", QColor(215, 140, 20)),
    Flag.EYES_SOFT: ("Soft", QColor(215, 140, 20)),
    Flag.NOT_LOOKING: ("Away", QColor(50, 120, 200)),
    Flag.NO_FACE: ("No face", QColor(110, 110, 110)),
    Flag.MULTIPLE_FACES: ("Group", QColor(110, 110, 110)),
    Flag.UNREADABLE: ("Unreadable", QColor(200, 50, 45)),
    Flag.FACE_CLIPPED: ("Clipped", QColor(200, 50, 45)),
    Flag.NO_CATCHLIGHT: ("No catchlight", QColor(40, 140, 135)),
    Flag.CARD_FRAME: ("Card", QColor(110, 110, 110)),
    CLIENT_FAVOURITE: ("♥ client", QColor(205, 55, 110)),
}
FLAGS_ROLE = Qt.ItemDataRole.UserRole + 1
MARKS_ROLE = Qt.ItemDataRole.UserRole + 2
LABEL_COLOURS = {"Red": QColor(200, 50, 45), "Yellow": QColor(220, 190, 40),
                 "Green": QColor(60, 160, 70), "Blue": QColor(50, 110, 210),
                 "Purple": QColor(140, 70, 180)}


def badge_labels(flags: Sequence[Flag | str]) -> list[tuple[str, QColor]]:
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


PICK_GREEN = QColor(60, 170, 80)
REJECT_RED = QColor(220, 50, 45)
STAR_AMBER = QColor(250, 205, 70)
SELECTED = QColor(255, 255, 255)
CAPTION = 20


def picture_rect(cell: QRect, image: QSize) -> QRect:
    """Where a tile's picture sits in its cell: fitted above the caption, with room around it
    for the selection border (drawn outside the picture, never over it)."""
    area = cell.adjusted(7, 7, -7, -(CAPTION + 6))
    if image.isEmpty() or area.isEmpty():
        return area
    scale = min(area.width() / image.width(), area.height() / image.height())
    w, h = round(image.width() * scale), round(image.height() * scale)
    return QRect(area.left() + (area.width() - w) // 2, area.top() + (area.height() - h) // 2,
                 w, h)


class TileDelegate(QStyledItemDelegate):
    """Draws a whole tile itself: the picture untouched (no selection tint, no icon mode),
    selection as a white border outside it, focus and hover as outlines of the cell,
    rejects dimmed with a red mark, picks with a green flag, stars and the colour label
    under the picture, coaching badges at its top left."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        state = option.state
        cell = option.rect
        marks = index.data(MARKS_ROLE)
        marks = marks if isinstance(marks, CullMarks) else CullMarks()
        painter.save()
        hovered = bool(state & QStyle.StateFlag.State_MouseOver)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.fillRect(cell, QColor(46, 46, 46) if selected else
                         QColor(36, 36, 36) if hovered else QColor(27, 27, 27))
        pixmap = self._pixmap(index.data(Qt.ItemDataRole.DecorationRole))
        picture = self.picture_of(option, index)
        if not pixmap.isNull():
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if marks.pick == -1:
                painter.setOpacity(0.35)              # a reject is dimmed, visibly
            painter.drawPixmap(picture, pixmap)
            painter.setOpacity(1.0)
        if selected:
            painter.setPen(QPen(SELECTED, 3))
            painter.drawRect(QRectF(picture).adjusted(-3.5, -3.5, 3.5, 3.5))
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(QColor(200, 200, 200), 1, Qt.PenStyle.DotLine))
            painter.drawRect(QRectF(cell).adjusted(0.5, 0.5, -1.5, -1.5))
        self._paint_pick(painter, picture, marks)
        self._paint_caption(painter, option, cell, picture, index, marks)
        self._paint_badges(painter, option, picture, index.data(FLAGS_ROLE) or [])
        painter.restore()

    def picture_of(self, option: QStyleOptionViewItem,
                   index: QModelIndex | QPersistentModelIndex) -> QRect:
        """Where this tile's picture is drawn."""
        pixmap = self._pixmap(index.data(Qt.ItemDataRole.DecorationRole))
        return picture_rect(option.rect, pixmap.size() / pixmap.devicePixelRatio()
                            if not pixmap.isNull() else QSize())

    @staticmethod
    def _pixmap(decoration: object) -> QPixmap:
        if isinstance(decoration, QIcon):
            sizes = decoration.availableSizes()
            if sizes:
                return decoration.pixmap(sizes[-1], QIcon.Mode.Normal, QIcon.State.Off)
            return QPixmap()
        if isinstance(decoration, QPixmap):
            return decoration
        if isinstance(decoration, QImage):
            return QPixmap.fromImage(decoration)
        return QPixmap()

    @staticmethod
    def _paint_pick(painter: QPainter, picture: QRect, marks: CullMarks) -> None:
        """A reject's red cross or a pick's green flag, large in the picture's top right."""
        if marks.pick == 0:
            return
        side = max(18, min(28, picture.height() // 4))
        box = QRectF(picture.right() - side - 3, picture.top() + 3, side, side)
        painter.fillRect(box, REJECT_RED if marks.pick == -1 else PICK_GREEN)
        font = QFont(painter.font())
        font.setPixelSize(round(side * 0.75))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "✕" if marks.pick == -1 else "⚑")

    @staticmethod
    def _paint_caption(painter: QPainter, option: QStyleOptionViewItem, cell: QRect,
                       picture: QRect, index: QModelIndex | QPersistentModelIndex,
                       marks: CullMarks) -> None:
        """Under the picture: its colour label as a bar, the number, and stars (or
        'Rejected' in red)."""
        if marks.label in LABEL_COLOURS:
            painter.fillRect(QRectF(picture.left(), picture.bottom() + 5, picture.width(), 4),
                             LABEL_COLOURS[marks.label])
        line = QRectF(cell.left() + 6, cell.bottom() - CAPTION - 1, cell.width() - 12, CAPTION)
        painter.setFont(option.font)
        text = "Rejected" if marks.pick == -1 else "★" * max(0, marks.rating)
        room = line.width() - painter.fontMetrics().horizontalAdvance(text) - 6
        name = painter.fontMetrics().elidedText(str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
                                                Qt.TextElideMode.ElideMiddle, int(room))
        painter.setPen(QColor(205, 205, 205))
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.setPen(REJECT_RED if marks.pick == -1 else STAR_AMBER)
        painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    @staticmethod
    def _paint_badges(painter: QPainter, option: QStyleOptionViewItem, picture: QRect,
                      flags: list[str]) -> None:
        labels = badge_labels(flags)
        if not labels:
            return
        font = QFont(option.font)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        font.setBold(True)
        painter.setFont(font)
        x, y = picture.left() + 3, float(picture.top() + 3)
        for text, colour in labels:                       # stacked down the tile
            y += draw_badge(painter, x, y, text, colour, 8, 2).height() + 2
