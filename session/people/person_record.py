"""Giving shots to a person: the catalog's assignment and the person in each shot's sidecars
(PersonInImage, keywords, the main face's region), merged with whatever else is there; the
culling store learns the sidecar it now holds is still Catchlight's own. Used by the roster
panel, ``shoot --person`` and ``roster --assign``.

Pure Python; a background thread (the GUI) or the command line's thread; blocks for a few
small writes per shot.
"""

from __future__ import annotations

from pathlib import Path

from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import SidecarWritten, sidecar_path, write_person
from session.people.roster import Person
from session.people.roster_store import RosterStore


def record_person(folder: Path, paths: list[Path], person: Person,
                  previous: dict[Path, str] | None = None) -> None:
    """``paths``: every file of the shots; ``previous``: the name a reassigned file had,
    taken out of its sidecar."""
    previous = previous or {}
    store = RosterStore(folder)
    try:
        for path in paths:
            store.assign(path.name, person.id)
    finally:
        store.close()
    culling = CullingStore(folder)
    try:
        for sidecar in dict.fromkeys(sidecar_path(p) for p in paths):
            pair = [p for p in paths if sidecar_path(p) == sidecar]

            def record(written: SidecarWritten, pair: list[Path] = pair) -> None:
                for path in pair:
                    culling.set_sidecar_sha(path.name, written.sha256)

            write_person(pair[0], person.name, previous.get(pair[0], ""), then=record)
    finally:
        culling.close()
