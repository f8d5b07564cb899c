"""The session catalog: SQLite in WAL mode, one row per shot and one per stored file.

Pure Python (stdlib sqlite3). A Catalog object belongs to the thread that opened it (the ingest
thread for writes; readers open their own). Calls block briefly on disk I/O. File names are
stored losslessly (session.store.filenames).
"""

from __future__ import annotations

import os
import sqlite3
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from session.store.catalog_place import (
    CATALOG_NAME,
    SIDE_FILES,
    folder_writable,
    place_of,
    writable_file,
)
from session.store.filenames import from_db, to_db

SCHEMA_VERSION = 2
__all__ = ["CATALOG_NAME", "Catalog", "CatalogDamaged", "ShotRecord", "StoredFile",
           "open_catalog", "storable"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS shots (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    captured_at REAL NOT NULL,
    camera TEXT NOT NULL DEFAULT '',
    from_body_button INTEGER NOT NULL DEFAULT 0,
    recovered INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    shot_id INTEGER NOT NULL REFERENCES shots(id),
    name TEXT NOT NULL UNIQUE,
    camera_path TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    backup_path TEXT,
    stored_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS files_shot ON files(shot_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_FILE_COLUMNS = {"camera_mtime": "REAL NOT NULL DEFAULT 0"}


class CatalogDamaged(RuntimeError):
    """The catalog file is not a sound SQLite database; the message says what is wrong."""


class CatalogReadOnly(sqlite3.OperationalError):
    """The catalog file may not be written by this process."""


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str
    camera_path: str = ""
    backup_path: str | None = None
    camera_mtime: float = 0.0


@dataclass(frozen=True)
class ShotRecord:
    id: int
    seq: int
    captured_at: float
    camera: str
    files: tuple[StoredFile, ...]
    from_body_button: bool = False
    recovered: bool = False


def storable(text: str) -> str:
    """Camera-supplied text as SQLite can hold it: undecodable bytes (lone surrogates from a
    camera's non-UTF-8 names) become visible escapes, the same way every time."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "backslashreplace")


def refuse_links(path: Path) -> None:
    """A catalog or its side files planted as links would let SQLite write elsewhere."""
    for side in SIDE_FILES:
        if os.path.islink(f"{path}{side}"):
            raise CatalogDamaged(f"{Path(f'{path}{side}').name} is a link; Catchlight does not "
                                 "write through links")


def readonly_uri(path: Path) -> str:
    """SQLite's read-only URI of ``path``, quoted: a ``#``, ``?`` or ``%`` in a session's name
    stays part of the path (unquoted, SQLite would open a stray file cut off there)."""
    return f"file:{urllib.parse.quote(str(path))}?mode=ro"


def open_catalog(path: Path, schema: str, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the catalog at ``path`` (WAL, fully synced commits) with ``schema``'s
    tables created if missing; read-only on request (then nothing is created). One connection
    per thread."""
    refuse_links(path)
    if readonly:
        # SQLite makes its side files with the catalog's own permissions, so a read-only
        # catalog opened normally would stay read-only after its owner fixes it: one we may
        # not write is read as immutable, which makes no side files.
        uri = readonly_uri(path)
        if not (writable_file(path) and folder_writable(path.parent)):
            return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=10)
        try:
            db = sqlite3.connect(uri, uri=True, timeout=10)
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError:
            db = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=10)
        return db
    if os.path.exists(path) and not writable_file(path):
        raise CatalogReadOnly(f"{path.name} may not be written")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=10)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(schema)
    return db


def has_table(db: sqlite3.Connection, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                      (table,)).fetchone() is not None


