"""Retouch notes pinned on a spot of a shot ("stray hair", "soften the shine", "keep the
freckles"): numbered per shot, kept in the session catalog and in the shot's sidecars as
mwg-rs regions with the note as their description (session.culling.xmp_regions), where a
retoucher's tools (exiftool, digiKam, Lightroom's region readers) find them.

Pure Python (sqlite3); the thread that asks (a background thread for the windows, the
proofing child for a client's note); each change blocks for a few small writes.
"""

from __future__ import annotations

import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from session.culling.culling_store import CullingStore
from session.culling.xmp_regions import note_region, write_regions
from session.culling.xmp_sidecar import _merge
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore
from session.store.filenames import from_db, to_db

MAX_NOTE = 200                      # characters: a note, not a letter
AUTHORS = ("photographer", "client")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS retouch_notes (
    name TEXT NOT NULL,
    number INTEGER NOT NULL,
    x REAL NOT NULL,
    y REAL NOT NULL,
    text TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at REAL NOT NULL,
    PRIMARY KEY (name, number)
);
"""


@dataclass(frozen=True)
class RetouchNote:
    number: int                     # 1, 2, … on this shot, as the pins are drawn
    x: float                        # 0..1 of the picture as shown
    y: float
    text: str
    author: str = "photographer"


class NoteRefused(ValueError):
    """A note that cannot be pinned; the message says why in a photographer's words."""


def clean_note(text: str) -> str:
    """One line of plain text (control characters and markup are just characters), at most
    MAX_NOTE long; NoteRefused for an empty note."""
    flat = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    flat = " ".join(flat.split())
    if not flat:
        raise NoteRefused("A retouch note needs a few words (\"stray hair\").")
    return flat[:MAX_NOTE]


class RetouchStore(CatalogStore):
    SCHEMA = _SCHEMA

    def notes(self, name: str) -> tuple[RetouchNote, ...]:
        if not has_table(self.db, "retouch_notes"):
            return ()
        rows = self.db.execute("SELECT number, x, y, text, author FROM retouch_notes WHERE "
                               "name=? ORDER BY number", (to_db(name),))
        return tuple(RetouchNote(*row) for row in rows)

    def all(self) -> dict[str, tuple[RetouchNote, ...]]:
        if not has_table(self.db, "retouch_notes"):
            return {}
        found: dict[str, list[RetouchNote]] = {}
        for name, *row in self.db.execute("SELECT name, number, x, y, text, author FROM "
                                          "retouch_notes ORDER BY name, number"):
            found.setdefault(from_db(name), []).append(RetouchNote(*row))
        return {name: tuple(notes) for name, notes in found.items()}

    def add(self, name: str, x: float, y: float, text: str, author: str) -> None:
        with self.db:
            (last,) = self.db.execute("SELECT COALESCE(MAX(number), 0) FROM retouch_notes "
                                      "WHERE name=?", (to_db(name),)).fetchone()
            self.db.execute("INSERT INTO retouch_notes(name, number, x, y, text, author, "
                            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (to_db(name), last + 1, x, y, text, author, time.time()))

    def remove(self, name: str, number: int) -> None:
        """Take note ``number`` off; the later ones move up, so the pins stay 1, 2, 3…"""
        with self.db:
            self.db.execute("DELETE FROM retouch_notes WHERE name=? AND number=?",
                            (to_db(name), number))
            rows = self.db.execute("SELECT number FROM retouch_notes WHERE name=? ORDER BY "
                                   "number", (to_db(name),)).fetchall()
            for new, (old,) in enumerate(rows, start=1):
                if new != old:
                    self.db.execute("UPDATE retouch_notes SET number=? WHERE name=? AND "
                                    "number=?", (new, to_db(name), old))


def _changeable(store: RetouchStore) -> None:
    if store.readonly:
        raise NoteRefused("This session may not be changed (read-only media or files); "
                          "the note was not pinned.")


def _into_sidecar(folder: Path, original: Path, notes: tuple[RetouchNote, ...]) -> None:
    regions = [note_region(n.x, n.y, n.text, n.number) for n in notes]
    culling = CullingStore(folder)
    try:
        _merge(original, lambda document: write_regions(document, regions, ("note",), None),
               then=lambda written: culling.set_sidecar_sha(original.name, written.sha256))
    finally:
        culling.close()


def pin_note(folder: Path, original: Path, x: float, y: float, text: str,
             author: str = "photographer") -> tuple[RetouchNote, ...]:
    """Pin a note at (x, y) of ``original`` (0..1 of the picture as shown); the shot's notes
    after it. NoteRefused for an empty note or a spot off the picture; OSError when the
    catalog or the sidecar cannot be written (the catalog keeps the note either way)."""
    if not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        raise NoteRefused("A retouch note goes on the picture itself.")
    if author not in AUTHORS:
        raise NoteRefused(f"unknown author {author!r}")
    text = clean_note(text)
    store = RetouchStore(folder)
    try:
        _changeable(store)
        store.add(original.name, x, y, text, author)
        notes = store.notes(original.name)
    finally:
        store.close()
    _into_sidecar(folder, original, notes)
    return notes


def unpin_note(folder: Path, original: Path, number: int) -> tuple[RetouchNote, ...]:
    """Take note ``number`` off ``original``; the shot's notes after it."""
    store = RetouchStore(folder)
    try:
        _changeable(store)
        store.remove(original.name, number)
        notes = store.notes(original.name)
    finally:
        store.close()
    _into_sidecar(folder, original, notes)
    return notes


def session_notes(folder: Path) -> dict[str, tuple[RetouchNote, ...]]:
    store = RetouchStore(folder)
    try:
        return store.all()
    finally:
        store.close()
