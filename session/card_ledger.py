"""The session's memory of a camera's card (camera.card_sync.CardMemory): the files that were
on it when the session first met it (never imported), plus every file the catalog already
holds. Anything else found on the card at a connect was shot while we were not listening
and is fetched.

Pure Python (sqlite3); called on the camera thread; opens its own short connection per call
and blocks for one small query (a few ms for thousands of files).
"""

from __future__ import annotations

from pathlib import Path

from session.catalog import open_catalog, storable

_SCHEMA = """
CREATE TABLE IF NOT EXISTS card_baseline (
    camera TEXT NOT NULL,
    path TEXT NOT NULL,
    PRIMARY KEY (camera, path)
);
"""


class CardLedger:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def unseen(self, camera: str, paths: list[str]) -> list[str]:
        db = open_catalog(self.folder, _SCHEMA)
        try:
            camera = storable(camera)
            met = db.execute("SELECT 1 FROM card_baseline WHERE camera=? LIMIT 1",
                             (camera,)).fetchone()
            if met is None:  # first meeting: what is on the card now belongs to before
                with db:
                    db.execute("INSERT OR IGNORE INTO card_baseline(camera, path) "
                               "VALUES (?, '')", (camera,))
                    db.executemany("INSERT OR IGNORE INTO card_baseline(camera, path) "
                                   "VALUES (?, ?)", [(camera, storable(p)) for p in paths])
                return []
            known = {row[0] for row in db.execute(
                "SELECT path FROM card_baseline WHERE camera=?", (camera,))}
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if "files" in tables:
                known.update(row[0] for row in db.execute("SELECT camera_path FROM files"))
            return [p for p in paths if storable(p) not in known]
        finally:
            db.close()
