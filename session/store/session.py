"""A session: one folder of captures with its catalog, name, file-name template and optional
backup folder.

Pure Python. ``create``/``open`` block on disk I/O and run on the ingest thread or at start-up
off the GUI thread; the Session value itself is immutable and can cross threads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path

from session.store.catalog import (
    CATALOG_NAME,
    Catalog,
    CatalogDamaged,
    CatalogReadOnly,
    check_sound,
)
from session.store.catalog_place import folder_writable
from session.store.catalog_rescue import name_from_folder, salvage_meta, set_aside
from session.store.naming import DEFAULT_TEMPLATE, NameTemplate, TemplateError
from session.store.sanitize import safe_component
from session.store.session_lock import SessionLock

SESSIONS_ENV = "CATCHLIGHT_SESSIONS_DIR"


def pictures_folder(home: Path | None = None) -> Path:
    """The user's Pictures folder (XDG user-dirs on Linux, ~/Pictures elsewhere)."""
    home = home or Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME", home / ".config")) / "user-dirs.dirs"
    try:
        match = re.search(r'^XDG_PICTURES_DIR="(.+)"', config.read_text(), re.MULTILINE)
    except OSError:
        match = None
    if match:
        return Path(match.group(1).replace("$HOME", str(home)))
    return home / "Pictures"


def sessions_root() -> Path:
    override = os.environ.get(SESSIONS_ENV)
    return Path(override) if override else pictures_folder() / "Catchlight"


def session_folder_name(name: str, day: dt.date | None = None) -> str:
    day = day or dt.date.today()
    return f"{day.isoformat()}_{safe_component(name, 'Session')}"


@dataclass(frozen=True)
class Session:
    folder: Path
    name: str
    template: NameTemplate
    backup_folder: Path | None = None
    notice: str = field(default="", compare=False)   # what opening it had to repair

    @property
    def catalog_path(self) -> Path:
        return self.folder / CATALOG_NAME

    def with_template(self, template: str) -> Session:
        """A copy using ``template`` (raises TemplateError with a clear message if unusable)."""
        return replace(self, template=NameTemplate(template))


def create_session(name: str, root: Path | None = None, template: str = DEFAULT_TEMPLATE,
                   backup_root: Path | None = None, day: dt.date | None = None) -> Session:
    """Create (or reopen, if it exists) ``<root>/<YYYY-MM-DD>_<name>/``."""
    NameTemplate(template)  # refuse a bad template before touching the disk
    folder = _folder_for(root or sessions_root(), session_folder_name(name, day), name)
    folder.mkdir(parents=True, exist_ok=True)
    backup = backup_root / folder.name if backup_root else None
    if backup:
        backup.mkdir(parents=True, exist_ok=True)
    notice = ""
    if os.path.lexists(folder / CATALOG_NAME):
        notice = open_session(folder).notice      # a damaged catalog is set aside first
    catalog = Catalog(folder)
    try:
        if not catalog.get_meta("name"):
            catalog.set_meta("name", name)
            catalog.set_meta("template", template)
        if backup:
            catalog.set_meta("backup_folder", str(backup))
    finally:
        catalog.close()
    return replace(open_session(folder), notice=notice)


def _folder_for(root: Path, wanted: str, name: str) -> Path:
    """``root/wanted``, unless it holds another session whose name only sanitises alike
    ("Anna/Ben" and "Anna_Ben"): then ``wanted-2``, ``wanted-3``..."""
    for number in range(1, 1000):
        folder = root / (wanted if number == 1 else f"{wanted}-{number}")
        if not (folder / CATALOG_NAME).is_file():
            return folder
        existing = salvage_meta(folder / CATALOG_NAME).get("name", "")
        if not existing or existing == name:
            return folder
    raise FileExistsError(f"Too many sessions called {name!r} on this day under {root}.")


class SessionError(RuntimeError):
    """The folder cannot be opened as a session for shooting; the message says why."""


def _rescue_damaged(folder: Path) -> tuple[str, dict[str, str]]:
    """Set a damaged catalog aside (holding the writer's lock, so never under another
    process's feet). Returns the notice for the photographer and the salvaged settings."""
    try:
        check_sound(folder / CATALOG_NAME)
        return "", {}
    except CatalogDamaged as exc:
        reason = str(exc)
    with SessionLock(folder):
        moved, meta = set_aside(folder)
    return (f"The session catalog was damaged ({reason}). It was kept as {moved} and a new one "
            "is built from the folder: every picture in it is recorded again and marks are read "
            "back from the XMP sidecars."), meta


def open_session(folder: Path) -> Session:
    """Open an existing session folder for shooting (a plain folder of images becomes a
    session too). A damaged catalog is set aside and rebuilt (``Session.notice`` says so).
    Raises SessionBusy when another process shoots into it and SessionError when it cannot be
    written."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"Session folder not found: {folder}")
    notice, salvaged = "", dict[str, str]()
    if os.path.lexists(folder / CATALOG_NAME):
        notice, salvaged = _rescue_damaged(folder)
    if not folder_writable(folder):
        raise SessionError(f"{folder} cannot be opened for shooting: it is on read-only media "
                           "or may not be written by you. It can still be reviewed.")
    try:
        catalog = Catalog(folder)
    except CatalogReadOnly:
        catalog = Catalog(folder, readonly=True)   # shots still land; ingest says the rest
    except (sqlite3.Error, CatalogDamaged, OSError) as exc:
        raise SessionError(f"{folder} cannot be opened for shooting: {exc}.") from exc
    try:
        if not catalog.readonly:
            for key in ("name", "template", "backup_folder"):
                if key in salvaged and not catalog.get_meta(key):
                    catalog.set_meta(key, salvaged[key])
            if not catalog.get_meta("name"):      # a plain folder becomes a session
                catalog.set_meta("name", name_from_folder(folder))
        name = catalog.get_meta("name") or name_from_folder(folder)
        template = catalog.get_meta("template", DEFAULT_TEMPLATE)
        backup = catalog.get_meta("backup_folder")
    except sqlite3.Error as exc:
        raise SessionError(f"{folder} cannot be opened for shooting: {exc}.") from exc
    finally:
        catalog.close()
    try:
        checked = NameTemplate(template)
    except TemplateError:
        checked = NameTemplate(DEFAULT_TEMPLATE)
    return Session(folder, name, checked, Path(backup) if backup else None, notice)


def save_template(session: Session, template: str) -> Session:
    updated = session.with_template(template)
    catalog = Catalog(session.folder)
    try:
        catalog.set_meta("template", template)
    finally:
        catalog.close()
    return updated
