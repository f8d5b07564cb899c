"""``python main.py roster SESSION [--import FILE] [--add NAME] [--cards PDF]``: a headshot
day's roster from the command line. Imports a roster CSV (a bad file is refused whole, with
its line numbers and reasons, exit 2), adds a walk-in, writes the QR cards, and lists the
roster with each person's shots.

Command line only; blocks while it works. ``write_cards`` is handed in by main.py (it paints
with Qt, which session/ does not import).
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from session.people.roster import Person, RosterError, parse_roster
from session.people.roster_store import RosterReadOnly, RosterStore
from session.store.catalog import CATALOG_NAME


def run_roster(folder: Path, import_file: Path | None, add: list[str], cards: Path | None,
               write_cards: Callable[[Path, list[Person], str], int] | None = None,
               out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """0 done; 1 the session cannot be used or changed, or the cards failed; 2 a refused
    roster file."""
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
        shots = Counter(store.assignments().values())
    except (RosterReadOnly, ValueError) as exc:
        print(f"error: {exc}", file=err)
        return 1
    finally:
        store.close()
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
    return 0
