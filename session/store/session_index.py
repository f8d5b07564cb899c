"""Past sessions for the sessions browser: every folder under the sessions root that holds a
catalog, with its name, date, number of shots and a cover (the first pick, else the first
shot). Catalogs are opened read-only, so browsing never changes a session.

Pure Python (sqlite3); runs on a background thread; blocks for one small query per session.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from session.store.catalog import CATALOG_NAME, CatalogDamaged, open_catalog


@dataclass(frozen=True)
class SessionSummary:
    folder: Path
    name: str
    day: dt.date
    shots: int
    cover: Path | None
    picks: int = 0


def _day(folder: Path, catalog: Path) -> dt.date:
    try:
        return dt.date.fromisoformat(folder.name[:10])
    except ValueError:
        return dt.date.fromtimestamp(catalog.stat().st_mtime)


def session_day(folder: Path, first_taken: float | None) -> dt.date:
    """The day a session was shot: its folder's date (2026-11-18_Anna), else its first
    shot's, else today."""
    try:
        return dt.date.fromisoformat(folder.name[:10])
    except ValueError:
        return dt.date.fromtimestamp(first_taken) if first_taken else dt.date.today()


def long_date(day: dt.date) -> str:
    """'18 November 2026': unambiguous for clients everywhere."""
    return f"{day.day} {day:%B %Y}"


def summarise(folder: Path) -> SessionSummary | None:
    """The summary of one session folder, or None when its catalog cannot be read."""
    catalog = folder / CATALOG_NAME
    try:
        db = open_catalog(catalog, "", readonly=True)
    except (sqlite3.Error, CatalogDamaged):
        return None
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "shots" not in tables:
            return None
        name_row = db.execute("SELECT value FROM meta WHERE key='name'").fetchone() \
            if "meta" in tables else None
        count = db.execute("SELECT COUNT(*) FROM shots").fetchone()[0]
        picks: list[str] = []
        if "culling" in tables:
            picks = [r[0] for r in db.execute(
                "SELECT name FROM culling WHERE pick=1 ORDER BY name")]
        first = db.execute("SELECT f.name FROM files f JOIN shots s ON s.id=f.shot_id "
                           "ORDER BY s.seq, f.id LIMIT 1").fetchone()
        cover_name = picks[0] if picks else (first[0] if first else None)
        return SessionSummary(folder, name_row[0] if name_row else folder.name,
                              _day(folder, catalog), count,
                              folder / cover_name if cover_name else None, len(picks))
    except sqlite3.Error:
        return None
    finally:
        db.close()


def list_sessions(root: Path) -> list[SessionSummary]:
    """Sessions under ``root``, newest first."""
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        if folder.is_dir() and (folder / CATALOG_NAME).is_file():
            summary = summarise(folder)
            if summary is not None:
                found.append(summary)
    return sorted(found, key=lambda s: (s.day, s.folder.name), reverse=True)
