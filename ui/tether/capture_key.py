"""The capture key always captures: Space pressed anywhere in the tether window (the roster's
search field, a spin box, a focused button or list included) fires the Capture action exactly
once and reaches no widget, so it is never typed into a text field or used to click a
button. A held key does not fire a burst. The tether's own tool windows that stay open while
shooting (the share dialog) say so with the ``SPACE_CAPTURES`` property and capture too; modal
dialogs and open menus are their own windows and keep Space. GUI thread only: an event filter
on the focused widget (key events go there first) and on the tether window (when nothing has
focus), moved as focus moves; never on the whole application, where every event of every
widget would call into Python (measured: it lengthened live view's paints under load)."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

SPACE_CAPTURES = "spaceCaptures"        # a window property: Space in it is the capture key


class CaptureKey(QObject):
    def __init__(self, window: QWidget, action: QAction) -> None:
        super().__init__(window)
        self.window = window
        self.action = action
        self.presses = 0                 # Space presses that fired a capture (tests, status)
        self._watched: QWidget | None = None
        window.installEventFilter(self)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)
            self._focus_moved(None, app.focusWidget())

    def _focus_moved(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Watch the widget that now has focus, if Space captures in its window."""
        if self._watched is not None:
            with contextlib.suppress(RuntimeError):    # deleted meanwhile (a closed dialog)
                self._watched.removeEventFilter(self)
            self._watched = None
        if new is None or new is self.window:
            return
        window = new.window()
        if window is self.window or bool(window.property(SPACE_CAPTURES)):
            new.installEventFilter(self)
            self._watched = new

    def _is_capture_key(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or event.key() != Qt.Key.Key_Space:
            return False
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if not isinstance(watched, QWidget):
            return False
        window = watched.window()
        return window is self.window or bool(window.property(SPACE_CAPTURES))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if not self._is_capture_key(watched, event):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()               # no widget and no other shortcut takes this key
            return True
        assert isinstance(event, QKeyEvent)
        if not event.isAutoRepeat():
            self.presses += 1
            self.action.trigger()
        return True