def check_sound(path: Path) -> None:
    """Raise CatalogDamaged unless the catalog at ``path`` is a sound database (SQLite's
    quick check: a few ms for thousands of shots)."""
    try:
        db = open_catalog(path, "", readonly=True)
    except sqlite3.Error as exc:
        raise CatalogDamaged(str(exc)) from exc
    try:
        verdict = db.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise CatalogDamaged(str(verdict))
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "readonly" in str(exc) or "unable to open" in str(exc):
            return          # busy or unreadable: not damage
        raise CatalogDamaged(str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise CatalogDamaged(str(exc)) from exc
    finally:
        db.close()


class Catalog:
    """A session's catalog. ``readonly``: for reviewing a session that may not be changed;
    ``path``: another place than the folder's own (a plain folder's catalog in the cache)."""

    def __init__(self, folder: Path, readonly: bool = False, path: Path | None = None) -> None:
        self.path = path or Path(folder) / CATALOG_NAME
        self.readonly = readonly
        self.db = open_catalog(self.path, _SCHEMA, readonly)
        self._migrate()

    @classmethod
    def for_review(cls, folder: Path) -> Catalog:
        """The catalog to review ``folder`` with (catalog_place.place_of)."""
        place = place_of(folder)
        if place.readonly and not os.path.exists(place.path):
            raise FileNotFoundError(place.path)
        return cls(folder, place.readonly, place.path)

    def _migrate(self) -> None:
        if self.readonly:
            return
        have = {row[1] for row in self.db.execute("PRAGMA table_info(files)")}
        missing = {c: k for c, k in _FILE_COLUMNS.items() if c not in have}
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if not missing and version >= SCHEMA_VERSION:
            return              # nothing to write (a catalog that may not be written opens)
        with self.db:
            for column, kind in missing.items():
                self.db.execute(f"ALTER TABLE files ADD COLUMN {column} {kind}")
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self.db.close()

    def writable(self) -> bool:
        """Would a write succeed now? (A real write, rolled back: SQLite opens a catalog it
        may not write read-only without a word.)"""
        if self.readonly:
            return False
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('probe', '')")
            finally:
                self.db.execute("ROLLBACK")
        except sqlite3.Error:
            return False
        return True

    def get_meta(self, key: str, default: str = "") -> str:
        if not has_table(self.db, "meta"):
            return default
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def next_seq(self) -> int:
        row = self.db.execute("SELECT MAX(seq) FROM shots").fetchone()
        return (row[0] or 0) + 1

    def known_names(self) -> set[str]:
        return {from_db(row[0]) for row in self.db.execute("SELECT name FROM files")}

    def _insert_files(self, shot_id: int, files: list[StoredFile]) -> None:
        now = time.time()
        self.db.executemany(
            "INSERT INTO files(shot_id, name, camera_path, size, sha256, backup_path, "
            "stored_at, camera_mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(shot_id, to_db(f.name), storable(f.camera_path), f.size, f.sha256,
              f.backup_path and storable(f.backup_path), now, f.camera_mtime) for f in files])

    def add_shot(self, seq: int, captured_at: float, camera: str, files: list[StoredFile],
                 from_body_button: bool = False, recovered: bool = False) -> int:
        """Record one shot and its files in a single transaction."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO shots(seq, captured_at, camera, from_body_button, recovered) "
                "VALUES (?, ?, ?, ?, ?)",
                (seq, captured_at, storable(camera), int(from_body_button), int(recovered)))
            shot_id = int(cursor.lastrowid or 0)
            self._insert_files(shot_id, files)
        return shot_id

    def same_file(self, sha256: str, camera_path: str) -> str | None:
        """The name under which these bytes from this camera file are already stored (a
        file recovered by crash repair has no camera path yet and is claimed here)."""
        row = self.db.execute("SELECT name, camera_path FROM files WHERE sha256=? AND "
                              "camera_path IN (?, '') LIMIT 1",
                              (sha256, storable(camera_path))).fetchone()
        if row is None:
            return None
        if not row[1] and not self.readonly:
            try:
                with self.db:
                    self.db.execute("UPDATE files SET camera_path=? WHERE name=?",
                                    (storable(camera_path), row[0]))
            except sqlite3.Error:
                pass            # claimed later; the file is known either way
        return from_db(row[0])

    def shots_per_person(self) -> dict[str, int]:
        """Person id -> how many shots are theirs (a RAW+JPEG pair is one shot)."""
        if not has_table(self.db, "shot_people"):
            return {}
        return {str(pid): int(n) for pid, n in self.db.execute(
            "SELECT p.person_id, COUNT(DISTINCT f.shot_id) FROM shot_people p "
            "JOIN files f ON f.name = p.name GROUP BY p.person_id")}

    def shot_of(self, name: str) -> tuple[int, int]:
        """(shot id, sequence number) of the shot holding file ``name``."""
        row = self.db.execute("SELECT s.id, s.seq FROM files f JOIN shots s ON s.id=f.shot_id "
                              "WHERE f.name=?", (to_db(name),)).fetchone()
        return int(row[0]), int(row[1])

    def add_files(self, shot_id: int, files: list[StoredFile]) -> None:
        """More files of an existing shot (the rest of a pair that a crash split)."""
        with self.db:
            self._insert_files(shot_id, files)

    def without_backup(self) -> list[tuple[str, int, str]]:
        """(name, size, sha256) of every file whose backup copy is still missing."""
        return [(from_db(n), s, h) for n, s, h in self.db.execute(
            "SELECT name, size, sha256 FROM files WHERE backup_path IS NULL OR backup_path='' "
            "ORDER BY id")]

    def set_backup_path(self, name: str, path: str) -> None:
        with self.db:
            self.db.execute("UPDATE files SET backup_path=? WHERE name=?",
                            (storable(path), to_db(name)))

    def shots(self) -> list[ShotRecord]:
        files: dict[int, list[StoredFile]] = {}
        mtime = "camera_mtime" if "camera_mtime" in {
            row[1] for row in self.db.execute("PRAGMA table_info(files)")} else "0"
        for row in self.db.execute("SELECT shot_id, name, size, sha256, camera_path, backup_path,"
                                   f" {mtime} FROM files ORDER BY id"):
            files.setdefault(row[0], []).append(StoredFile(from_db(row[1]), *row[2:]))
        return [ShotRecord(r[0], r[1], r[2], r[3], tuple(files.get(r[0], ())), bool(r[4]),
                           bool(r[5]))
                for r in self.db.execute("SELECT id, seq, captured_at, camera, from_body_button, "
                                         "recovered FROM shots ORDER BY seq")]

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
