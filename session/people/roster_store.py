"""The roster in the session catalog: the people of a headshot day in roster order, and
which person each shot shows. Importing again updates people by id and adds the new ones;
nobody is ever removed by an import (they may already have shots). One transaction per
change: a failure leaves the roster as it was.

Pure Python (sqlite3); each thread opens its own store.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace

from session.people.roster import Person, has_control_characters, new_id
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore
from session.store.filenames import from_db, to_db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    first TEXT NOT NULL DEFAULT '',
    last TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    dept TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS shot_people (
    name TEXT PRIMARY KEY,
    person_id TEXT NOT NULL,
    assigned_at REAL NOT NULL
);
"""


class RosterReadOnly(PermissionError):
    """The session may not be changed (read-only media or catalog)."""


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    kept: int            # on the roster before and not in this file: kept

    def line(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated"]
        if self.kept:
            parts.append(f"{self.kept} not in this file kept")
        return ", ".join(parts)


class RosterStore(CatalogStore):
    SCHEMA = _SCHEMA

    def _writable(self) -> None:
        if self.readonly:
            raise RosterReadOnly("This session is read-only: the roster cannot be changed.")

    def people(self) -> list[Person]:
        if not has_table(self.db, "people"):
            return []
        rows = self.db.execute("SELECT id, name, first, last, email, dept, extra FROM people "
                               "ORDER BY position")
        return [Person(pid, name, first, last, email, dept,
                       tuple(tuple(pair) for pair in json.loads(extra)))
                for pid, name, first, last, email, dept, extra in rows]

    def import_people(self, people: list[Person]) -> ImportReport:
        """Add the file's people after the roster's and update those already on it: by id
        when the file gives one; otherwise by name (email and department must not say
        otherwise), so a second file or a walk-in never takes over someone's id and shots.
        A person new to the roster without an id gets one nobody in the session has."""
        self._writable()
        existing = self.people()
        by_id = {p.id: p for p in existing}
        taken = set(by_id) | {p.id for p in people if p.id}
        matched: set[str] = set()
        resolved: list[Person] = []
        for person in people:
            person_id = person.id or _same_person(person, existing, matched)
            if not person_id:
                person_id = new_id(taken, person.name)
                taken.add(person_id)
            matched.add(person_id)
            resolved.append(replace(person, id=person_id))
        incoming = {p.id for p in resolved}
        before = set(by_id)
        with self.db:
            start = self.db.execute("SELECT COALESCE(MAX(position), -1) + 1 FROM people"
                                    ).fetchone()[0]
            for offset, person in enumerate(resolved):
                values = (person.name, person.first, person.last, person.email, person.dept,
                          json.dumps([list(pair) for pair in person.extra]), person.id)
                if person.id in before:
                    self.db.execute("UPDATE people SET name=?, first=?, last=?, email=?, "
                                    "dept=?, extra=? WHERE id=?", values)
                else:
                    self.db.execute("INSERT INTO people(name, first, last, email, dept, extra, "
                                    "id, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                    (*values, start + offset))
        return ImportReport(len(incoming - before), len(incoming & before),
                            len(before - incoming))

    def add_person(self, name: str, dept: str = "") -> Person:
        """A person typed in at the desk (a walk-in): always someone new, with a new id."""
        name = " ".join(name.split())
        if not name:
            raise ValueError("A person needs a name.")
        if has_control_characters(name) or has_control_characters(dept):
            raise ValueError("A name may not hold control characters.")
        person = Person(new_id({p.id for p in self.people()}, name), name, dept=dept)
        self.import_people([person])
        return person

    def assign(self, shot_name: str, person_id: str) -> None:
        self._writable()
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO shot_people(name, person_id, assigned_at) "
                            "VALUES (?, ?, ?)", (to_db(shot_name), person_id, time.time()))

    def assignments(self) -> dict[str, str]:
        """Shot file name -> person id."""
        if not has_table(self.db, "shot_people"):
            return {}
        return {from_db(name): pid for name, pid in
                self.db.execute("SELECT name, person_id FROM shot_people")}


def _agree(a: str, b: str) -> bool:
    return not a or not b or a.casefold() == b.casefold()


def _same_person(person: Person, existing: list[Person], matched: set[str]) -> str:
    """The id of the one person on the roster who is ``person`` (same name; email and
    department agree where both are given), '' when none or more than one could be."""
    name = person.name.casefold()
    candidates = [p for p in existing if p.id not in matched and p.name.casefold() == name
                  and _agree(p.email, person.email) and _agree(p.dept, person.dept)]
    return candidates[0].id if len(candidates) == 1 else ""
