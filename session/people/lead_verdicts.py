"""The lead's word on a person's approved shot before the day closes: a veto (the company's
lead does not accept it: shoot or choose again) and a note. Given from the lead's phone link,
kept in the session's catalog per person with the shot it was given on, so a new approval
(another shot) is judged afresh. Pure Python (sqlite3); each thread opens its own store."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from session.people.approvals import Approval
from session.people.roster_store import RosterReadOnly
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore

MAX_NOTE = 280

_SCHEMA = """
CREATE TABLE IF NOT EXISTS lead_verdicts (
    person_id TEXT PRIMARY KEY,
    shot TEXT NOT NULL,
    veto INTEGER NOT NULL,
    note TEXT NOT NULL,
    given_at REAL NOT NULL
);
"""


@dataclass(frozen=True)
class LeadVerdict:
    person_id: str
    shot: str                # the approved shot it was given on
    veto: bool
    note: str = ""
    given_at: float = 0.0


class LeadVerdictStore(CatalogStore):
    SCHEMA = _SCHEMA

    def all(self) -> dict[str, LeadVerdict]:
        if not has_table(self.db, "lead_verdicts"):
            return {}
        rows = self.db.execute("SELECT person_id, shot, veto, note, given_at FROM lead_verdicts")
        return {str(p): LeadVerdict(str(p), str(s), bool(v), str(n), float(t))
                for p, s, v, n, t in rows}

    def give(self, person_id: str, shot: str, veto: bool, note: str) -> LeadVerdict:
        """Record the lead's word (a note is cleaned of control characters and cut to
        MAX_NOTE)."""
        if self.readonly:
            raise RosterReadOnly("This session is read-only.")
        cleaned = " ".join(note.split())[:MAX_NOTE]
        verdict = LeadVerdict(person_id, shot, veto, cleaned, time.time())
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO lead_verdicts(person_id, shot, veto, note, "
                            "given_at) VALUES (?, ?, ?, ?, ?)",
                            (person_id, shot, int(veto), cleaned, verdict.given_at))
        return verdict


def session_verdicts(folder: Path) -> dict[str, LeadVerdict]:
    with LeadVerdictStore(folder) as store:
        return store.all()


def standing(verdicts: Mapping[str, LeadVerdict], approvals: Mapping[str, Approval],
             person_id: str) -> LeadVerdict | None:
    """The lead's word on ``person_id``'s standing approval (None: none, or it was given on an
    earlier approval)."""
    verdict, approval = verdicts.get(person_id), approvals.get(person_id)
    if verdict is None or approval is None or verdict.shot != approval.shot:
        return None
    return verdict
