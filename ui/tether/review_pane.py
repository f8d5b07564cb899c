"""The review pane: the newest capture (its pictures come from the capture pipeline's one
decode: the embedded preview at once, sharpened when the display-scale decode arrives), or
the shot picked in the filmstrip (decoded by the ImageLoader the same way). GUI thread only."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QVBoxLayout, QWidget

from session.culling.xmp_sidecar import CullMarks
from session.model.live_session import SessionModel, Shot
from session.store.filenames import shown
from ui.common.image_view import ImageView
from ui.common.plain_text import plain_label
from ui.common.session_bridge import SessionBridge, rebind
from ui.pictures.image_loader import ImageLoader
from ui.tether.marks_layer import MarksLayer


class ReviewPane(QWidget):
    shown = Signal(object, bool)  # path, final quality

    def __init__(self, loader: ImageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPane")
        self.loader = loader
        self.view = ImageView(self)
        self.view.set_message("Captures appear here.")
        self.marks = MarksLayer()
        self.view.overlays.append(self.marks)
        self.model: SessionModel | None = None
        self._bridge: SessionBridge | None = None
        self.caption = plain_label("", self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("color: #ddd; background: #111; padding: 3px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.caption)
        self.path: Path | None = None
        self.final = False
        self.requested_at = 0.0
        self._request = 0
        loader.image_loaded.connect(self._loaded)
        loader.image_failed.connect(self._failed)

    def follow(self, model: SessionModel) -> None:
        """Read the shown shot's marks from ``model`` and follow their changes."""
        self.model = model
        self._bridge = rebind(self._bridge, model, self)
        self._bridge.shot_changed.connect(self._shot_changed)
        self._bridge.switched.connect(self._show_marks)
        self._show_marks()

    def marks_text(self) -> str:
        return self.marks.text

    def _shot_changed(self, shot: Shot, _what: str, _before: Shot) -> None:
        if self.path is not None and shot.path == self.path:
            self._show_marks()

    def _show_marks(self) -> None:
        shot = self.model.shot(self.path.name) if self.model and self.path else None
        self.marks.marks = shot.marks if shot is not None else CullMarks()
        self.view.update()

    def show_capture(self, path: Path) -> None:
        """Ask for ``path`` (non-blocking); the pane updates as the loader delivers."""
        self.path = Path(path)
        self._show_marks()
        self.final = False
        self.requested_at = time.monotonic()
        self.caption.setText(shown(self.path.name))
        size = self.view.size() * self.devicePixelRatioF()
        self._request = self.loader.show(self.path, (max(size.width(), 640),
                                                     max(size.height(), 480)))

    def expect_capture(self, path: Path) -> None:
        """The new capture ``path`` is to be shown: its pictures come from the pipeline."""
        self.path = Path(path)
        self._show_marks()
        self.final = False
        self.requested_at = time.monotonic()
        self._request = 0
        self.caption.setText(shown(self.path.name))

    def show_picture(self, path: Path, image: QImage, final: bool, warning: str = "") -> None:
        """A picture of the capture this pane expects (others are ignored)."""
        if self.path != Path(path) or self._request or (self.final and not final):
            return
        self._put(str(path), image, final)
        if warning:
            self.caption.setText(f"{shown(self.path.name)}: {warning}")

    def _loaded(self, request: int, path: str, image: QImage, final: bool) -> None:
        if request != self._request or (self.final and not final):
            return
        self._put(path, image, final)

    def _put(self, path: str, image: QImage, final: bool) -> None:
        self.final = final
        self.view.message = ""
        self.view.set_image(image)
        self.shown.emit(path, final)

    def _failed(self, request: int, path: str, message: str) -> None:
        if request == self._request:
            self.caption.setText(f"{shown(Path(path).name)}: {message}")
            if self.view.image.isNull():
                self.view.set_message(message)
