"""The live session model: the one place that knows an open session's shots (their files,
display file, sequence, time), their culling marks, coaching flags, analysis, the clients'
hearts, and on a headshot day the roster and the person in each shot. Windows, the client
display, the roster, the consistency report and exports read it and listen to its events;
none keeps a copy.

Thread contract: a model belongs to one owner thread (the GUI thread in the app, the calling
thread in scripts and tests). Every method is called there and listeners are called
synchronously there. Reading a session from disk happens elsewhere (session_snapshot, any
thread) and the snapshot is handed to ``open`` on the owner thread. Marks go through the
session's Culler (catalog + merged XMP sidecar) as the keys do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType

from session.culling.culling import Culler, SidecarScan
from session.culling.retouch_notes import RetouchNote
from session.culling.xmp_sidecar import CullMarks
from session.model.favourite import ClientFavourite
from session.model.flags import CLIENT_FAVOURITE, Flag, client_safe, flags_from
from session.model.link import Link
from session.people.approvals import Approval
from session.people.hero_frame import DAY, HeroFrame
from session.people.house_look import HouseLook
from session.people.lead_verdicts import LeadVerdict
from session.people.roster import Person
from session.store.filenames import shown

MARKS = "marks"
ANALYSIS = "analysis"
CLIENT = "client"          # the client's hearts and comments (proofing)
PERSON = "person"          # the person in the shot (headshot day)
NOTES = "notes"            # the retouch notes pinned on it
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Shot:
    key: str                          # the display file's name: unique in its session
    path: Path                        # the display file (the JPEG of a RAW+JPEG pair)
    names: tuple[str, ...]            # every file of the shot
    seq: int
    taken: float
    content_key: str                  # catalogued SHA-256, or size and time for other files
    camera: str = ""
    marks: CullMarks = CullMarks()
    flags: tuple[Flag, ...] = ()
    analysis: Mapping[str, object] | None = field(default=None, compare=False)
    client: ClientFavourite = ClientFavourite()
    person: str = ""                  # the roster id of the person in the shot ('' nobody's)
    notes: tuple[RetouchNote, ...] = ()   # retouch notes pinned on it, in number order

    @property
    def name(self) -> str:
        return self.key

    @property
    def captured_at(self) -> float:
        return self.taken

    @property
    def display_name(self) -> str:
        return shown(self.key)

    @property
    def rejected(self) -> bool:
        return self.marks.pick == -1

    @property
    def tags(self) -> list[str]:
        """What the windows badge and filter on: the capture flags, and ``client_favourite``
        when a client hearted the shot."""
        return [*self.flags, *([CLIENT_FAVOURITE] if self.client.favourite else [])]


@dataclass(frozen=True)
class SessionSnapshot:
    """A session as read from disk (session_snapshot.load_snapshot), ready to open."""

    folder: Path
    name: str
    shots: tuple[Shot, ...]
    scan: SidecarScan
    problems: tuple[str, ...] = ()
    readonly: str = ""                # why nothing may be changed ('' when it may)
    catalog_sound: bool = True
    people: tuple[Person, ...] = ()   # the day's roster, in its order
    house_look: HouseLook | None = None   # the framing and light the day aims at
    # the hero frames: person id ('' for the whole day) -> the frame the coach steers to
    heroes: Mapping[str, HeroFrame] = field(default_factory=dict)
    # sign-off: person id -> their standing approval; when the day was closed (None: open)
    approvals: Mapping[str, Approval] = field(default_factory=dict)
    day_closed: float | None = None
    verdicts: Mapping[str, LeadVerdict] = field(default_factory=dict)   # the lead's word


@dataclass(frozen=True)
class SessionSwitched:
    folder: Path | None


@dataclass(frozen=True)
class ShotAdded:
    shot: Shot
    row: int


@dataclass(frozen=True)
class ShotChanged:
    shot: Shot
    what: str                         # MARKS, ANALYSIS, CLIENT, PERSON or NOTES
    before: Shot


@dataclass(frozen=True)
class ShotMissing:
    key: str


@dataclass(frozen=True)
class PeopleChanged:
    people: tuple[Person, ...]


@dataclass(frozen=True)
class HouseLookChanged:
    look: HouseLook | None


@dataclass(frozen=True)
class HeroChanged:
    heroes: Mapping[str, HeroFrame]


@dataclass(frozen=True)
class ApprovalsChanged:
    approvals: Mapping[str, Approval]
    day_closed: float | None


@dataclass(frozen=True)
class LinksChanged:
    links: tuple[Link, ...]


def assignments(shots: Collection[Shot]) -> dict[str, str]:
    """File name -> person id for every file of every shot that has its person (the shape
    the catalog, the report and the phones' views speak)."""
    return {name: shot.person for shot in shots if shot.person for name in shot.names}


def person_in(shot: Shot, assigned: Mapping[str, str]) -> str:
    """The person id ``assigned`` gives any of the shot's files ('' when none)."""
    return next((assigned[n] for n in shot.names if n in assigned), "")


Event = (SessionSwitched | ShotAdded | ShotChanged | ShotMissing | PeopleChanged
         | HouseLookChanged | HeroChanged | ApprovalsChanged | LinksChanged)
Listener = Callable[[Event], None]


class SessionModel:
    def __init__(self) -> None:
        self.folder: Path | None = None
        self.loading: Path | None = None      # a snapshot of this folder is being read
        self.name = ""
        self.readonly = ""
        self.problems: tuple[str, ...] = ()
        self.conflicts: list[str] = []        # shots whose marks another program changed
        self.catalog_sound = True
        self._shots: list[Shot] = []
        self._rows: dict[str, int] = {}
        self._people: tuple[Person, ...] = ()
        self._house_look: HouseLook | None = None
        self._heroes: dict[str, HeroFrame] = {}
        self._approvals: dict[str, Approval] = {}
        self._day_closed: float | None = None
        self._verdicts: dict[str, LeadVerdict] = {}
        self._links: tuple[Link, ...] = ()        # the proofing links being served
        self._listeners: list[Listener] = []
        self._culler: Culler | None = None

    # --- listening -----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` for every change; returns the way to stop."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners \
            else None

    def _emit(self, event: Event) -> None:
        """Every listener hears ``event``; one that raises (a window's bridge whose Qt object
        is gone) is logged and dropped, and the rest and the change itself go on."""
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.warning("a session listener failed and was dropped: %r", listener,
                            exc_info=True)
                if listener in self._listeners:
                    self._listeners.remove(listener)

    # --- reading -------------------------------------------------------------------------------
    @property
    def shots(self) -> tuple[Shot, ...]:
        return tuple(self._shots)

    def __len__(self) -> int:
        return len(self._shots)

    def shot(self, key: str) -> Shot | None:
        row = self._rows.get(key)
        return self._shots[row] if row is not None else None

    def row_of(self, key: str) -> int | None:
        return self._rows.get(key)

    def at(self, row: int) -> Shot:
        return self._shots[row]

    def marks(self, key: str) -> CullMarks:
        shot = self.shot(key)
        return shot.marks if shot is not None else CullMarks()

    def rejected(self) -> set[str]:
        return {s.key for s in self._shots if s.rejected}

    def latest_for_client(self, checked_only: bool = True,
                          exclude: Collection[str] = (), person: str | None = None
                          ) -> Shot | None:
        """The newest shot the client may see unasked: not rejected, no client-unsafe flag
        and (``checked_only``) already looked at by the face model; with ``person`` (a roster
        id), only that person's (the one in the chair never sees a colleague's shot)."""
        for shot in reversed(self._shots):
            if shot.key in exclude or shot.rejected or not client_safe(shot.flags):
                continue
            if person is not None and shot.person != person:
                continue
            if checked_only and shot.analysis is None:
                continue
            return shot
        return None

    @property
    def loaded(self) -> bool:
        return self.folder is not None

    # --- changing ------------------------------------------------------------------------------
    def open(self, snapshot: SessionSnapshot) -> None:
        """Show ``snapshot``'s session (its sidecars' newer marks are taken in)."""
        self._close_culler()
        culler = Culler(snapshot.folder, snapshot.name, {s.key: s.path for s in snapshot.shots},
                        snapshot.scan)
        self._culler = culler
        if snapshot.folder != self.folder:
            self._links = ()                  # the same session read again keeps its links
        self.folder, self.name = snapshot.folder, snapshot.name
        self.readonly, self.catalog_sound = snapshot.readonly, snapshot.catalog_sound
        self.problems = snapshot.problems + tuple(culler.problems)
        self.conflicts = list(culler.conflicts)
        self._shots = [replace(s, marks=culler.marks(s.key)) for s in snapshot.shots]
        self._rows = {s.key: i for i, s in enumerate(self._shots)}
        self._people = snapshot.people
        self._house_look = snapshot.house_look
        self._heroes = dict(snapshot.heroes)
        self._approvals = dict(snapshot.approvals)
        self._day_closed = snapshot.day_closed
        self._verdicts = dict(snapshot.verdicts)
        self._emit(SessionSwitched(self.folder))

    def add(self, shot: Shot) -> Shot | None:
        """A new capture joins the session (None if its key is already here)."""
        if self.folder is None or shot.key in self._rows:
            return None
        if self._culler is not None:
            self._culler.originals[shot.key] = shot.path
            shot = replace(shot, marks=self._culler.marks(shot.key))
        self._rows[shot.key] = len(self._shots)
        self._shots.append(shot)
        self._emit(ShotAdded(shot, len(self._shots) - 1))
        return shot

    def set_analysis(self, key: str, analysis: Mapping[str, object] | None,
                     flags: tuple[Flag, ...] | list[str]) -> None:
        shot = self.shot(key)
        if shot is None:
            return
        self._replace(shot, replace(shot, analysis=analysis if analysis is not None
                                    else shot.analysis, flags=flags_from(flags)), ANALYSIS)

    def set_client(self, key: str, said: ClientFavourite) -> None:
        """The client's hearts and comments on shot ``key`` (already in the catalog)."""
        shot = self.shot(key)
        if shot is not None and shot.client != said:
            self._replace(shot, replace(shot, client=said), CLIENT)

    def set_notes(self, key: str, notes: tuple[RetouchNote, ...]) -> None:
        """The retouch notes of shot ``key`` (already in the catalog and its sidecar)."""
        shot = self.shot(key)
        if shot is not None and shot.notes != notes:
            self._replace(shot, replace(shot, notes=notes), NOTES)

    def client_safe_shots(self, checked_only: bool = True) -> list[Shot]:
        """Every shot the client may see, in capture order (the rule of the client
        display: never a reject, never a client-unsafe flag, and, with ``checked_only``,
        only once the face model has looked at it)."""
        return [s for s in self._shots if not s.rejected and client_safe(s.flags)
                and (s.analysis is not None or not checked_only)]

    def press(self, key: str, cull_key: str) -> CullMarks | None:
        """A culling key on shot ``key``: to the catalog and its sidecar, then to every
        listener. None for a key that is not a culling key, or a read-only session."""
        shot = self.shot(key)
        if shot is None or self._culler is None:
            return None
        marks = self._culler.press(key, cull_key)
        if marks is not None:
            self._replace(shot, replace(shot, marks=marks), MARKS)
        return marks

    def undo(self) -> str | None:
        """Undo the last mark (of any window); returns the shot's key."""
        undone = self._culler.undo() if self._culler else None
        if undone is None:
            return None
        key, marks = undone
        shot = self.shot(key)
        if shot is not None:
            self._replace(shot, replace(shot, marks=marks), MARKS)
        return key

    # --- people (a headshot day) ---------------------------------------------------------------
    @property
    def people(self) -> tuple[Person, ...]:
        """The day's roster in its order (empty: not a headshot day)."""
        return self._people

    def set_people(self, people: Sequence[Person], assigned: Mapping[str, str]) -> None:
        """The roster and who is in which shot (file name -> person id), as just read from
        the catalog: every listener hears the people, and each shot whose person changed. A
        shot the read does not name keeps its person (it may have been given one while the
        catalog was being read: no shot is ever given back to nobody)."""
        people = tuple(people)
        if people != self._people:
            self._people = people
            self._emit(PeopleChanged(people))
        for shot in list(self._shots):
            person = person_in(shot, assigned)
            if person:
                self.set_person(shot.key, person)

    @property
    def house_look(self) -> HouseLook | None:
        """The framing and light the day aims at (None: the style profile's)."""
        return self._house_look

    def set_house_look(self, look: HouseLook | None) -> None:
        """The session's house look, already kept in its catalog."""
        if look != self._house_look:
            self._house_look = look
            self._emit(HouseLookChanged(look))

    @property
    def heroes(self) -> Mapping[str, HeroFrame]:
        """The hero frames: person id ('' for the whole day) -> the frame aimed at."""
        return MappingProxyType(self._heroes)

    def hero_for(self, person: str) -> HeroFrame | None:
        """The hero frame ``person`` is shot against: their own, else the day's."""
        return self._heroes.get(person) or self._heroes.get(DAY)

    def set_hero(self, person: str, hero: HeroFrame | None) -> None:
        """``person``'s hero frame ('' for the day; None forgets it), already kept in the
        session's catalog."""
        if self._heroes.get(person) != hero:
            if hero is None:
                self._heroes.pop(person, None)
            else:
                self._heroes[person] = hero
            self._emit(HeroChanged(MappingProxyType(dict(self._heroes))))

    # --- sign-off --------------------------------------------------------------------------------
    @property
    def approvals(self) -> Mapping[str, Approval]:
        """Person id -> their standing approval (its delivered file verified)."""
        return MappingProxyType(self._approvals)

    @property
    def day_closed(self) -> float | None:
        """When the day was closed (None: approvals may still change)."""
        return self._day_closed

    def set_approval(self, approval: Approval) -> None:
        """``approval`` stands for its person, already kept in the session's catalog."""
        if self._approvals.get(approval.person_id) != approval:
            self._approvals[approval.person_id] = approval
            self._emit(ApprovalsChanged(MappingProxyType(dict(self._approvals)),
                                        self._day_closed))

    @property
    def verdicts(self) -> Mapping[str, LeadVerdict]:
        """Person id -> the lead's veto or note (on the approval it was given on)."""
        return MappingProxyType(self._verdicts)

    def set_verdict(self, verdict: LeadVerdict) -> None:
        """The lead's word on a person, already kept in the catalog (by the proofing
        server)."""
        if self._verdicts.get(verdict.person_id) != verdict:
            self._verdicts[verdict.person_id] = verdict
            self._emit(ApprovalsChanged(MappingProxyType(dict(self._approvals)),
                                        self._day_closed))

    def set_day_closed(self, when: float) -> None:
        """The day was closed (kept in the catalog already)."""
        if self._day_closed is None:
            self._day_closed = when
            self._emit(ApprovalsChanged(MappingProxyType(dict(self._approvals)), when))

    # --- proofing --------------------------------------------------------------------------------
    @property
    def links(self) -> tuple[Link, ...]:
        """The links the phones are being served (empty: not sharing)."""
        return self._links

    def set_links(self, links: tuple[Link, ...]) -> None:
        """The links now served, already kept in the catalog (empty: sharing stopped)."""
        if links != self._links:
            self._links = tuple(links)
            self._emit(LinksChanged(self._links))

    def set_person(self, key: str, person_id: str) -> None:
        """Shot ``key`` is ``person_id``'s ('' nobody's); already kept in the catalog."""
        shot = self.shot(key)
        if shot is not None and shot.person != person_id:
            self._replace(shot, replace(shot, person=person_id), PERSON)

    def mark_missing(self, key: str) -> None:
        if key in self._rows:
            self._emit(ShotMissing(key))

    @property
    def culling_problems(self) -> list[str]:
        """Sidecars that could not be written or read (newest last)."""
        return list(self._culler.problems) if self._culler else []

    def _replace(self, before: Shot, after: Shot, what: str) -> None:
        row = self._rows[before.key]
        self._shots[row] = after
        self._emit(ShotChanged(after, what, before))

    def _close_culler(self) -> None:
        if self._culler is not None:
            self._culler.close()
            self._culler = None

    def close(self) -> None:
        self._close_culler()
        self._listeners.clear()


class SessionModels:
    """The open session models, one per folder, shared by every window that shows that
    folder (so a mark in one shows in all). Owner thread as the models'."""

    def __init__(self) -> None:
        self._open: dict[Path, tuple[SessionModel, int]] = {}

    def acquire(self, folder: Path) -> tuple[SessionModel, bool]:
        """The model of ``folder`` and whether it still has to be loaded (the caller that
        gets True loads it and calls ``open``)."""
        key = Path(folder)
        if key in self._open:
            model, users = self._open[key]
            self._open[key] = (model, users + 1)
            return model, False
        model = SessionModel()
        self._open[key] = (model, 1)
        return model, True

    def get(self, folder: Path) -> SessionModel | None:
        entry = self._open.get(Path(folder))
        return entry[0] if entry else None

    def release(self, folder: Path) -> None:
        key = Path(folder)
        if key not in self._open:
            return
        model, users = self._open[key]
        if users > 1:
            self._open[key] = (model, users - 1)
        else:
            del self._open[key]
            model.close()

    def close(self) -> None:
        for model, _users in self._open.values():
            model.close()
        self._open.clear()
