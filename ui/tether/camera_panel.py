"""The camera panel: connection state, model, battery, free space, the photographer's settings
as drop-downs, live-view and capture buttons. It only emits requests; the controller sends
them to the camera worker. GUI thread only. Controls never take keyboard focus, so Space
always reaches the capture shortcut."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from camera.types import CameraInfo, CameraState, CameraSummary, CaptureTarget, Setting
from ui.common.plain_text import plain_label

STATE_COLOURS = {
    CameraState.DISCONNECTED: "#c0392b", CameraState.CONNECTING: "#d68910",
    CameraState.READY: "#27ae60", CameraState.LIVE_VIEW: "#2e86c1",
    CameraState.CAPTURING: "#8e44ad",
}


def human_bytes(count: int | None) -> str:
    if count is None:
        return "unknown"
    value = float(count)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.1f} {unit}" if unit != "B" else f"{int(value)} B"
        value /= 1024
    return f"{value:.1f} TB"


class CameraPanel(QWidget):
    setting_requested = Signal(str, str)
    capture_requested = Signal()
    live_view_toggled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraPanel")
        self.setMinimumWidth(250)
        self.state = QLabel("No camera")           # our own words and a coloured dot
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.model = plain_label("-")
        self.battery = plain_label("-")
        self.free = plain_label("-")
        self.target = plain_label("-")
        self.coach_style = plain_label("-")
        self.neutral = plain_label("-")
        info = QFormLayout()
        for label, widget in (("State", self.state), ("Camera", self.model),
                              ("Battery", self.battery), ("Free space", self.free),
                              ("Shots go to", self.target), ("Coach style", self.coach_style),
                              ("Neutral", self.neutral)):
            widget.setWordWrap(True)
            info.addRow(label, widget)
        self.settings_fold = QToolButton()
        self.settings_fold.setObjectName("settingsFold")
        self.settings_fold.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.settings_fold.setAutoRaise(True)
        self.settings_fold.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.settings_box = QGroupBox("")
        self.settings_fold.clicked.connect(self._toggle_settings)
        self.settings_page = QWidget()
        self.settings_form = QFormLayout(self.settings_page)
        box_layout = QVBoxLayout(self.settings_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.settings_page)
        self.combos: dict[str, QComboBox] = {}
        self.live_button = QPushButton("Live view (L)")
        self.capture_button = QPushButton("Capture (Space)")
        self.capture_button.setMinimumHeight(44)
        for button in (self.live_button, self.capture_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.live_button.clicked.connect(self.live_view_toggled)
        self.capture_button.clicked.connect(self.capture_requested)
        layout = QVBoxLayout(self)
        layout.addLayout(info)
        layout.addWidget(self.settings_fold)
        layout.addWidget(self.settings_box)
        layout.addStretch(1)
        layout.addWidget(self.live_button)
        layout.addWidget(self.capture_button)
        self._connected = False
        self._blocked = ""
        self.settings_folded = False
        self.fold_settings(False)
        self.set_state(CameraState.DISCONNECTED)

    def _toggle_settings(self) -> None:
        self.fold_settings(not self.settings_folded)

    def fold_settings(self, folded: bool) -> None:
        """Fold the camera's settings away (a headshot day gives the room to the roster) or
        open them again; the heading stays, with the arrow that opens them."""
        self.settings_folded = folded
        self.settings_box.setVisible(not folded)
        self.settings_fold.setText("▸ Settings (click to show)" if folded else "▾ Settings")

    def set_state(self, state: CameraState) -> None:
        colour = STATE_COLOURS.get(state, "#777")
        self.state.setText(f"<b style='color:{colour}'>\u25cf</b> {state.value.capitalize()}")
        self._connected = state != CameraState.DISCONNECTED and state != CameraState.CONNECTING
        self.capture_button.setEnabled(self._connected and not self._blocked)
        self.live_button.setEnabled(self._connected)
        self.settings_box.setEnabled(self._connected)

    def set_coach(self, style: str, neutral_set: bool) -> None:
        self.coach_style.setText(style)
        self.neutral.setText("set (Coach ▸ Clear neutral)" if neutral_set
                             else "not set (Shift+N records it)")
        self.neutral.setStyleSheet("color: #27ae60; font-weight: bold" if neutral_set else "")

    def block_capture(self, reason: str) -> None:
        """Shots are not being saved: the capture button is off and says why ('' lifts it)."""
        self._blocked = reason
        self.capture_button.setEnabled(self._connected and not reason)
        self.capture_button.setToolTip(reason)

    def set_camera(self, info: CameraInfo, summary: CameraSummary,
                   settings: tuple[Setting, ...], target: CaptureTarget) -> None:
        self.model.setText(f"{summary.model or info.model}\n{info.port}")
        self.battery.setText(summary.battery or "unknown")
        self.free.setText(human_bytes(summary.free_bytes))
        self.set_target(target)
        # A new page filled while hidden, then swapped in: one show and one layout pass for
        # every row (rows added to the visible form are each shown by a queued call, which
        # held the window for 60 ms as the camera connected at start-up).
        page = QWidget()
        form = QFormLayout(page)
        self.combos.clear()
        for setting in settings:
            combo = QComboBox()
            combo.setObjectName(f"setting_{setting.key}")
            combo.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            combo.addItems(list(setting.choices) or [setting.value])
            combo.setCurrentText(setting.value)
            combo.setEnabled(not setting.readonly and bool(setting.choices))
            combo.textActivated.connect(
                lambda value, key=setting.key: self.setting_requested.emit(key, value))
            self.combos[setting.key] = combo
            form.addRow(setting.label, combo)
        old = self.settings_page
        layout = self.settings_box.layout()
        assert layout is not None
        layout.replaceWidget(old, page)
        old.hide()
        old.deleteLater()
        self.settings_page, self.settings_form = page, form

    def set_target(self, target: CaptureTarget) -> None:
        self.target.setText("memory card (kept on the card)" if target == CaptureTarget.CARD
                            else "camera RAM (deleted after the verified save)")

    def update_setting(self, setting: Setting) -> None:
        combo = self.combos.get(setting.key)
        if combo is not None:
            combo.blockSignals(True)
            combo.setCurrentText(setting.value)
            combo.blockSignals(False)
        if setting.key == "capturetarget":
            card = "card" in setting.value.lower()
            self.set_target(CaptureTarget.CARD if card else CaptureTarget.RAM)
