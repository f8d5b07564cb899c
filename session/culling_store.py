"""The photographer's culling marks in the session catalog: rating, colour label, pick or
reject, keyed by the shot's display file name. Pure Python (sqlite3); one connection per
thread; small synchronous writes."""

from __future__ import annotations

import time
from pathlib import Path

from session.catalog import open_catalog
from session.xmp_sidecar import CullMarks

_SCHEMA = """
CREATE TABLE IF NOT EXISTS culling (
    name TEXT PRIMARY KEY,
    pick INTEGER NOT NULL DEFAULT 0,     -- 1 pick, 0 unflagged, -1 rejected
    changed_at REAL NOT NULL
);
"""
_COLUMNS = {"rating": "INTEGER NOT NULL DEFAULT 0", "label": "TEXT NOT NULL DEFAULT ''"}


class CullingStore:
    def __init__(self, folder: Path) -> None:
        self.db = open_catalog(folder, _SCHEMA)
        have = {row[1] for row in self.db.execute("PRAGMA table_info(culling)")}
        with self.db:
            for column, kind in _COLUMNS.items():
                if column not in have:  # catalogs from before ratings existed
                    self.db.execute(f"ALTER TABLE culling ADD COLUMN {column} {kind}")

    def close(self) -> None:
        self.db.close()

    def set_marks(self, name: str, marks: CullMarks, when: float | None = None) -> None:
        self.set_many([(name, marks, when or time.time())])

    def set_many(self, items: list[tuple[str, CullMarks, float]]) -> None:
        """Several shots' marks in one transaction (sidecars read back at open)."""
        with self.db:
            self.db.executemany(
                "INSERT INTO culling(name, pick, rating, label, changed_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(name) DO UPDATE SET pick=excluded.pick, rating=excluded.rating, "
                "label=excluded.label, changed_at=excluded.changed_at",
                [(n, m.pick, m.rating, m.label, when) for n, m, when in items])

    def set_rejected(self, name: str, rejected: bool) -> None:
        current = self.marks().get(name, (CullMarks(), 0.0))[0]
        self.set_marks(name, CullMarks(current.rating, current.label, -1 if rejected else 0))

    def marks(self) -> dict[str, tuple[CullMarks, float]]:
        return {name: (CullMarks(rating, label, pick), changed)
                for name, rating, label, pick, changed in self.db.execute(
                    "SELECT name, rating, label, pick, changed_at FROM culling")}

    def rejected(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT name FROM culling WHERE pick=-1")}
