"""The session filmstrip: one tile per shot (a RAW+JPEG pair is one tile), newest last,
thumbnails from embedded previews loaded in the background. GUI thread only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from media.file_kinds import display_first
from session.catalog import ShotRecord
from session.filenames import shown
from ui.filmstrip_badges import FLAGS_ROLE, MARKS_ROLE, BadgeDelegate
from ui.image_loader import ImageLoader

THUMB_SIZE = QSize(150, 100)

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class FilmstripEntry:
    seq: int
    path: Path            # the file shown (JPEG of a pair)
    names: tuple[str, ...]


def entry_for(record: ShotRecord, folder: Path) -> FilmstripEntry:
    names = tuple(f.name for f in record.files)
    return FilmstripEntry(record.seq, folder / display_first(names)[0], names)


class FilmstripModel(QAbstractListModel):
    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.loader = loader
        self.entries: list[FilmstripEntry] = []
        self._thumbs: dict[str, QIcon] = {}
        placeholder = QPixmap(THUMB_SIZE)
        placeholder.fill(QColor(40, 40, 40))
        self._placeholder = QIcon(placeholder)
        self._requested: set[str] = set()
        self.badges: dict[str, list[str]] = {}  # file name -> coaching flags
        self.marks: dict[str, object] = {}      # file name -> CullMarks
        loader.thumbnail_loaded.connect(self._thumbnail_loaded)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{entry.seq}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(map(shown, entry.names))
        if role == Qt.ItemDataRole.DecorationRole:
            key = str(entry.path)
            if key not in self._thumbs and key not in self._requested:
                self._requested.add(key)
                self.loader.thumbnail(entry.path)
            return self._thumbs.get(key, self._placeholder)
        if role == Qt.ItemDataRole.UserRole:
            return entry.path          # the Path itself: Qt text would drop undecodable bytes
        if role == FLAGS_ROLE:
            return self.badges.get(entry.path.name, [])
        if role == MARKS_ROLE:
            return self.marks.get(entry.path.name)
        return None

    def set_marks(self, name: str, marks: object) -> None:
        """Culling marks (stars, pick, label) for the tile showing file ``name``."""
        self.marks[name] = marks
        self._changed(lambda entry: entry.path.name == name, MARKS_ROLE)

    def set_flags(self, name: str, flags: list[str]) -> None:
        """Coaching flags for the tile showing file ``name`` (GUI thread)."""
        self.badges[name] = list(flags)
        self._changed(lambda entry: entry.path.name == name, FLAGS_ROLE)

    def set_entries(self, entries: list[FilmstripEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.badges.clear()
        self.marks.clear()
        self._thumbs.clear()
        self._requested.clear()
        self.endResetModel()

    def append(self, entry: FilmstripEntry) -> QModelIndex:
        row = len(self.entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self.entries.append(entry)
        self.endInsertRows()
        return self.index(row)

    def _thumbnail_loaded(self, path: str, image: QImage) -> None:
        self._thumbs[path] = (QIcon(QPixmap.fromImage(image)) if not image.isNull()
                              else self._placeholder)
        self._changed(lambda entry: str(entry.path) == path, Qt.ItemDataRole.DecorationRole)

    def _changed(self, matches, role: int) -> None:  # type: ignore[no-untyped-def]
        """Repaint ``role`` of every tile whose entry ``matches``."""
        for row, entry in enumerate(self.entries):
            if matches(entry):
                index = self.index(row)
                self.dataChanged.emit(index, index, [role])


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
        self.setItemDelegate(BadgeDelegate(self))
        self.selectionModel().currentChanged.connect(self._current_changed)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.picked.emit(Path(current.data(Qt.ItemDataRole.UserRole)))

    def selected_paths(self, limit: int = 4) -> list[Path]:
        rows = sorted(i.row() for i in self.selectionModel().selectedIndexes())
        model = self.model()
        return [Path(model.index(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows][:limit]

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
