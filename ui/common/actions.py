"""Menu actions with window-wide shortcuts, built one way everywhere. GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget


def add_action(owner: QWidget, menu: QMenu, text: str,
               slot: Callable[..., object] | SignalInstance,
               shortcut: str | QKeySequence | QKeySequence.StandardKey = "",
               checkable: bool = False, checked: bool = False) -> QAction:
    action = QAction(text, owner)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.setCheckable(checkable)
    action.setChecked(checked)
    action.triggered.connect(slot)
    menu.addAction(action)
    return action


def menu_named(window: QMainWindow, title: str) -> QMenu:
    """The window's menu called ``title`` (with its ``&``), for a part that adds to it."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if action.text() == title and isinstance(menu, QMenu):
            return menu
    raise LookupError(f"no menu {title!r}")
