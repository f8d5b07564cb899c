"""The review grid: every shot of the session as a tile (thumbnail, stars, pick or reject,
colour label, coaching badges, burst stripe and the suggested best frame). Virtualised: Qt
only asks for the tiles on screen, and only those request thumbnails. GUI thread only."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyleOptionViewItem, QWidget

from session.model.live_session import SessionModel, Shot
from ui.common.filmstrip_badges import FLAGS_ROLE, MARKS_ROLE, TileDelegate
from ui.common.shot_tip import shot_tip
from ui.pictures.thumbnail_service import ThumbnailService

GROUP_ROLE = Qt.ItemDataRole.UserRole + 3   # (burst number, is the suggested best)
TILE = QSize(200, 170)
ICON = QSize(184, 124)
PIXMAP_LIMIT = 1500                          # tiles kept as pixmaps (~100 MB at most)
GROUP_COLOURS = (QColor(80, 150, 220), QColor(220, 150, 60))
ModelIndex = QModelIndex | QPersistentModelIndex


class ReviewModel(QAbstractListModel):
    """A view of the live session model: which of its shots are shown (the filter's choice,
    in order); everything about a shot is read from the session model when painted."""

    def __init__(self, thumbs: ThumbnailService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumbs = thumbs
        self.session: SessionModel | None = None
        self.keys: list[str] = []
        self.rows: dict[str, int] = {}
        self.groups: dict[str, tuple[int, bool]] = {}
        self._pixmaps: OrderedDict[str, QIcon] = OrderedDict()
        self._asked: set[str] = set()
        placeholder = QPixmap(ICON)
        placeholder.fill(QColor(40, 40, 40))
        self._placeholder = QIcon(placeholder)
        thumbs.thumbnail_ready.connect(self._thumbnail_ready)

    @property
    def shots(self) -> list[Shot]:
        """The shown shots, as the session model has them now."""
        return [s for s in (self._shot(k) for k in self.keys) if s is not None]

    def _shot(self, key: str) -> Shot | None:
        return self.session.shot(key) if self.session is not None else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.keys)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self.keys):
            return None
        shot = self._shot(self.keys[index.row()])
        if shot is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return shot.display_name
        if role == Qt.ItemDataRole.DecorationRole:
            pixmap = self._pixmaps.get(shot.key)
            if pixmap is None:
                if shot.key not in self._asked:
                    self._asked.add(shot.key)
                    self.thumbs.request(shot)
                return self._placeholder
            self._pixmaps.move_to_end(shot.key)
            return pixmap
        if role == Qt.ItemDataRole.UserRole:
            return shot.path           # the Path itself: Qt text would drop undecodable bytes
        if role == Qt.ItemDataRole.ToolTipRole:
            return shot_tip(shot)          # with the clients' hearts and notes
        if role == FLAGS_ROLE:
            return shot.tags
        if role == MARKS_ROLE:
            return shot.marks
        if role == GROUP_ROLE:
            return self.groups.get(shot.key)
        return None

    def set_keys(self, session: SessionModel, keys: list[str]) -> None:
        """The shots to show (already filtered), in order."""
        self.beginResetModel()
        self.session = session
        self.keys = list(keys)
        self.rows = {k: i for i, k in enumerate(self.keys)}
        self._asked = {key for key in self._asked if key in self._pixmaps}
        self.endResetModel()

    def forget_thumbnails(self) -> None:
        self._pixmaps.clear()
        self._asked.clear()

    def has_thumbnail(self, name: str) -> bool:
        return name in self._pixmaps

    def shot(self, row: int) -> Shot | None:
        return self._shot(self.keys[row]) if 0 <= row < len(self.keys) else None

    def refresh(self, name: str, role: int) -> None:
        row = self.rows.get(name)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [role])

    def refresh_all(self, role: int) -> None:
        if self.keys:
            self.dataChanged.emit(self.index(0), self.index(len(self.keys) - 1), [role])

    def _thumbnail_ready(self, name: str, image: QImage) -> None:
        if image.isNull():
            pixmap = QPixmap(ICON)
            pixmap.fill(QColor(90, 30, 30))
        else:
            pixmap = QPixmap.fromImage(image)
        self._pixmaps[name] = QIcon(pixmap)
        while len(self._pixmaps) > PIXMAP_LIMIT:
            old, _pixmap = self._pixmaps.popitem(last=False)
            self._asked.discard(old)
        self.refresh(name, Qt.ItemDataRole.DecorationRole)


class GridDelegate(TileDelegate):
    """Badges and marks (as in the filmstrip) plus the burst stripe and the best-frame tag."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        super().paint(painter, option, index)
        group = index.data(GROUP_ROLE)
        if group is None:
            return
        number, best = group
        painter.save()
        rect = option.rect
        painter.fillRect(QRectF(rect.left() + 2, rect.top(), rect.width() - 4, 3),
                         GROUP_COLOURS[number % 2])
        if best:
            picture = self.picture_of(option, index)
            box = QRectF(picture.left() + 3, picture.bottom() - 19, 40, 16)
            painter.fillRect(box, QColor(60, 160, 70))
            painter.setPen(QColor("white"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "Best")
        painter.restore()


class ReviewGrid(QListView):
    def __init__(self, model: ReviewModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewGrid")
        self.setStyleSheet("QListView { background: #1b1b1b; color: #ccc; }")
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setIconSize(ICON)
        self.setGridSize(TILE)
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(GridDelegate(self))

    def current_row(self) -> int:
        return self.currentIndex().row()

    def go_to(self, row: int) -> None:
        model = self.model()
        if 0 <= row < model.rowCount():
            index = model.index(row, 0)
            self.setCurrentIndex(index)
            self.scrollTo(index)

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.selectionModel().selectedIndexes())

    def visible_rows(self) -> list[int]:
        """Rows whose tiles are at least partly on screen."""
        area = self.viewport().rect()
        rows: list[int] = []
        first = self.indexAt(area.topLeft() + QPoint(4, 4)).row()
        for row in range(max(first - 8, 0), self.model().rowCount()):
            rect = self.visualRect(self.model().index(row, 0))
            if rect.intersects(area):
                rows.append(row)
            elif rect.top() > area.bottom():
                break
        return rows
