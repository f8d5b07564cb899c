"""What the proofing page may show, as one immutable value handed from the session model's
owner thread to the proofing server's: the client-safe shots (the client display's rule) with
an opaque id each (from the catalogued content key, so it never names a path), their person
and the clients' hearts. The server answers from the newest view it was given and keeps no
other copy. Pure Python; built on the model's owner thread; read on any.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from session.model.live_session import SessionModel, Shot
from session.people.approvals import day_status
from session.people.lead_verdicts import standing

ID_CHARS = 16


@dataclass(frozen=True)
class ProofShot:
    id: str
    key: str                  # the shot's file name in its session
    name: str                 # shown to the client
    taken: float
    path: Path
    person_id: str = ""
    hearts: int = 0
    person: str = ""          # the person's name (a headshot day), '' for nobody's

    def as_json(self, image_url: str) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "taken": round(self.taken, 3),
                "image": image_url, "hearts": self.hearts, "person": self.person}


@dataclass(frozen=True)
class SignOffLine:
    """One person of a headshot day on the lead's page: how their sign-off stands."""

    person: str               # the name
    status: str               # approved / waiting / missing
    shot_id: str = ""         # the approved shot's id ('' none, or not client-safe)
    key: str = ""             # opaque, for the lead's veto or note (never the roster id)
    person_id: str = ""       # the roster id: kept on the studio's side, never sent
    shot: str = ""            # the approved shot's key (for the verdict), never sent
    veto: bool = False        # the lead's word on the standing approval
    note: str = ""

    def as_json(self) -> dict[str, object]:
        return {"person": self.person, "status": self.status, "shot": self.shot_id,
                "key": self.key, "veto": self.veto, "note": self.note}


def person_key(person_id: str) -> str:
    return hashlib.sha256(f"catchlight-person:{person_id}".encode(
        "utf-8", "surrogatepass")).hexdigest()[:ID_CHARS]


@dataclass(frozen=True)
class ProofView:
    version: int = 0
    shots: tuple[ProofShot, ...] = ()
    by_id: Mapping[str, ProofShot] = field(default_factory=lambda: MappingProxyType({}))
    crop: tuple[int, int] | None = None      # the photographer's aspect mask: phones see it
    signoff: tuple[SignOffLine, ...] = ()    # a headshot day's sign-off, for the lead only
    closed: bool = False                     # the day is closed: the lead's word is final

    def visible(self, person_id: str | None) -> tuple[ProofShot, ...]:
        """The lead (None) sees every shot; a person only their own."""
        if person_id is None:
            return self.shots
        return tuple(s for s in self.shots if s.person_id == person_id)

    def shot(self, shot_id: str, person_id: str | None) -> ProofShot | None:
        found = self.by_id.get(shot_id)
        if found is None or (person_id is not None and found.person_id != person_id):
            return None
        return found


def shot_id(shot: Shot) -> str:
    return hashlib.sha256(f"catchlight-proof:{shot.content_key}:{shot.key}".encode(
        "utf-8", "surrogatepass")).hexdigest()[:ID_CHARS]


def build_view(model: SessionModel, assigned: Mapping[str, str], version: int,
               checked_only: bool = True, crop: tuple[int, int] | None = None) -> ProofView:
    """The model's client-safe shots now (owner thread; about 1 ms for 2,000 shots)."""
    shots = []
    names = {p.id: p.name for p in model.people}
    ids = {shot.key: shot_id(shot) for shot in model.shots}
    for shot in model.client_safe_shots(checked_only):
        person = next((assigned[n] for n in shot.names if n in assigned), "")
        shots.append(ProofShot(shot_id(shot), shot.key, shot.display_name, shot.taken,
                               shot.path, person, shot.client.hearts, names.get(person, "")))
    by_id = MappingProxyType({s.id: s for s in shots})
    return ProofView(version, tuple(shots), by_id, crop, signoff_lines(model, ids, by_id),
                     model.day_closed is not None)


def signoff_lines(model: SessionModel, ids: Mapping[str, str],
                  served: Mapping[str, ProofShot]) -> tuple[SignOffLine, ...]:
    """The roster's sign-off in its order (empty before the first approval of the day)."""
    approvals = model.approvals
    if not approvals or not model.people:
        return ()
    photographed = {s.person for s in model.shots if s.person}
    statuses = day_status(model.people, approvals, photographed)
    lines = []
    for person in model.people:
        approval = approvals.get(person.id)
        shown = ids.get(approval.shot, "") if approval is not None else ""
        said = standing(model.verdicts, approvals, person.id)
        lines.append(SignOffLine(person.name, statuses[person.id],
                                 shown if shown in served else "", person_key(person.id),
                                 person.id, approval.shot if approval is not None else "",
                                 bool(said and said.veto), said.note if said else ""))
    return tuple(lines)
