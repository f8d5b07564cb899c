"""Loads capture images off the GUI thread: embedded preview first, then the fit-to-screen
reduced-scale decode; thumbnails for the filmstrip from the tile level on disk (the thumbnail
cache the review grid fills too; a tile made here is kept there). Results arrive as QImages
through queued signals. Requests for the review pane are newest-wins: a superseded request is
skipped."""

from __future__ import annotations

import itertools
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from media.decode.previews import (
    ImageUnreadable,
    decode_for_display,
    embedded_preview,
    fit_within,
)
from media.decode.thumbnails import decode_thumbnail, make_thumbnail
from session.store.filenames import shown
from session.store.thumb_cache import ThumbCache

log = logging.getLogger(__name__)


def to_qimage(rgb: np.ndarray) -> QImage:
    """A QImage that owns a copy of ``rgb`` (any thread)."""
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class ImageLoader(QObject):
    image_loaded = Signal(int, object, QImage, bool)   # request, path, image, final quality
    image_failed = Signal(int, object, str)            # request, path, message
    thumbnail_loaded = Signal(object, QImage)           # path, image

    def __init__(self, parent: QObject | None = None, workers: int = 2,
                 tiles: ThumbCache | None = None) -> None:
        """``tiles``: the thumbnail cache on disk (closed with the loader); None: tiles are
        made each time (tests of one window)."""
        super().__init__(parent)
        self.tiles = tiles
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="image-loader")
        self._ids = itertools.count(1)
        self._latest = 0
        self._lock = threading.Lock()
        self._closed = False

    def close(self) -> None:
        """Stop accepting work and wait for running jobs (GUI thread, at exit)."""
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self.tiles is not None:
            self.tiles.close()

    def show(self, path: Path, target: tuple[int, int]) -> int:
        """Load ``path`` for the review pane; returns the request id (GUI thread, non-blocking)."""
        request = next(self._ids)
        with self._lock:
            self._latest = request
        if not self._closed:
            self._pool.submit(self._load, request, Path(path), target)
        return request

    def thumbnail(self, path: Path, content_key: str = "", long_edge: int = 240) -> None:
        """The filmstrip tile of ``path`` (``content_key``: its key in the tile cache)."""
        if not self._closed:
            self._pool.submit(self._thumb, Path(path), content_key, long_edge)

    def _current(self, request: int) -> bool:
        with self._lock:
            return request == self._latest

    def _load(self, request: int, path: Path, target: tuple[int, int]) -> None:
        try:
            if not self._current(request):
                return
            preview = embedded_preview(path)
            if preview is not None and self._current(request):
                self.image_loaded.emit(request, str(path), to_qimage(preview.rgb), False)
            if not self._current(request):
                return
            full = decode_for_display(path, target)
            if self._current(request):
                self.image_loaded.emit(request, str(path), to_qimage(full.rgb), True)
                if full.warning:
                    self.image_failed.emit(request, str(path), full.warning)
        except ImageUnreadable as exc:
            self.image_failed.emit(request, str(path), str(exc))
        except Exception as exc:  # a bad file must never take the loader down
            log.exception("loading %s", path)
            self.image_failed.emit(request, str(path), f"{shown(path.name)}: {exc}")

    def _thumb(self, path: Path, content_key: str, long_edge: int) -> None:
        try:
            tiles = self.tiles if content_key else None
            thumb = tiles.get(content_key) if tiles is not None else None
            if thumb is None:
                thumb = make_thumbnail(path)
                if tiles is not None and thumb.jpeg:
                    tiles.put_many([(content_key, thumb)])
            rgb = decode_thumbnail(thumb)
            if rgb is None:
                raise ImageUnreadable(thumb.problem or f"{shown(path.name)}: no picture")
            self.thumbnail_loaded.emit(str(path), to_qimage(fit_within(rgb,
                                                                       (long_edge, long_edge))))
        except Exception as exc:
            log.warning("thumbnail of %s: %s", path, exc)
            self.thumbnail_loaded.emit(str(path), QImage())
