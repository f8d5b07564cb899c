"""Help → Keyboard shortcuts: every key of the tether and review windows side by side, the
few that do different things in the two windows marked so. The table is checked against both
windows' real menus by tests/test_shortcut_sheet.py. GUI thread."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# (key, in the tether window, in the review window); '' where the key does nothing there.
SHEET: tuple[tuple[str, str, str], ...] = (
    ("Space", "Capture", ""),
    ("L", "Live view on/off", ""),
    ("V", "Last capture / back to live view", ""),
    ("O", "Coaching overlay on/off", ""),
    ("Shift+N", "Set neutral for this client (2 s)", ""),
    ("Shift+G", "Read the grey card in the centre of the frame", ""),
    ("Shift+H", "Use the selected shot as the hero frame", ""),
    ("Ctrl+Return", "Approve the selected shot for its person (sign-off)", ""),
    ("G", "Rule-of-thirds lines over live view", "Grid of thumbnails"),
    ("A", "Cycle the aspect mask (4:5, 2:3, 1:1, off)", ""),
    ("F", "Focus peaking over live view", ""),
    ("H", "Histogram over live view", ""),
    ("M", "Face meter (exposure, ratio, catchlights)", ""),
    ("E", "", "Loupe (one shot large)"),
    ("C", "", "Compare 2-up"),
    ("N", "", "Compare 4-up"),
    ("Z", "Zebra on clipped highlights", "100 % on the eyes / fit"),
    ("B", "Blank the client display (again: show it)",
     "Accept the suggested best frame of the burst"),
    ("Left", "", "Previous shot"),
    ("Right", "", "Next shot"),
    ("1 … 5", "Stars", "Stars"),
    ("0", "Clear stars", "Clear stars"),
    ("6 … 9", "Red, yellow, green, blue label", "Red, yellow, green, blue label"),
    ("P", "Pick", "Pick"),
    ("X", "Reject", "Reject"),
    ("U", "Unflag", "Unflag"),
    ("Ctrl+Z", "Undo the last mark", "Undo the last mark"),
    ("Shift+R", "", "Take off the shot's last retouch note (double-click pins one)"),
    ("F5", "Client display on/off", ""),
    ("F6", "Client: latest capture", ""),
    ("F7", "Client: clean live view", ""),
    ("F8", "Client: selection from the filmstrip", ""),
    ("F9", "Client: hold card", ""),
    ("]", "Roster: next person", ""),
    ("[", "Roster: previous person", ""),
    ("Ctrl+]", "Roster: give the selected shots to the current person", ""),
    ("Ctrl+Shift+H", "Use the selected shot as the house look", ""),
    ("Ctrl+Shift+S", "Share to phones (proofing)", ""),
    ("Ctrl+N", "New session", ""),
    ("Ctrl+O", "Open a session folder", ""),
    ("Ctrl+Shift+O", "Browse sessions", "Browse sessions"),
    ("Ctrl+R", "Review this session", ""),
    ("Ctrl+D", "Use the demo camera", ""),
    ("Ctrl+Q", "Quit", ""),
    ("Ctrl+E", "", "Export"),
    ("Ctrl+P", "", "Contact sheet (PDF)"),
    ("Ctrl+Shift+L", "", "Clear filters"),
    ("Ctrl+W", "", "Close the review"),
    ("Ctrl+Shift+R", "", "Consistency report (headshot day)"),
    ("Ctrl+Shift+N", "", "Notes: clients' and retouch"),
    ("Ctrl+Shift+E", "", "Deliver headshots (face-anchored)"),
)
DIFFERS = QColor(255, 236, 179)


def keys_of(sheet_key: str) -> list[str]:
    """'1 … 5' → ['1', ..., '5']; other keys as written."""
    if " … " in sheet_key:
        first, last = sheet_key.split(" … ")
        return [str(n) for n in range(int(first), int(last) + 1)]
    return [sheet_key]


def differs(tether: str, review: str) -> bool:
    return bool(tether and review and tether != review)


class ShortcutSheet(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(760, 720)
        self.table = QTableWidget(len(SHEET), 3, self)
        self.table.setHorizontalHeaderLabels(["Key", "Tether window", "Review window"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (key, tether, review) in enumerate(SHEET):
            for column, text in enumerate((key, tether or "—", review or "—")):
                item = QTableWidgetItem(text)
                if differs(tether, review):
                    item.setBackground(DIFFERS)
                    item.setForeground(QColor("black"))
                    item.setToolTip("This key does something different in each window.")
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        note = QLabel("Culling keys work the same in both windows. Rows marked in yellow do "
                      "different things in each window.", self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
