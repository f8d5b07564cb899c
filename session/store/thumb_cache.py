"""The thumbnail cache on disk: one SQLite file in the user's cache folder, keyed on content
(the catalog's SHA-256 of each file, or its size and modification time for files the catalog
does not know), so a moved or backed-up session stays warm and a changed file is redone.

Pure Python (sqlite3). One object may be shared by threads: a lock serialises its connection.
Reads take well under a millisecond; writes are batched by the caller.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from media.decode.thumbnails import Thumbnail
from session.store.catalog_place import cache_folder

MAX_THUMBNAILS = 100_000     # about 1.2 GB; the oldest entries make room for new ones
_SCHEMA = """
CREATE TABLE IF NOT EXISTS thumbs (
    key TEXT PRIMARY KEY,
    jpeg BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    problem TEXT NOT NULL DEFAULT ''
);
"""


class ThumbCache:
    def __init__(self, path: Path | None = None, limit: int = MAX_THUMBNAILS) -> None:
        self.path = path or cache_folder() / "thumbnails.sqlite"
        self.limit = limit
        self._lock = threading.Lock()
        try:
            self._db = self._open(self.path)
        except (OSError, sqlite3.Error):
            try:  # a damaged cache is only a cache: start again
                self.path.unlink(missing_ok=True)
                self._db = self._open(self.path)
            except (OSError, sqlite3.Error):  # no writable cache folder: this run only
                self._db = self._open(None)

    @staticmethod
    def _open(path: Path | None) -> sqlite3.Connection:
        if path is None:
            db = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=10, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
        db.executescript(_SCHEMA)
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def get(self, key: str) -> Thumbnail | None:
        with self._lock:
            row = self._db.execute("SELECT jpeg, width, height, problem FROM thumbs WHERE key=?",
                                   (key,)).fetchone()
        return Thumbnail(bytes(row[0]), row[1], row[2], row[3]) if row else None

    def known(self, keys: list[str]) -> set[str]:
        """Which of ``keys`` are cached (one query per 500 keys)."""
        found: set[str] = set()
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                marks = ",".join("?" * len(chunk))
                found.update(row[0] for row in self._db.execute(
                    f"SELECT key FROM thumbs WHERE key IN ({marks})", chunk))
        return found

    def put_many(self, items: list[tuple[str, Thumbnail]]) -> None:
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO thumbs(key, jpeg, width, height, problem) "
                "VALUES (?, ?, ?, ?, ?)",
                [(k, t.jpeg, t.width, t.height, t.problem) for k, t in items])
            self._db.execute("DELETE FROM thumbs WHERE rowid <= (SELECT MAX(rowid) FROM thumbs)"
                             " - ?", (self.limit,))
