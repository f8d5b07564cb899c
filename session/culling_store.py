"""The photographer's culling decisions in the session catalog (for now: rejects, which the
client display never shows automatically). Pure Python (sqlite3); one connection per thread;
tiny synchronous writes."""

from __future__ import annotations

import time
from pathlib import Path

from session.catalog import open_catalog

_SCHEMA = """
CREATE TABLE IF NOT EXISTS culling (
    name TEXT PRIMARY KEY,
    pick INTEGER NOT NULL DEFAULT 0,     -- 1 pick, 0 unflagged, -1 rejected
    changed_at REAL NOT NULL
);
"""


class CullingStore:
    def __init__(self, folder: Path) -> None:
        self.db = open_catalog(folder, _SCHEMA)

    def close(self) -> None:
        self.db.close()

    def set_rejected(self, name: str, rejected: bool) -> None:
        with self.db:
            self.db.execute("INSERT INTO culling(name, pick, changed_at) VALUES (?, ?, ?) "
                            "ON CONFLICT(name) DO UPDATE SET pick=excluded.pick, "
                            "changed_at=excluded.changed_at",
                            (name, -1 if rejected else 0, time.time()))

    def rejected(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT name FROM culling WHERE pick=-1")}
