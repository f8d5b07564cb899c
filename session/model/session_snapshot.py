"""Reading a session for the live model, off the owner thread: its shots in capture order
(catalogued and loose files, session.review.review_listing), their stored coaching analysis and
flags, their catalogued marks, the clients' hearts, the roster, each shot's person and the
house look, and the sidecars another program edited since.

Pure Python; any thread (its own catalog connections); blocks on catalog queries, a directory
scan and the sidecars (tens of ms for 2,000 shots).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from session.culling.client_favourites import ClientFavourite, FavouritesStore
from session.culling.culling import scan_sidecars
from session.culling.retouch_notes import RetouchNote, session_notes
from session.model.flags import flags_from
from session.model.live_session import SessionSnapshot, Shot, person_in
from session.people.approvals import Approval, ApprovalStore
from session.people.hero_frame import HeroFrame
from session.people.hero_store import session_heroes
from session.people.house_look import HouseLook
from session.people.house_look_store import session_look
from session.people.lead_verdicts import LeadVerdict, session_verdicts
from session.people.roster import Person
from session.people.roster_store import RosterStore
from session.review.review_listing import ReviewShot, list_session
from session.store.analysis_store import AnalysisStore
from session.store.catalog_place import place_of


def _shot(listed: ReviewShot, analysis: dict[str, dict], flags: dict[str, list[str]],
          client: dict[str, ClientFavourite], assigned: dict[str, str],
          notes: dict[str, tuple[RetouchNote, ...]]) -> Shot:
    shot = Shot(listed.name, listed.path, listed.names, listed.seq, listed.captured_at,
                listed.content_key, "", flags=flags_from(flags.get(listed.name, ())),
                analysis=analysis.get(listed.name),
                client=client.get(listed.name, ClientFavourite()),
                notes=notes.get(listed.path.name, ()))
    return replace(shot, person=person_in(shot, assigned))


def load_snapshot(folder: Path) -> SessionSnapshot:
    folder = Path(folder)
    listing = list_session(folder)
    analysis: dict[str, dict] = {}
    flags: dict[str, list[str]] = {}
    client: dict[str, ClientFavourite] = {}
    people: list[Person] = []
    assigned: dict[str, str] = {}
    look: HouseLook | None = None
    heroes: dict[str, HeroFrame] = {}
    approvals: dict[str, Approval] = {}
    closed: float | None = None
    verdicts: dict[str, LeadVerdict] = {}
    notes: dict[str, tuple[RetouchNote, ...]] = {}
    if listing.catalog_sound:
        store = AnalysisStore(folder)
        try:
            analysis, flags = store.results(), store.flags()
        finally:
            store.close()
        favourites = FavouritesStore(folder)
        try:
            client = favourites.all()
        finally:
            favourites.close()
        roster = RosterStore(folder)
        try:
            people, assigned = roster.people(), roster.assignments()
        finally:
            roster.close()
        look = session_look(folder)
        heroes = session_heroes(folder)
        with ApprovalStore(folder) as signed:
            approvals, closed = signed.current(), signed.closed_at()
        verdicts = session_verdicts(folder)
        notes = session_notes(folder)
    shots = tuple(_shot(s, analysis, flags, client, assigned, notes) for s in listing.shots)
    scan = scan_sidecars(folder, {s.key: s.path for s in shots})
    return SessionSnapshot(folder, listing.session_name, shots, scan, listing.problems,
                           place_of(folder).reason, listing.catalog_sound, tuple(people), look,
                           heroes, approvals, closed, verdicts)
