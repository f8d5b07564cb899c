"""Thumbnails for the review grid: tiles on screen first (newest request first), then the
rest of the session in the background, so the disk cache is full for the next visit.
Cached thumbnails are read from SQLite; missing ones come from the embedded preview.

Two worker threads own the work; requests are non-blocking calls from the GUI thread and
results arrive there as queued signals. Memory stays flat: only requested tiles are sent as
images; the background fill only writes the cache.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from media.decode.thumbnails import Thumbnail, decode_thumbnail, make_thumbnail
from media.thread_priority import lower_this_thread
from session.model.live_session import Shot
from session.store.thumb_cache import ThumbCache
from ui.pictures.image_loader import to_qimage

log = logging.getLogger(__name__)
WORKERS = 2
BATCH = 32


class ThumbnailService(QObject):
    thumbnail_ready = Signal(object, QImage)      # display file name, image (null if unreadable)
    problem_found = Signal(object, str)           # display file name, message
    fill_progress = Signal(int, int)           # cached, total

    def __init__(self, cache: ThumbCache | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache = cache or ThumbCache()
        self._cond = threading.Condition()
        self._urgent: list[Shot] = []
        self._fill: list[Shot] = []
        self._unsorted: list[Shot] = []       # waiting to learn which are cached
        self._done: set[str] = set()           # content keys known to be cached
        self._sent: set[str] = set()           # names already delivered as images
        self._pending: list[tuple[str, Thumbnail]] = []
        self._cached: set[str] = set()         # keys known to be in the cache on disk
        self._total = 0
        self._stop = False
        self._threads = [threading.Thread(target=self._run, name=f"thumbnails-{i}", daemon=True)
                         for i in range(WORKERS)]
        for thread in self._threads:
            thread.start()

    # --- GUI thread -------------------------------------------------------------------------
    def start_session(self, shots: list[Shot], known: set[str] | None) -> None:
        """Forget the previous session's work and fill ``shots`` (``known``: keys cached;
        None: not known yet, the background fill waits for ``cached_already``). Tiles on
        screen are served at once either way."""
        with self._cond:
            self._urgent.clear()
            self._sent.clear()
            self._done = set(known or ())
            self._cached = set(known or ())
            self._total = len({s.content_key for s in shots})
            self._unsorted = list(shots) if known is None else []
            self._fill = [] if known is None else \
                [s for s in reversed(shots) if s.content_key not in known]
            self._cond.notify_all()
        self.fill_progress.emit(len(self._cached), self._total)

    def cached_already(self, known: set[str]) -> None:
        """Which of the session's thumbnails are in the disk cache: the background fill
        starts with the rest."""
        with self._cond:
            self._done |= known
            self._cached |= known
            self._fill += [s for s in reversed(self._unsorted) if s.content_key not in known]
            self._unsorted = []
            self._cond.notify_all()
        self.fill_progress.emit(len(self._cached), self._total)

    def add(self, shot: Shot) -> None:
        """A new capture joined the session."""
        with self._cond:
            self._total += 1
            self._fill.append(shot)
            self._cond.notify()

    def request(self, shot: Shot) -> None:
        """A tile is on screen: deliver its image soon (LIFO: the last scrolled-to first)."""
        with self._cond:
            self._urgent.append(shot)
            self._cond.notify()

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(10)
        self._flush()
        self.cache.close()

    # --- worker threads ---------------------------------------------------------------------
    def _next(self) -> tuple[Shot, bool] | None:
        with self._cond:
            while not self._stop:
                if self._urgent:
                    shot = self._urgent.pop()
                    if shot.name not in self._sent:
                        self._sent.add(shot.name)
                        return shot, True
                    continue
                while self._fill:
                    shot = self._fill.pop()
                    if shot.content_key not in self._done:
                        self._done.add(shot.content_key)
                        return shot, False
                self._flush_locked()
                self._cond.wait(0.5)
            return None

    def _run(self) -> None:
        lower_this_thread()               # the background fill waits for live view
        while (job := self._next()) is not None:
            shot, wanted = job
            try:
                self._work(shot, wanted)
            except Exception:  # any failure: one file must not stop the grid
                log.exception("thumbnail of %s", shot.path)

    def _work(self, shot: Shot, wanted: bool) -> None:
        thumb = self.cache.get(shot.content_key) if wanted else None
        fresh = thumb is None
        if thumb is None:
            thumb = make_thumbnail(Path(shot.path))
            with self._cond:
                self._done.add(shot.content_key)
                self._pending.append((shot.content_key, thumb))
                if len(self._pending) >= BATCH:
                    self._flush_locked()
        if thumb.problem and (fresh or wanted):
            self.problem_found.emit(shot.name, thumb.problem)
        if wanted:
            rgb = decode_thumbnail(thumb)
            self.thumbnail_ready.emit(shot.name, to_qimage(rgb) if rgb is not None else QImage())

    def _flush_locked(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            try:
                self.cache.put_many(batch)
            except Exception as exc:  # any failure: a cache that cannot be written is only slow
                log.warning("thumbnail cache: %s", exc)
            self._cached.update(key for key, _thumb in batch)
            self.fill_progress.emit(len(self._cached), self._total)

    def _flush(self) -> None:
        with self._cond:
            self._flush_locked()
