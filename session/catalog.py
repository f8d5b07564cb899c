"""The session catalog: SQLite in WAL mode, one row per shot and one per stored file.

Pure Python (stdlib sqlite3). A Catalog object belongs to the thread that opened it (the ingest
thread for writes; readers open their own). Calls block briefly on disk I/O.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1
CATALOG_NAME = "catalog.sqlite"

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


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str
    camera_path: str = ""
    backup_path: str | None = None


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


def open_catalog(folder: Path, schema: str) -> sqlite3.Connection:
    """A connection to the session's catalog (WAL, fully synced commits) with ``schema``'s
    tables created if missing. One connection per thread."""
    db = sqlite3.connect(folder / CATALOG_NAME, timeout=10)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(schema)
    return db


class Catalog:
    def __init__(self, folder: Path) -> None:
        self.path = folder / CATALOG_NAME
        self.db = open_catalog(folder, _SCHEMA)
        if self.db.execute("PRAGMA user_version").fetchone()[0] == 0:
            self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def get_meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def next_seq(self) -> int:
        row = self.db.execute("SELECT MAX(seq) FROM shots").fetchone()
        return (row[0] or 0) + 1

    def known_names(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT name FROM files")}

    def add_shot(self, seq: int, captured_at: float, camera: str, files: list[StoredFile],
                 from_body_button: bool = False, recovered: bool = False) -> int:
        """Record one shot and its files in a single transaction."""
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO shots(seq, captured_at, camera, from_body_button, recovered) "
                "VALUES (?, ?, ?, ?, ?)",
                (seq, captured_at, camera, int(from_body_button), int(recovered)))
            shot_id = int(cursor.lastrowid or 0)
            now = time.time()
            self.db.executemany(
                "INSERT INTO files(shot_id, name, camera_path, size, sha256, backup_path, "
                "stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(shot_id, f.name, storable(f.camera_path), f.size, f.sha256, f.backup_path, now)
                 for f in files])
        return shot_id

    def same_file(self, sha256: str, camera_path: str) -> str | None:
        """The name under which these bytes from this camera file are already stored (a
        file recovered by crash repair has no camera path yet and is claimed here)."""
        row = self.db.execute("SELECT name, camera_path FROM files WHERE sha256=? AND "
                              "camera_path IN (?, '') LIMIT 1",
                              (sha256, storable(camera_path))).fetchone()
        if row is None:
            return None
        if not row[1]:
            with self.db:
                self.db.execute("UPDATE files SET camera_path=? WHERE name=?",
                                (storable(camera_path), row[0]))
        return str(row[0])

    def shot_of(self, name: str) -> tuple[int, int]:
        """(shot id, sequence number) of the shot holding file ``name``."""
        row = self.db.execute("SELECT s.id, s.seq FROM files f JOIN shots s ON s.id=f.shot_id "
                              "WHERE f.name=?", (name,)).fetchone()
        return int(row[0]), int(row[1])

    def add_files(self, shot_id: int, files: list[StoredFile]) -> None:
        """More files of an existing shot (the rest of a pair that a crash split)."""
        now = time.time()
        with self.db:
            self.db.executemany(
                "INSERT INTO files(shot_id, name, camera_path, size, sha256, backup_path, "
                "stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(shot_id, f.name, storable(f.camera_path), f.size, f.sha256, f.backup_path, now)
                 for f in files])

    def without_backup(self) -> list[tuple[str, int, str]]:
        """(name, size, sha256) of every file whose backup copy is still missing."""
        return list(self.db.execute("SELECT name, size, sha256 FROM files "
                                    "WHERE backup_path IS NULL OR backup_path='' ORDER BY id"))

    def set_backup_path(self, name: str, path: str) -> None:
        with self.db:
            self.db.execute("UPDATE files SET backup_path=? WHERE name=?", (path, name))

    def shots(self) -> list[ShotRecord]:
        files: dict[int, list[StoredFile]] = {}
        for row in self.db.execute("SELECT shot_id, name, size, sha256, camera_path, backup_path "
                                   "FROM files ORDER BY id"):
            files.setdefault(row[0], []).append(StoredFile(*row[1:]))
        return [ShotRecord(r[0], r[1], r[2], r[3], tuple(files.get(r[0], ())), bool(r[4]),
                           bool(r[5]))
                for r in self.db.execute("SELECT id, seq, captured_at, camera, from_body_button, "
                                         "recovered FROM shots ORDER BY seq")]

    def integrity_ok(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
