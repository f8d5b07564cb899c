"""The session's hero frames in its catalog: one row for the whole day (person id '') and one
per person who has their own, replaced when the photographer chooses another, read back by the
coach and the capture analysis. Pure Python (sqlite3); each thread opens its own store (the
GUI thread's writes are one small row)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from session.people.hero_frame import HeroFrame, hero_from_json
from session.people.roster_store import RosterReadOnly
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore

_SCHEMA = """
CREATE TABLE IF NOT EXISTS hero_frame (
    person_id TEXT PRIMARY KEY,
    hero TEXT NOT NULL,
    set_at REAL NOT NULL
);
"""


class HeroStore(CatalogStore):
    SCHEMA = _SCHEMA

    def all(self) -> dict[str, HeroFrame]:
        """Person id ('' for the day) -> hero frame; unusable rows are left out."""
        if not has_table(self.db, "hero_frame"):
            return {}
        heroes = {}
        for person, raw in self.db.execute("SELECT person_id, hero FROM hero_frame"):
            hero = hero_from_json(raw)
            if hero is not None:
                heroes[str(person)] = hero
        return heroes

    def set(self, person: str, hero: HeroFrame | None) -> None:
        """Record ``hero`` for ``person`` ('' for the day; None forgets it)."""
        if self.readonly:
            raise RosterReadOnly("This session is read-only: its hero frame cannot be "
                                 "changed.")
        with self.db:
            if hero is None:
                self.db.execute("DELETE FROM hero_frame WHERE person_id = ?", (person,))
            else:
                self.db.execute("INSERT OR REPLACE INTO hero_frame(person_id, hero, set_at) "
                                "VALUES (?, ?, ?)", (person, json.dumps(hero.as_json()),
                                                     time.time()))


def session_heroes(folder: Path) -> dict[str, HeroFrame]:
    with HeroStore(folder) as store:
        return store.all()
