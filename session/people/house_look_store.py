"""The session's house look in its catalog: one row, replaced when the photographer picks
another approved shot, and read back by the coach, the report and ``deliver``. Pure Python
(sqlite3); each thread opens its own store (the GUI thread's writes are one small row)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from session.people.house_look import HouseLook, HouseLookError, parse_look
from session.people.roster_store import RosterReadOnly
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS house_look (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    look TEXT NOT NULL,
    set_at REAL NOT NULL
);
"""


class HouseLookStore(CatalogStore):
    SCHEMA = _SCHEMA

    def get(self) -> HouseLook | None:
        """The session's look; None when none was set (or the stored one is unusable)."""
        if not has_table(self.db, "house_look"):
            return None
        row = self.db.execute("SELECT look FROM house_look WHERE id = 1").fetchone()
        if row is None:
            return None
        try:
            return parse_look(row[0])
        except HouseLookError:
            return None

    def set(self, look: HouseLook | None) -> None:
        """Record ``look`` (None forgets it)."""
        if self.readonly:
            raise RosterReadOnly("This session is read-only: its house look cannot be "
                                 "changed.")
        with self.db:
            if look is None:
                self.db.execute("DELETE FROM house_look")
            else:
                self.db.execute("INSERT OR REPLACE INTO house_look(id, look, set_at) "
                                "VALUES (1, ?, ?)", (json.dumps(look.as_json()), time.time()))


def session_look(folder: Path) -> HouseLook | None:
    store = HouseLookStore(folder)
    try:
        return store.get()
    finally:
        store.close()
