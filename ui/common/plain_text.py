"""Text from outside shown as text: a person's name, a card's payload, a file or folder name,
a camera's model, a client's note may hold ``<h1>`` or ``<!--``; Qt would render it as rich
text in a label, a message box or a tooltip (its "auto" format). These always show the
characters as typed. GUI thread only."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A QLabel that never interprets its text as HTML."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def plain_tip(text: str) -> str:
    """A tooltip that shows ``text`` exactly (tooltips guess rich text on their own)."""
    return f"<qt>{html.escape(text)}</qt>" if text else ""


def warn(parent: QWidget, title: str, text: str) -> QMessageBox:
    """A warning over ``parent`` whose text is shown as typed. It is window-modal and opened
    without a nested event loop: live view, captures and the client screen go on behind it,
    and it goes away with its OK button (or with its window)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                      parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box
