"""The photographer's culling marks in the session catalog: stars, colour label, pick or
reject (separate fields: a reject keeps its stars), keyed by the shot's display file name,
with the SHA-256 of the sidecar Catchlight last wrote for it (so its own sidecar is never
mistaken for another program's edit). Pure Python (sqlite3); one connection per thread;
small synchronous writes. A read-only catalog (a session on read-only media) reads only.
"""

from __future__ import annotations

import time
from pathlib import Path

from session.culling.xmp_sidecar import CullMarks
from session.store.catalog import has_table, open_catalog
from session.store.catalog_place import place_of
from session.store.filenames import from_db, to_db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS culling (
    name TEXT PRIMARY KEY,
    pick INTEGER NOT NULL DEFAULT 0,     -- 1 pick, 0 unflagged, -1 rejected
    changed_at REAL NOT NULL
);
"""
_COLUMNS = {"rating": "INTEGER NOT NULL DEFAULT 0", "label": "TEXT NOT NULL DEFAULT ''",
            "sidecar_sha": "TEXT NOT NULL DEFAULT ''"}


class CullingStore:
    def __init__(self, folder: Path) -> None:
        place = place_of(folder)
        self.readonly = place.readonly
        self.db = open_catalog(place.path, _SCHEMA, place.readonly)
        if self.readonly:
            return
        have = {row[1] for row in self.db.execute("PRAGMA table_info(culling)")}
        with self.db:
            for column, kind in _COLUMNS.items():
                if column not in have:  # catalogs from before ratings existed
                    self.db.execute(f"ALTER TABLE culling ADD COLUMN {column} {kind}")
            # Before stars and rejects were separate, a reject was stored as rating -1.
            self.db.execute("UPDATE culling SET rating=0, pick=-1 WHERE rating<0")

    def close(self) -> None:
        self.db.close()

    def set_marks(self, name: str, marks: CullMarks, when: float | None = None,
                  sidecar_sha: str = "") -> None:
        self.set_many([(name, marks, when or time.time(), sidecar_sha)])

    def set_many(self, items: list[tuple[str, CullMarks, float, str]]) -> None:
        """Several shots' marks in one transaction (sidecars read back at open)."""
        with self.db:
            self.db.executemany(
                "INSERT INTO culling(name, pick, rating, label, changed_at, sidecar_sha) "
                "VALUES (?,?,?,?,?,?) ON CONFLICT(name) DO UPDATE SET pick=excluded.pick, "
                "rating=excluded.rating, label=excluded.label, changed_at=excluded.changed_at, "
                "sidecar_sha=excluded.sidecar_sha",
                [(to_db(n), m.pick, max(0, m.rating), m.label, when, sha)
                 for n, m, when, sha in items])

    def set_sidecar_sha(self, name: str, sidecar_sha: str) -> None:
        with self.db:
            self.db.execute("UPDATE culling SET sidecar_sha=? WHERE name=?",
                            (sidecar_sha, to_db(name)))

    def _rows(self) -> list[tuple]:
        if not has_table(self.db, "culling"):
            return []
        have = {row[1] for row in self.db.execute("PRAGMA table_info(culling)")}
        columns = ", ".join(c if c in have else f"{default} AS {c}" for c, default in (
            ("rating", "0"), ("label", "''"), ("pick", "0"), ("changed_at", "0"),
            ("sidecar_sha", "''")))
        return list(self.db.execute(f"SELECT name, {columns} FROM culling"))

    def marks(self) -> dict[str, tuple[CullMarks, float]]:
        return {from_db(name): (CullMarks(max(0, rating), label, -1 if rating < 0 else pick),
                                changed)
                for name, rating, label, pick, changed, _sha in self._rows()}

    def sidecar_shas(self) -> dict[str, str]:
        """The SHA-256 of the sidecar Catchlight last wrote (or read back), by shot."""
        return {from_db(row[0]): row[5] for row in self._rows() if row[5]}

    def rejected(self) -> set[str]:
        return {name for name, (marks, _t) in self.marks().items() if marks.pick == -1}
