"""Pictures for the loupe and compare panels: a screen-sized decode of the current shot, its
neighbours prefetched so next/previous is instant, and the full-resolution picture on demand
(100 % zoom). Bounded caches keep memory flat.

Decoding runs on two "image-loader" threads; ``want``/``want_full`` are non-blocking calls from
the GUI thread and return a cached picture at once when there is one; others arrive as queued
signals.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from media.decode.previews import ImageUnreadable, decode_for_display
from session.store.filenames import shown
from ui.pictures.image_loader import to_qimage
from ui.pictures.picture_cache import Picture, PictureCache, upright_size

log = logging.getLogger(__name__)
FULL_TARGET = (1 << 16, 1 << 16)   # no reduction: every camera pixel


class LoupeLoader(QObject):
    picture_ready = Signal(object, object)     # path, Picture
    picture_failed = Signal(object, str)       # path, message

    def __init__(self, parent: QObject | None = None, prefetch: bool = True,
                 cache: PictureCache | None = None) -> None:
        """``cache``: the pictures shared with the capture pipeline (None: a cache of its
        own)."""
        super().__init__(parent)
        self.prefetch = prefetch
        self.target = (1600, 1200)
        self._pool = ThreadPoolExecutor(2, thread_name_prefix="image-loader")
        self._lock = threading.Lock()
        self.pictures = cache if cache is not None else PictureCache()
        self._queued: set[tuple[str, bool]] = set()
        self._wanted: set[str] = set()
        self._closed = False

    def close(self) -> None:
        self._closed = True
        self._pool.shutdown(wait=True, cancel_futures=True)

    def cached(self, path: Path, full: bool = False) -> Picture | None:
        if full:
            return self.pictures.get(path, "full")
        return self.pictures.get(path, "screen", self.target)

    def want(self, paths: list[Path], neighbours: list[Path]) -> None:
        """Load ``paths`` (shown now) first, then prefetch ``neighbours``. Non-blocking."""
        with self._lock:
            self._wanted = {str(p) for p in paths + (neighbours if self.prefetch else [])}
        for path in paths + (neighbours if self.prefetch else []):
            self._submit(path, False)

    def want_full(self, path: Path) -> None:
        self._submit(path, True)

    def _submit(self, path: Path, full: bool) -> None:
        key = (str(path), full)
        if self.cached(Path(path), full) is not None:
            return
        with self._lock:
            if self._closed or key in self._queued:
                return
            self._queued.add(key)
        self._pool.submit(self._load, Path(path), full)

    def _load(self, path: Path, full: bool) -> None:
        key = (str(path), full)
        try:
            with self._lock:
                stale = not full and str(path) not in self._wanted
            if stale:  # the photographer has moved on
                return
            picture = self._decode(path, full)
            self.pictures.put(path, "full" if full else "screen", picture)
            self.picture_ready.emit(str(path), picture)
        except ImageUnreadable as exc:
            self.picture_failed.emit(str(path), str(exc))
        except Exception as exc:  # any failure: a bad file must not stop the loupe
            log.exception("loupe %s", path)
            self.picture_failed.emit(str(path), f"{shown(path.name)}: {exc}")
        finally:
            with self._lock:
                self._queued.discard(key)

    def _decode(self, path: Path, full: bool) -> Picture:
        shown = decode_for_display(path, FULL_TARGET if full else self.target)
        size = upright_size(shown.source_size, (shown.rgb.shape[1], shown.rgb.shape[0]))
        return Picture(to_qimage(shown.rgb), size, full, shown.warning)
