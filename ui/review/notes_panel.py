"""The review window's Notes panel (View → Notes, Ctrl+Shift+N): every note on the session's
shots in one list: what clients wrote on their phones and the retouch notes (the
photographer's and the clients' pins), with the shot and the person; activating a row shows
that shot (in the loupe when it is open). It reads the one session model and follows its
changes; notes are shown as typed, never as rich text. GUI thread.
"""

from __future__ import annotations

import textwrap

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QDockWidget, QHeaderView, QTreeWidget, QTreeWidgetItem

from session.model.live_session import Shot
from ui.common.actions import add_action, menu_named
from ui.common.session_bridge import SessionBridge, drop_bridge
from ui.review.review_controller import ReviewController

HEADERS = ("Shot", "Person", "Who", "Note")
REFRESH_MS = 150
NOTE_WIDTH = 44                 # characters a line of a note in the panel


def note_rows(shots: tuple[Shot, ...], names: dict[str, str]) -> list[tuple[str, ...]]:
    """(shot key, shot, person, who, note) for every note, in capture order."""
    rows: list[tuple[str, ...]] = []
    for shot in shots:
        person = names.get(shot.person, "")
        rows += [(shot.key, shot.display_name, person, "client", comment)
                 for comment in shot.client.comments]
        rows += [(shot.key, shot.display_name, person,
                  f"retouch {note.number}" + (" (client)" if note.author == "client" else ""),
                  note.text) for note in shot.notes]
    return rows


class NotesPanel(QObject):
    def __init__(self, controller: ReviewController) -> None:
        super().__init__(controller)
        self.controller = controller
        window = controller.window
        self._bridge: SessionBridge | None = None
        self.table = QTreeWidget()
        self.table.setObjectName("notesTable")
        self.table.setHeaderLabels(list(HEADERS))
        self.table.setRootIsDecorated(False)
        self.table.setMinimumWidth(480)
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.header().setStretchLastSection(True)
        self.table.itemActivated.connect(self._go_to)
        self.dock = QDockWidget("Notes", window)
        self.dock.setObjectName("notesDock")
        self.dock.setWidget(self.table)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        add_action(window, menu_named(window, "&View"), "&Notes (clients' and retouch)",
                   self.toggle, "Ctrl+Shift+N")
        controller.opened.connect(lambda *_: self.follow())

    def follow(self) -> None:
        drop_bridge(self._bridge)
        self._bridge = None
        session = self.controller.session
        if session is None or session.folder is None:
            return
        self._bridge = SessionBridge(session, self)
        self._bridge.shot_changed.connect(lambda *_: self._timer.start())
        self._bridge.shot_added.connect(lambda *_: self._timer.start())
        self._bridge.people_changed.connect(lambda *_: self._timer.start())
        self.refresh()

    def toggle(self) -> None:
        self.dock.setVisible(not self.dock.isVisible())
        if self.dock.isVisible():
            self.refresh()

    def refresh(self) -> None:
        session = self.controller.session
        if session is None:
            self.table.clear()
            return
        names = {p.id: p.name for p in session.people}
        rows = note_rows(session.shots, names)
        self.table.clear()
        for key, *cells in rows:
            cells[-1] = "\n".join(textwrap.wrap(cells[-1], NOTE_WIDTH)) or cells[-1]
            item = QTreeWidgetItem(cells)             # a long note wraps, never cut
            item.setData(0, Qt.ItemDataRole.UserRole, key)
            self.table.addTopLevelItem(item)
        self.dock.setWindowTitle(f"Notes ({len(rows)})" if rows else "Notes")
        for column in range(len(HEADERS) - 1):
            self.table.resizeColumnToContents(column)

    def _go_to(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        key = item.data(0, Qt.ItemDataRole.UserRole)
        row = self.controller.model.rows.get(key)
        if row is not None:
            self.controller.window.grid.go_to(row)
