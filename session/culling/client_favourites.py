"""The client's favourites: hearts and short comments sent from the proofing page, kept in the
session catalog apart from the photographer's marks, one row per shot and phone (two phones
hearting the same shot at once both count; one phone changing its mind replaces its own row),
and written to the shot's XMP sidecar in Catchlight's namespace (``catchlight:ClientFavourite``
True/False and a ``catchlight:ClientComments`` bag), merged with everything else there.

Pure Python (sqlite3); each thread opens its own store; a write is one transaction.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from xml.dom import minidom

from session.culling import xmp_packet
from session.culling.culling_store import CullingStore
from session.culling.xmp_conventions import CATCHLIGHT
from session.culling.xmp_sidecar import SidecarUnreadable, _merge, open_packet, read_bytes
from session.model.favourite import ClientFavourite
from session.store.catalog import has_table
from session.store.catalog_store import CatalogStore
from session.store.filenames import from_db, to_db

log = logging.getLogger(__name__)

MAX_COMMENT = 280            # characters: a line, not a letter
MAX_PHONES_PER_SHOT = 24     # phones whose word on one shot is kept: bounds its sidecar
_SCHEMA = """
CREATE TABLE IF NOT EXISTS client_favourites (
    name TEXT NOT NULL,
    device TEXT NOT NULL,
    favourite INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    changed_at REAL NOT NULL,
    PRIMARY KEY (name, device)
);
"""


class FavouritesReadOnly(PermissionError):
    """The session may not be changed."""


class TooManyPhones(ValueError):
    """So many phones have spoken on this shot that no new one is kept."""


def clean_comment(text: str) -> str:
    """One line of at most MAX_COMMENT characters, control characters removed."""
    kept = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(kept.split())[:MAX_COMMENT]


class FavouritesStore(CatalogStore):
    SCHEMA = _SCHEMA

    def set(self, name: str, device: str, favourite: bool, comment: str) -> ClientFavourite:
        """Record one phone's heart and comment; returns the shot's favourites after it."""
        if self.readonly:
            raise FavouritesReadOnly("This session is read-only: favourites cannot be kept.")
        device = device[:64]
        with self.db:
            phones = {row[0] for row in self.db.execute(
                "SELECT device FROM client_favourites WHERE name=?", (to_db(name),))}
            if device not in phones and len(phones) >= MAX_PHONES_PER_SHOT:
                raise TooManyPhones(f"{MAX_PHONES_PER_SHOT} phones have already said what they "
                                    "think of this shot")
            self.db.execute(
                "INSERT INTO client_favourites(name, device, favourite, comment, changed_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(name, device) DO UPDATE SET "
                "favourite=excluded.favourite, comment=excluded.comment, "
                "changed_at=excluded.changed_at",
                (to_db(name), device, int(favourite), clean_comment(comment), time.time()))
        return self.of(name)

    def of(self, name: str) -> ClientFavourite:
        """What the phones said about one shot (one shot's rows, not the table's)."""
        if not has_table(self.db, "client_favourites"):
            return ClientFavourite()
        rows = list(self.db.execute("SELECT favourite, comment FROM client_favourites WHERE "
                                    "name=? ORDER BY changed_at", (to_db(name),)))
        return ClientFavourite(sum(bool(fav) for fav, _c in rows),
                               tuple(comment for _f, comment in rows if comment))

    def device_says(self, device: str) -> dict[str, tuple[bool, str]]:
        """Shot name -> (favourite, comment) as this phone left them."""
        if not has_table(self.db, "client_favourites"):
            return {}
        return {from_db(name): (bool(fav), comment) for name, fav, comment in self.db.execute(
            "SELECT name, favourite, comment FROM client_favourites WHERE device=?",
            (device[:64],))}

    def all(self) -> dict[str, ClientFavourite]:
        if not has_table(self.db, "client_favourites"):
            return {}
        hearts: dict[str, int] = {}
        comments: dict[str, list[str]] = {}
        for name, fav, comment in self.db.execute(
                "SELECT name, favourite, comment FROM client_favourites ORDER BY changed_at"):
            key = from_db(name)
            hearts[key] = hearts.get(key, 0) + int(bool(fav))
            if comment:
                comments.setdefault(key, []).append(comment)
        return {key: ClientFavourite(hearts[key], tuple(comments.get(key, ())))
                for key in hearts}


def write_favourite(folder: Path, original: Path, said: ClientFavourite) -> None:
    """The shot's favourites into its sidecar (merged); the culling store learns the sidecar
    is still Catchlight's own. Raises OSError when it cannot be written."""
    def change(document: minidom.Document) -> None:
        xmp_packet.set_value(document, CATCHLIGHT, "ClientFavourite",
                             "True" if said.favourite else "False", "catchlight")
        xmp_packet.set_bag(document, CATCHLIGHT, "ClientComments", list(said.comments),
                           "catchlight")

    culling = CullingStore(folder)
    try:
        _merge(original, change,
               then=lambda written: culling.set_sidecar_sha(original.name, written.sha256))
    finally:
        culling.close()


def keep_favourite(folder: Path, original: Path, device: str, favourite: bool,
                   comment: str) -> ClientFavourite:
    """One device's heart and comment on the shot ``original``: into the catalog, then its
    sidecar (a sidecar that cannot be written is logged: the catalog has it). Returns the
    shot's favourites after it. A worker thread; callers serialise writes to one shot."""
    with FavouritesStore(folder) as store:
        said = store.set(original.name, device, favourite, comment)
    try:
        write_favourite(folder, original, said)
    except OSError as exc:
        log.warning("favourite of %s kept in the catalog, sidecar not written: %s",
                    original.name, exc)
    return said


def read_favourite(original: Path) -> tuple[bool | None, list[str]]:
    """What the sidecar says (exiftool reads the same): (favourite or None, comments)."""
    try:
        data = read_bytes(original)
        if data is None:
            return None, []
        document = open_packet(data)
    except (SidecarUnreadable, xmp_packet.PacketUnreadable):
        return None, []
    value = xmp_packet.get(document, CATCHLIGHT, "ClientFavourite")
    return (None if value is None else value == "True",
            xmp_packet.get_bag(document, CATCHLIGHT, "ClientComments"))
