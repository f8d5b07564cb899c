"""The session's memory of a camera's card (camera.owner.card_sync.CardMemory): the files that were
on it when the session first met it (never imported), plus every file the catalog already
holds. Anything else found on the card at a connect was shot while we were not listening
and is fetched. A file is known by its path and size, and its time where both sides know it,
so a new shot that reuses an old name after the card was formatted is not mistaken for it.

Pure Python (sqlite3); called on the camera thread; opens its own short connection per call
and blocks for one small query (a few ms for thousands of files).
"""

from __future__ import annotations

from pathlib import Path

from camera.types import CameraFile
from session.store.catalog import CATALOG_NAME, has_table, open_catalog, storable
from session.store.catalog_place import place_of

_SCHEMA = """
CREATE TABLE IF NOT EXISTS card_baseline (
    camera TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (camera, path)
);
"""
_COLUMNS = {"size": "INTEGER NOT NULL DEFAULT -1", "mtime": "REAL NOT NULL DEFAULT 0"}
TIME_SLACK_S = 2.0    # FAT keeps times to 2 s


def _same_time(a: float, b: float) -> bool:
    return a <= 0 or b <= 0 or abs(a - b) <= TIME_SLACK_S


class CardLedger:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def unseen(self, camera: str, files: list[CameraFile]) -> list[CameraFile]:
        if place_of(self.folder).readonly:
            return []         # a session that may not be changed fetches nothing into it
        db = open_catalog(self.folder / CATALOG_NAME, _SCHEMA)
        try:
            have = {row[1] for row in db.execute("PRAGMA table_info(card_baseline)")}
            with db:
                for column, kind in _COLUMNS.items():
                    if column not in have:
                        db.execute(f"ALTER TABLE card_baseline ADD COLUMN {column} {kind}")
            camera = storable(camera)
            met = db.execute("SELECT 1 FROM card_baseline WHERE camera=? LIMIT 1",
                             (camera,)).fetchone()
            if met is None:  # first meeting: what is on the card now belongs to before
                with db:
                    db.execute("INSERT OR IGNORE INTO card_baseline(camera, path) "
                               "VALUES (?, '')", (camera,))
                    db.executemany("INSERT OR REPLACE INTO card_baseline(camera, path, size, "
                                   "mtime) VALUES (?, ?, ?, ?)",
                                   [(camera, storable(f.path), f.size, f.mtime) for f in files])
                return []
            known: dict[str, list[tuple[int, float]]] = {}
            for path, size, mtime in db.execute(
                    "SELECT path, size, mtime FROM card_baseline WHERE camera=?", (camera,)):
                known.setdefault(path, []).append((size, mtime))
            if has_table(db, "files"):
                columns = {row[1] for row in db.execute("PRAGMA table_info(files)")}
                mtime = "camera_mtime" if "camera_mtime" in columns else "0"
                for path, size, when in db.execute(
                        f"SELECT camera_path, size, {mtime} FROM files"):
                    known.setdefault(path, []).append((size, when))
            return [f for f in files if not self._known(f, known.get(storable(f.path), []))]
        finally:
            db.close()

    @staticmethod
    def _known(file: CameraFile, seen: list[tuple[int, float]]) -> bool:
        return any((size < 0 or file.size < 0 or size == file.size)
                   and _same_time(when, file.mtime) for size, when in seen)
