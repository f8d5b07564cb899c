"""Sign-off at the chair: each person's approved shot and the file delivered from it. The
photographer confirms the shot the person chose; its delivery is rendered, verified and
recorded; a change of mind is a new approval with a new delivered file (the earlier one is
kept, never overwritten) until the day is closed. Kept in the session's catalog, one row per
approval, the newest per person standing. Pure Python (sqlite3); each thread opens its own
store."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from session.people.roster import Person
from session.people.roster_store import RosterReadOnly
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore

APPROVED, WAITING, MISSING = "approved", "waiting", "missing"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS approvals (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id TEXT NOT NULL,
    shot TEXT NOT NULL,
    approved_at REAL NOT NULL,
    delivered TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS day_closed (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    closed_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class Approval:
    person_id: str
    shot: str                # the approved shot's key
    approved_at: float
    delivered: str = ""      # the delivered file, relative to the session's parent folder
    sha256: str = ""         # of the delivered file as verified on disk


class ApprovalStore(CatalogStore):
    SCHEMA = _SCHEMA

    def current(self) -> dict[str, Approval]:
        """Person id -> their standing approval (the newest)."""
        return {a.person_id: a for a in self.history()}

    def history(self) -> list[Approval]:
        """Every approval in the order it was given."""
        if not has_table(self.db, "approvals"):
            return []
        rows = self.db.execute("SELECT person_id, shot, approved_at, delivered, sha256 "
                               "FROM approvals ORDER BY seq")
        return [Approval(str(p), str(s), float(t), str(d), str(h)) for p, s, t, d, h in rows]

    def add(self, approval: Approval) -> None:
        if self.readonly:
            raise RosterReadOnly("This session is read-only: nothing can be approved.")
        if self.closed_at() is not None:
            raise DayClosed("The day is closed: approvals can no longer change.")
        with self.db:
            self.db.execute("INSERT INTO approvals(person_id, shot, approved_at, delivered, "
                            "sha256) VALUES (?, ?, ?, ?, ?)",
                            (approval.person_id, approval.shot, approval.approved_at,
                             approval.delivered, approval.sha256))

    def closed_at(self) -> float | None:
        if not has_table(self.db, "day_closed"):
            return None
        row = self.db.execute("SELECT closed_at FROM day_closed WHERE id = 1").fetchone()
        return float(row[0]) if row else None

    def close_day(self, when: float | None = None) -> float:
        """Close the day (approvals are final from now); returns when."""
        if self.readonly:
            raise RosterReadOnly("This session is read-only: the day cannot be closed.")
        closed = self.closed_at()
        if closed is not None:
            return closed
        when = time.time() if when is None else when
        with self.db:
            self.db.execute("INSERT INTO day_closed(id, closed_at) VALUES (1, ?)", (when,))
        return when


class DayClosed(ValueError):
    """An approval asked for after the day was closed."""


def session_approvals(folder: Path) -> dict[str, Approval]:
    with ApprovalStore(folder) as store:
        return store.current()


def status_of(person: Person, approvals: Mapping[str, Approval],
              photographed: set[str]) -> str:
    """APPROVED (a delivered approval stands), WAITING (shot, nothing approved yet) or
    MISSING (not photographed)."""
    approval = approvals.get(person.id)
    if approval is not None and approval.delivered:
        return APPROVED
    return WAITING if person.id in photographed else MISSING


def day_status(people: Sequence[Person], approvals: Mapping[str, Approval],
               photographed: set[str]) -> dict[str, str]:
    """Person id -> their status, in roster order."""
    return {p.id: status_of(p, approvals, photographed) for p in people}
