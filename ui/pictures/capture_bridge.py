"""The capture pipeline's records as Qt signals, with the pictures each view needs made on
the pipeline thread (QImages of the one decode, fitted to the review pane, the filmstrip tile
and the client's screen, and the whole decode in the picture cache for the review window's
loupe), so the GUI thread only paints. Analysis results are handed to the
open session model of their folder, from where every window hears them. GUI thread for the
object; its listener methods run on the pipeline thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from coaching.stills.capture_pipeline import CaptureAnalysed, CaptureChecked, CaptureDecoded
from media.decode.previews import fit_within
from session.model.live_session import SessionModels
from ui.pictures.image_loader import to_qimage
from ui.pictures.picture_cache import Picture, PictureCache, upright_size

FILMSTRIP_TILE = (150, 100)


@dataclass(frozen=True)
class CapturePictures:
    """One capture's pixels for every view, from the one decode."""

    folder: Path
    key: str
    path: Path
    pane: QImage                 # fitted to the review pane
    tile: QImage                 # the filmstrip thumbnail
    client: QImage               # fitted to the client's screen (null for the preview)
    preview: bool                # the embedded preview; the full decode follows
    warning: str = ""


class CaptureBridge(QObject):
    """Implements coaching.stills.capture_pipeline.PipelineListener."""

    pictures_ready = Signal(object)     # CapturePictures
    capture_checked = Signal(object)    # CaptureChecked
    capture_analysed = Signal(object)   # CaptureAnalysed
    pipeline_problem = Signal(str)

    def __init__(self, models: SessionModels, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.models = models
        self.pane_size = (1600, 1000)       # set by the GUI thread when they change
        self.client_size = (1920, 1080)
        self.pictures = PictureCache()      # the review's loupe shows new captures from it
        self.capture_analysed.connect(self._to_model)

    # --- pipeline thread ----------------------------------------------------------------------
    def decoded(self, capture: CaptureDecoded) -> None:
        rgb = capture.rgb
        client = QImage() if capture.preview else to_qimage(fit_within(rgb, self.client_size))
        pane = client if self.pane_size == self.client_size and not client.isNull() \
            else to_qimage(fit_within(rgb, self.pane_size))
        tile = to_qimage(fit_within(rgb, FILMSTRIP_TILE))
        if not capture.preview:                 # the whole decode, for the review's loupe
            whole = next((image for image in (client, pane)
                          if (image.width(), image.height()) == (rgb.shape[1], rgb.shape[0])),
                         None) or to_qimage(rgb)
            self.pictures.put(capture.path, "screen", Picture(
                whole, upright_size(capture.source_size, (rgb.shape[1], rgb.shape[0])),
                False, capture.warning))
        self.pictures_ready.emit(CapturePictures(capture.folder, capture.key, capture.path, pane,
                                                 tile, client, capture.preview, capture.warning))

    def checked(self, capture: CaptureChecked) -> None:
        self.capture_checked.emit(capture)

    def analysed(self, capture: CaptureAnalysed) -> None:
        self.capture_analysed.emit(capture)

    def problem(self, message: str) -> None:
        self.pipeline_problem.emit(message)

    # --- GUI thread -----------------------------------------------------------------------------
    def _to_model(self, capture: CaptureAnalysed) -> None:
        model = self.models.get(capture.folder)
        if model is not None:
            model.set_analysis(capture.key, capture.result.as_json(), capture.result.flags)

