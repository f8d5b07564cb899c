"""The day report written when the day is closed: one row per person on the roster, in its
order: approved, waiting (photographed, nothing approved) or missing (not photographed), the
approved shot, the delivered file and its SHA-256, when it was approved and how many times
the person changed their mind. Pure Python; any thread; the CSV is plain UTF-8 text with a
BOM (spreadsheets read names such as Zoë right).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from session.people.approvals import Approval, status_of
from session.people.lead_verdicts import LeadVerdict, standing
from session.people.roster import Person

HEADER = ("person", "id", "status", "approved shot", "delivered file", "sha256",
          "approved at", "changes of mind", "lead veto", "lead note")


@dataclass(frozen=True)
class DayRow:
    person: str
    person_id: str
    status: str
    shot: str = ""
    delivered: str = ""
    sha256: str = ""
    approved_at: float | None = None
    changes: int = 0
    veto: bool = False
    note: str = ""

    def cells(self) -> list[str]:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.approved_at)) \
            if self.approved_at is not None else ""
        return [self.person, self.person_id, self.status, self.shot, self.delivered,
                self.sha256, when, str(self.changes) if self.changes else "",
                "vetoed" if self.veto else "", self.note]


def day_rows(people: Sequence[Person], history: Sequence[Approval],
             photographed: set[str], shown: dict[str, str] | None = None,
             verdicts: Mapping[str, LeadVerdict] | None = None) -> list[DayRow]:
    """The report's rows. ``history``: every approval in order; ``shown``: shot key -> the
    name the photographer sees; ``verdicts``: the lead's word per person."""
    current = {a.person_id: a for a in history}
    given = {p.id: sum(a.person_id == p.id for a in history) for p in people}
    rows = []
    for person in people:
        approval = current.get(person.id)
        status = status_of(person, current, photographed)
        if approval is None:
            rows.append(DayRow(person.name, person.id, status))
            continue
        said = standing(verdicts or {}, current, person.id)
        rows.append(DayRow(person.name, person.id, status,
                           (shown or {}).get(approval.shot, approval.shot), approval.delivered,
                           approval.sha256, approval.approved_at,
                           max(0, given[person.id] - 1), bool(said and said.veto),
                           said.note if said else ""))
    return rows


def csv_text(rows: Sequence[DayRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([_safe(c) for c in row.cells()])
    return "\ufeff" + out.getvalue()


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
