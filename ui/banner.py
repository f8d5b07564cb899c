"""A non-modal banner above the viewers for errors, reconnects and hints, with an optional
action button. Info messages fade after a few seconds; errors stay until dismissed or
replaced. GUI thread only."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

COLOURS = {"info": "#1f4e79", "warning": "#7a5a00", "error": "#8b1e1e", "ok": "#1e6b34"}


class Banner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.action = QPushButton(self)
        self.close_button = QPushButton("Dismiss", self)
        for button in (self.action, self.close_button):
            button.setFocusPolicy(button.focusPolicy().NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.close_button.clicked.connect(self.hide)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self._callback: Callable[[], None] | None = None
        self.action.clicked.connect(self._act)
        self.severity = ""
        self.hide()

    def show_message(self, text: str, severity: str = "info", action: str = "",
                     callback: Callable[[], None] | None = None,
                     timeout_s: float | None = None) -> None:
        self.severity = severity
        self.label.setText(text)
        self.setStyleSheet(f"#banner {{ background: {COLOURS.get(severity, '#333')}; }} "
                           "QLabel { color: white; }")
        self._callback = callback
        self.action.setText(action)
        self.action.setVisible(bool(action and callback))
        if timeout_s is None:
            timeout_s = 6.0 if severity in ("info", "ok") else 0
        if timeout_s:
            self._timer.start(int(timeout_s * 1000))
        else:
            self._timer.stop()
        self.show()

    def _act(self) -> None:
        callback = self._callback
        self.hide()
        if callback:
            callback()
