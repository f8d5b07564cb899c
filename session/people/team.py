"""A headshot day's shots by person: who each shot shows (the roster's assignments), each
person's picks, and the one pick that stands for them in the consistency report (the best
rated, then the latest). Reads the one session model; pure Python; its owner thread.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from session.delivery.deliver import DeliverItem
from session.model.live_session import Shot
from session.people.approvals import Approval, status_of
from session.people.consistency import Report, missing_row, row_for
from session.people.house_look import HouseLook
from session.people.lead_verdicts import LeadVerdict, standing
from session.people.roster import Person
from session.review.review_data import eyes_of


@dataclass(frozen=True)
class TeamShot:
    shot: Shot
    person: Person | None


def team_shots(shots: Sequence[Shot], people: Sequence[Person],
               assigned: dict[str, str]) -> list[TeamShot]:
    """Every shot with its person (None when it was never given one)."""
    by_id = {p.id: p for p in people}
    out = []
    for shot in shots:
        pid = next((assigned[n] for n in shot.names if n in assigned), None)
        out.append(TeamShot(shot, by_id.get(pid) if pid is not None else None))
    return out


def picks_of(team: Sequence[TeamShot]) -> list[TeamShot]:
    return [t for t in team if t.shot.marks.pick == 1]


def chosen_picks(team: Sequence[TeamShot]) -> dict[str, TeamShot]:
    """Person id -> the pick that stands for them: the best rated, then the latest."""
    chosen: dict[str, TeamShot] = {}
    for item in picks_of(team):
        if item.person is None:
            continue
        best = chosen.get(item.person.id)
        rank = (item.shot.marks.rating, item.shot.seq)
        if best is None or rank > (best.shot.marks.rating, best.shot.seq):
            chosen[item.person.id] = item
    return chosen


def measurements_of(shot: Shot) -> dict[str, object]:
    analysis = shot.analysis or {}
    values = analysis.get("measurements")
    return dict(values) if isinstance(values, dict) else {}


def team_report(shots: Sequence[Shot], people: Sequence[Person], assigned: dict[str, str],
                look: HouseLook | None,
                approvals: Mapping[str, Approval] | None = None,
                verdicts: Mapping[str, LeadVerdict] | None = None) -> Report:
    """Roster order: each person's chosen pick against the house look, or 'no pick'. With
    ``approvals`` (a day with sign-off), a person's approved shot is their pick and each row
    says whether they are approved, waiting or missing."""
    team = team_shots(shots, people, assigned)
    chosen = chosen_picks(team)
    if approvals:
        by_key = {t.shot.key: t for t in team}
        for person_id, approval in approvals.items():
            if approval.shot in by_key:
                chosen[person_id] = by_key[approval.shot]
    photographed = {t.person.id for t in team if t.person is not None}
    hearted: dict[str, list[str]] = {}
    notes: dict[str, list[str]] = {}
    for entry in team:
        if entry.person is not None and entry.shot.client.favourite:
            hearted.setdefault(entry.person.id, []).append(entry.shot.display_name)
        if entry.person is not None:
            notes.setdefault(entry.person.id, []).extend(
                f"“{comment}” ({entry.shot.display_name})"
                for comment in entry.shot.client.comments)
    rows = []
    for person in people:
        item = chosen.get(person.id)
        row = missing_row(person.name, person.id) if item is None else row_for(
            item.shot.display_name, person.name, measurements_of(item.shot), look,
            person_id=person.id)
        retouch = tuple(f"{n.number}. {n.text}" for n in item.shot.notes) if item else ()
        rows.append(replace(row, client_favourites=tuple(hearted.get(person.id, ())),
                            client_notes=tuple(notes.get(person.id, ())),
                            retouch_notes=retouch,
                            signoff=status_of(person, approvals, photographed)
                            if approvals else "",
                            lead=_lead_word(verdicts or {}, approvals or {}, person.id)))
    return Report(tuple(rows), look)


def _lead_word(verdicts: Mapping[str, LeadVerdict], approvals: Mapping[str, Approval],
               person_id: str) -> str:
    """The lead's word on the person's standing approval, in a few words ('' none)."""
    said = standing(verdicts, approvals, person_id)
    if said is None:
        return ""
    word = "vetoed" if said.veto else "accepted"
    return f"{word}: {said.note}" if said.note else word


def deliver_items(shots: Sequence[Shot], people: Sequence[Person], assigned: dict[str, str],
                  picks_only: bool,
                  named: Callable[[Path], list[str]] | None = None) -> list[DeliverItem]:
    """The shots to deliver (never a reject; only picks if asked), each with its person (or,
    for a shot the roster does not know, the first name ``named`` finds in its sidecar) and
    its stored measurements."""
    items = []
    for entry in team_shots(shots, people, assigned):
        shot = entry.shot
        if shot.rejected or (picks_only and shot.marks.pick != 1):
            continue
        name, pid = (entry.person.name, entry.person.id) if entry.person else ("", "")
        if not name and named is not None:
            found = named(shot.path)
            name = found[0] if found else ""
        items.append(DeliverItem(shot.path, measurements_of(shot), name, pid,
                                 eyes_of(shot.analysis)))
    return items
