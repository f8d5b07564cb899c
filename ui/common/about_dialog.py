"""Help → About: version, what ships under which licence, and the MediaPipe model notice.
GUI thread; reads two small text files."""

from __future__ import annotations

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from resources.locate import resource_path
from resources.version import VERSION


def licence_text() -> str:
    parts = []
    for name in ("LICENSES.md", "models/NOTICE.md", "demo/NOTICE.md"):
        try:
            parts.append(resource_path(name).read_text())
        except OSError:
            parts.append(f"({name} is missing from this installation)")
    return "\n\n".join(parts)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Catchlight")
        icon = QLabel()
        icon.setPixmap(QPixmap(str(resource_path("icons/catchlight.png"))).scaledToHeight(64))
        title = QLabel(f"<h2>Catchlight {VERSION}</h2>Tethered studio portrait and headshot "
                       "shooting with a posing coach.")
        self.licences = QTextBrowser()
        self.licences.setMarkdown(licence_text())
        self.licences.setMinimumSize(560, 360)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (icon, title, self.licences, buttons):
            layout.addWidget(widget)
