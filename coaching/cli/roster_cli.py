"""``python main.py roster SESSION [--import FILE] [--add NAME] [--cards PDF] [--assign ID
FILE...]``: a headshot day's roster from the command line. Imports a roster CSV (a bad file
is refused whole, with its line numbers and reasons, exit 2), adds a walk-in, writes the QR
cards, gives shots to a person (a missed card), and lists the roster with each person's
shots.

Command line only; blocks while it works. ``write_cards`` is handed in by main.py (it paints
with Qt, which session/ does not import).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from coaching.cli.named_shots import named_shots
from session.culling.xmp_sidecar import SidecarUnreadable
from session.people.person_record import record_person
from session.people.roster import Person, RosterError, parse_roster
from session.people.roster_store import RosterReadOnly, RosterStore
from session.review.review_listing import list_session
from session.store.catalog import CATALOG_NAME


def assign_shots(folder: Path, roster: list[Person], assigned: dict[str, str],
                 wanted: list[str], out: TextIO, err: TextIO) -> int:
    """``wanted``: a person's id (or exact name), then the shots' files or names. Every file
    of each shot (a RAW+JPEG pair) becomes that person's, in the catalog and the sidecars;
    file names stay (a file may already have been delivered under its name)."""
    who, *files = wanted
    person = next((p for p in roster if p.id == who), None) or \
        next((p for p in roster if p.name == who), None)
    if person is None:
        print(f"error: nobody with the id {who!r} is in the roster", file=err)
        return 1
    if not files:
        print("error: --assign needs the shots' files after the person's id", file=err)
        return 2
    shots, status = named_shots(list_session(folder), files, err)
    names = {p.id: p.name for p in roster}
    paths, previous = [], {}
    for shot in shots:
        for name in shot.names:
            path = folder / name
            paths.append(path)
            previous[path] = names.get(assigned.get(name, ""), "")
    if paths:
        record_person(folder, paths, person, previous)
        count = len(shots)
        print(f"{count} shot(s) now {person.name}'s ({person.id}); file names unchanged",
              file=out)
    return status


def run_roster(folder: Path, import_file: Path | None, add: list[str], cards: Path | None,
               write_cards: Callable[[Path, list[Person], str], int] | None = None,
               out: TextIO = sys.stdout, err: TextIO = sys.stderr,
               assign: list[str] | None = None) -> int:
    """0 done; 1 the session cannot be used or changed, the cards failed or a shot to
    assign was not found; 2 a refused roster file."""
    folder = Path(folder)
    if not (folder / CATALOG_NAME).is_file():
        print(f"error: {folder} is not a Catchlight session (no {CATALOG_NAME})", file=err)
        return 1
    people: list[Person] | None = None
    if import_file is not None:
        try:
            people = parse_roster(Path(import_file).read_bytes())
        except OSError as exc:
            print(f"error: {import_file}: {exc.strerror or exc}", file=err)
            return 1
        except RosterError as exc:
            print(f"error: {import_file}: {exc}", file=err)
            return 2
    store = RosterStore(folder)
    try:
        if people is not None:
            report = store.import_people(people)
            print(f"{import_file}: {report.line()}", file=out)
        for name in add:
            person = store.add_person(name)
            print(f"added {person.name} ({person.id})", file=out)
        roster = store.people()
        assigned = store.assignments()
    except (RosterReadOnly, ValueError) as exc:
        print(f"error: {exc}", file=err)
        return 1
    finally:
        store.close()
    status = 0
    if assign:
        try:
            status = assign_shots(folder, roster, assigned, assign, out, err)
        except (RosterReadOnly, OSError, SidecarUnreadable) as exc:
            print(f"error: {exc}", file=err)
            return 1
        store = RosterStore(folder)
        try:
            assigned = store.assignments()
        finally:
            store.close()
    shots = Counter(assigned.values())
    if cards is not None:
        if write_cards is None:
            print("error: cards cannot be written here", file=err)
            return 1
        try:
            pages = write_cards(cards, roster, folder.name)
        except OSError as exc:
            print(f"error: {exc}", file=err)
            return 1
        print(f"{cards}: {len(roster)} cards on {pages} page(s)", file=out)
    for person in roster:
        print(f"{person.id}\t{person.name}\t{person.dept}\t{shots.get(person.id, 0)} shot(s)",
              file=out)
    return status
