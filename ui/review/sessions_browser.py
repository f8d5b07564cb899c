"""The sessions browser: past sessions as cover tiles with name, date and count; Enter or a
double-click opens one for review. Listing and covers load in the background.
GUI thread only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from media.decode.thumbnails import decode_thumbnail, make_thumbnail
from session.store.session import sessions_root
from session.store.session_index import SessionSummary, list_sessions
from ui.common.background import run_in_background
from ui.common.plain_text import plain_label
from ui.pictures.image_loader import to_qimage


def _with_covers(root: Path) -> list[tuple[SessionSummary, object]]:
    """Runs on a background thread: the sessions and a small RGB cover for each."""
    result: list[tuple[SessionSummary, object]] = []
    for summary in list_sessions(root):
        rgb = decode_thumbnail(make_thumbnail(summary.cover)) if summary.cover else None
        result.append((summary, rgb))
    return result


class SessionsBrowser(QDialog):
    session_chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None, root: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sessions")
        self.root = root or sessions_root()
        self.heading = plain_label(f"Sessions in {self.root} (loading…)", self)
        self.list = QListWidget(self)
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(200, 134))
        self.list.setGridSize(QSize(230, 200))
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._open)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(lambda: self._open(self.list.currentItem()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(980, 640)
        run_in_background(lambda: _with_covers(self.root), self._listed,
                          lambda exc: self.heading.setText(f"Sessions cannot be listed: {exc}"))

    def _listed(self, sessions: list) -> None:
        self.heading.setText(f"{len(sessions)} session(s) in {self.root}" if sessions else
                             f"No sessions yet in {self.root}.")
        for summary, rgb in sessions:
            text = (f"{summary.name}\n{summary.day.isoformat()} · {summary.shots} shot(s)"
                    + (f" · {summary.picks} pick(s)" if summary.picks else ""))
            item = QListWidgetItem(text, self.list)
            if rgb is not None:
                item.setIcon(QIcon(QPixmap.fromImage(to_qimage(rgb))))
            item.setData(Qt.ItemDataRole.UserRole, str(summary.folder))
        if self.list.count():
            self.list.setCurrentRow(0)

    def _open(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.session_chosen.emit(Path(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()
