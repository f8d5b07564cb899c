"""The live aids over the photographer's live view: focus peaking and zebra marks (one
picture made on the live-aids thread, laid over the frame) and the RGB + luminance histogram
in the crop's top-right corner, under the coach's status line. Painted under the aspect mask
and the coach. GUI thread only; painting reads one AidsFrame: two pictures made on the
live-aids thread, drawn as they are."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter

from coaching.live.live_aids import AidsFrame
from ui.coach.coach_overlay import text_pixels
from ui.common.overlay import AspectMask


class AidsOverlay:
    def __init__(self, mask: AspectMask) -> None:
        self.visible = True
        self.mask = mask
        self.frame: AidsFrame | None = None
        self.show_marks = False
        self.show_histogram = False
        self._image: QImage | None = None
        self._image_of: AidsFrame | None = None
        self._histogram_image = QImage()
        self._histogram_of: AidsFrame | None = None

    def set_frame(self, frame: AidsFrame | None) -> None:
        self.frame = frame

    def paint(self, painter: QPainter, frame_rect: QRectF) -> None:
        aids = self.frame
        if aids is None:
            return
        if self.show_marks and aids.marks is not None:
            # Nearest-pixel scaling: the marks stay crisp and cost a blit, not a filter.
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(frame_rect, self._marks_image(aids))
        if self.show_histogram and aids.histogram_picture is not None:
            self._histogram(painter, self.mask.inner(frame_rect), aids)

    def _marks_image(self, aids: AidsFrame) -> QImage:
        if self._image_of is not aids:
            marks = aids.marks
            assert marks is not None
            h, w = marks.shape[:2]
            # The QImage points into the (read-only, immutable) array the AidsFrame keeps.
            self._image = QImage(marks.data, w, h, w * 4,
                                 QImage.Format.Format_ARGB32_Premultiplied)
            self._image_of = aids
        assert self._image is not None
        return self._image

    def _histogram(self, painter: QPainter, crop: QRectF, aids: AidsFrame) -> None:
        picture = aids.histogram_picture
        assert picture is not None
        if self._histogram_of is not aids:
            h, w = picture.shape[:2]
            self._histogram_image = QImage(picture.data, w, h, w * 4,
                                           QImage.Format.Format_ARGB32_Premultiplied)
            self._histogram_of = aids
        width = max(160.0, crop.width() / 5)
        margin = max(8.0, crop.width() / 80)
        # Top right, under the style and neutral line (the shot counter holds the top left).
        top = crop.top() + 20 + text_pixels(crop)
        box = QRectF(crop.right() - margin - width, top, width, width * 0.55)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(box, self._histogram_image)
