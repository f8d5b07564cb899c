"""The session filmstrip: one tile per shot of the live session model (a RAW+JPEG pair is one
tile), newest last. It is a view of the model, not a copy: rows, marks and badges are read
from it and follow its events. Thumbnails of new captures come from the capture pipeline's
one decode; older shots' from the tile cache on disk (made once from the embedded preview),
loaded in the background.
GUI thread only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from session.model.flags import CLIENT_FAVOURITE
from session.model.live_session import MARKS, SessionModel, Shot
from ui.common.filmstrip_badges import FLAGS_ROLE, MARKS_ROLE, TileDelegate
from ui.common.session_bridge import SessionBridge, rebind
from ui.common.shot_tip import shot_tip
from ui.pictures.image_loader import ImageLoader

THUMB_SIZE = QSize(150, 100)
ModelIndex = QModelIndex | QPersistentModelIndex


class FilmstripModel(QAbstractListModel):
    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self.session: SessionModel | None = None
        self._bridge: SessionBridge | None = None
        self._thumbs: dict[str, QIcon] = {}          # path -> tile
        self._requested: set[str] = set()
        placeholder = QPixmap(THUMB_SIZE)
        placeholder.fill(QColor(40, 40, 40))
        self._placeholder = QIcon(placeholder)
        loader.thumbnail_loaded.connect(self._thumbnail_loaded)

    def show(self, session: SessionModel) -> None:
        """Show ``session`` (the tether's live model) from now on."""
        self.session = session
        self._bridge = rebind(self._bridge, session, self)
        self._bridge.switched.connect(self._reset)
        self._bridge.shot_added.connect(self._added)
        self._bridge.shot_changed.connect(self._changed)
        self._reset()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() or self.session is None else len(self.session)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.session is None or index.row() >= len(self.session):
            return None
        shot = self.session.at(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{shot.seq}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return shot_tip(shot)          # with the clients' hearts and notes
        if role == Qt.ItemDataRole.DecorationRole:
            key = str(shot.path)
            if key not in self._thumbs and key not in self._requested:
                self._requested.add(key)
                self.loader.thumbnail(shot.path, shot.content_key)
            return self._thumbs.get(key, self._placeholder)
        if role == Qt.ItemDataRole.UserRole:
            return shot.path           # the Path itself: Qt text would drop undecodable bytes
        if role == FLAGS_ROLE:
            return shot.tags
        if role == MARKS_ROLE:
            return shot.marks
        return None

    def index_of(self, key: str) -> QModelIndex:
        row = self.session.row_of(key) if self.session else None
        return self.index(row) if row is not None else QModelIndex()

    def has_tile(self, path: Path) -> bool:
        """The tile of ``path`` shows its picture (not the placeholder)."""
        icon = self._thumbs.get(str(path))
        return icon is not None and icon.cacheKey() != self._placeholder.cacheKey()

    def expect_tile(self, path: Path) -> None:
        """A new capture's tile comes from the pipeline: do not decode it again meanwhile."""
        self._requested.add(str(path))

    def put_tile(self, path: Path, image: QImage) -> None:
        """A new capture's tile, from the pipeline's decode (no second decode)."""
        self._requested.add(str(path))
        self._thumbnail_loaded(str(path), image)

    def _reset(self) -> None:
        self.beginResetModel()
        self._thumbs.clear()
        self._requested.clear()
        self.endResetModel()

    def _added(self, _shot: Shot, row: int) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self.endInsertRows()

    def _changed(self, shot: Shot, what: str, _before: Shot) -> None:
        index = self.index_of(shot.key)
        if index.isValid():
            self.dataChanged.emit(index, index, [MARKS_ROLE if what == MARKS else FLAGS_ROLE])

    def _thumbnail_loaded(self, path: str, image: QImage) -> None:
        self._thumbs[path] = (QIcon(QPixmap.fromImage(image)) if not image.isNull()
                              else self._placeholder)
        if self.session is None:
            return
        for row, shot in enumerate(self.session.shots):
            if str(shot.path) == path:
                index = self.index(row)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])


class Filmstrip(QListView):
    picked = Signal(Path)

    def __init__(self, model: FilmstripModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filmstrip")
        self.setStyleSheet("QListView { background: #1b1b1b; color: #ccc; }")
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setUniformItemSizes(True)
        self.setIconSize(THUMB_SIZE)
        self.setGridSize(QSize(164, 128))
        self.setFixedHeight(150)
        self.setMovement(QListView.Movement.Static)
        # Ctrl/Shift-click picks up to four shots to compare with the client.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setItemDelegate(TileDelegate(self))
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.favourites_only = False
        model.rowsInserted.connect(lambda _p, first, last: self._hide_rows(first, last))
        model.dataChanged.connect(lambda a, b, _roles=(): self._hide_rows(a.row(), b.row()))
        model.modelReset.connect(lambda: self._hide_rows(0, model.rowCount() - 1))

    def show_favourites_only(self, on: bool) -> None:
        """Only the shots a client hearted on the proofing page (rows hidden, not removed)."""
        self.favourites_only = on
        self._hide_rows(0, self.model().rowCount() - 1)

    def _hide_rows(self, first: int, last: int) -> None:
        model = self.model()
        for row in range(max(0, first), min(last, model.rowCount() - 1) + 1):
            hide = self.favourites_only and \
                CLIENT_FAVOURITE not in (model.index(row, 0).data(FLAGS_ROLE) or [])
            if self.isRowHidden(row) != hide:      # each change lays the strip out again
                self.setRowHidden(row, hide)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.picked.emit(Path(current.data(Qt.ItemDataRole.UserRole)))

    def selected_paths(self, limit: int = 4) -> list[Path]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        model = self.model()
        return [Path(model.index(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows][:limit]

    def current_path(self) -> Path | None:
        """The shot the photographer is on (the current tile; None when there is none)."""
        index = self.currentIndex()
        if not index.isValid():
            return None
        value = index.data(Qt.ItemDataRole.UserRole)
        return Path(value) if value else None

    def step(self, delta: int) -> None:
        """Show the next (or previous) shot."""
        row = self.currentIndex().row() + delta
        if 0 <= row < self.model().rowCount():
            self.setCurrentIndex(self.model().index(row, 0))

    def show_newest(self, index: QModelIndex) -> None:
        """Scroll to the new tile without re-emitting ``picked`` (it is shown already)."""
        blocker = self.selectionModel().blockSignals(True)
        self.selectionModel().setCurrentIndex(
            index, self.selectionModel().SelectionFlag.ClearAndSelect)
        self.selectionModel().blockSignals(blocker)
        self.scrollTo(index)
