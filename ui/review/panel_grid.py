"""The loupe (one panel) and compare mode (2-up side by side, 4-up in a square): panels that
zoom and pan together. Zoom to 100 % centres each panel on its own subject's eyes; a drag or
a wheel turn in one panel moves all of them by the same amount. GUI thread only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from ui.common.zoom_view import ViewState, ZoomView

LAYOUTS = {1: (1, 1), 2: (1, 2), 4: (2, 2)}


class PanelGrid(QWidget):
    full_resolution_needed = Signal(int)    # panel index
    panel_activated = Signal(int)
    spot_chosen = Signal(int, float, float)   # panel index, 0..1 of its picture

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("panelGrid")
        self.views: list[ZoomView] = []
        self.state = ViewState()
        self._layout = QGridLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self.set_count(1)

    def set_count(self, count: int) -> None:
        """Show 1, 2 or 4 panels (their pictures are set by the caller)."""
        rows, columns = LAYOUTS[count]
        while len(self.views) > count:
            view = self.views.pop()
            self._layout.removeWidget(view)
            view.deleteLater()
        while len(self.views) < count:
            view = ZoomView(self)
            index = len(self.views)
            view.view_changed.connect(self._user_changed)
            view.activated.connect(lambda i=index: self.panel_activated.emit(i))
            view.spot_chosen.connect(lambda x, y, i=index: self.spot_chosen.emit(i, x, y))
            self.views.append(view)
        for index, view in enumerate(self.views):
            self._layout.addWidget(view, index // columns, index % columns)
            view.set_state(self.state)

    def set_current(self, index: int) -> None:
        for i, view in enumerate(self.views):
            view.current = i == index and len(self.views) > 1
            view.update()

    def apply(self, state: ViewState) -> None:
        self.state = state
        for index, view in enumerate(self.views):
            view.set_state(state)
            if view.needs_full_resolution():
                self.full_resolution_needed.emit(index)

    def toggle_eyes_zoom(self) -> None:
        """100 % on the eyes, or back to fit."""
        self.apply(ViewState(1.0) if self.state.zoom is None else ViewState())

    def _user_changed(self, state: ViewState) -> None:
        self.apply(state)
