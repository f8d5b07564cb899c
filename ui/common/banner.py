"""A non-modal banner above the viewers for errors, reconnects and hints, with an optional
action button. Info messages fade after a few seconds. A *standing* error (shots not being
saved, the camera lost, the disk refusing) stays, red, until the condition that raised it is
cleared: no other message replaces it meanwhile; the newest other message shows on a second
line beneath it. GUI thread only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ui.common.plain_text import plain_label

# How a message is said: a fading blue note, a green done, an amber warning, a red error.
Severity = Literal["info", "ok", "warning", "error"]
COLOURS: dict[str, str] = {"info": "#1f4e79", "warning": "#7a5a00", "error": "#8b1e1e",
                           "ok": "#1e6b34"}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = plain_label("", self)
        self.label.setWordWrap(True)
        self.note = plain_label("", self)    # a message that arrived under a standing error
        self.note.setWordWrap(True)
        self.note.setObjectName("bannerNote")
        self.note.hide()
        self.action = QPushButton(self)
        self.close_button = QPushButton("Dismiss", self)
        for button in (self.action, self.close_button):
            button.setFocusPolicy(button.focusPolicy().NoFocus)
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.addWidget(self.label)
        texts.addWidget(self.note)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addLayout(texts, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self._dismiss)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._expire)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.severity = ""
        self.standing: dict[str, tuple[str, str, Callable[[], None] | None]] = {}
        self.hide()

    # --- messages that come and go ----------------------------------------------------------
    def show_message(self, text: str, severity: Severity = "info", action: str = "",
                     callback: Callable[[], None] | None = None,
                     timeout_s: float | None = None) -> None:
        if timeout_s is None:
            timeout_s = 6.0 if severity in ("info", "ok") else 0
        if self.standing:
            self.note.setText(text)
            self.note.show()
            if timeout_s:
                self._timer.start(int(timeout_s * 1000))
            return
        self._paint(text, severity, action, callback, dismissable=True)
        if timeout_s:
            self._timer.start(int(timeout_s * 1000))
        else:
            self._timer.stop()

    # --- errors that stand until their cause is gone -------------------------------------------
    def set_standing(self, key: str, text: str, action: str = "",
                     callback: Callable[[], None] | None = None) -> None:
        """Show ``text`` as a red error that stays until ``clear_standing(key)``."""
        self.standing.pop(key, None)
        self.standing[key] = (text, action, callback)
        self._show_standing()

    def clear_standing(self, key: str) -> None:
        if self.standing.pop(key, None) is None:
            return
        if self.standing:
            self._show_standing()
        else:
            self.note.hide()
            self.hide()

    def _show_standing(self) -> None:
        text, action, callback = next(reversed(self.standing.values()))
        others = len(self.standing) - 1
        if others:
            text += f"  (+{others} more)"
        self._timer.stop()
        self.note.hide()
        self._paint(text, "error", action, callback, dismissable=False)

    # --- drawing ----------------------------------------------------------------------------
    def _paint(self, text: str, severity: Severity | Literal[""], action: str,
               callback: Callable[[], None] | None, dismissable: bool) -> None:
        self.severity = severity
        self.label.setText(text)
        self.setStyleSheet(f"#banner {{ background: {COLOURS.get(severity, '#333')}; }} "
                           "QLabel { color: white; } #bannerNote { color: #f0d8d8; }")
        self._callback = callback
        self.action.setText(action)
        self.action.setVisible(bool(action and callback))
        self.close_button.setVisible(dismissable)
        self.show()

    def _expire(self) -> None:
        if self.standing:
            self.note.hide()
        else:
            self.hide()

    def _dismiss(self) -> None:
        if not self.standing:
            self.hide()

    def _act(self) -> None:
        callback = self._callback
        if not self.standing:
            self.hide()
        if callback:
            callback()
