"""Menu actions with window-wide shortcuts, built one way everywhere. GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget


def add_action(owner: QWidget, menu: QMenu, text: str, slot: Callable[..., object],
               shortcut: str | QKeySequence = "", checkable: bool = False,
               checked: bool = False) -> QAction:
    action = QAction(text, owner)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    action.setChecked(checked)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action
