"""A session: one folder of captures with its catalog, name, file-name template and optional
backup folder.

Pure Python. ``create``/``open`` block on disk I/O and run on the ingest thread or at start-up
off the GUI thread; the Session value itself is immutable and can cross threads.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from session.catalog import CATALOG_NAME, Catalog
from session.naming import DEFAULT_TEMPLATE, NameTemplate
from session.sanitize import safe_component

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
    catalog = Catalog(folder)
    try:
        if not catalog.get_meta("name"):
            catalog.set_meta("name", name)
            catalog.set_meta("template", template)
        if backup:
            catalog.set_meta("backup_folder", str(backup))
    finally:
        catalog.close()
    return open_session(folder)


def _folder_for(root: Path, wanted: str, name: str) -> Path:
    """``root/wanted``, unless it holds another session whose name only sanitises alike
    ("Anna/Ben" and "Anna_Ben"): then ``wanted-2``, ``wanted-3``..."""
    for number in range(1, 1000):
        folder = root / (wanted if number == 1 else f"{wanted}-{number}")
        catalog_file = folder / CATALOG_NAME
        if not catalog_file.is_file():
            return folder
        catalog = Catalog(folder)
        try:
            existing = catalog.get_meta("name")
        finally:
            catalog.close()
        if not existing or existing == name:
            return folder
    raise FileExistsError(f"Too many sessions called {name!r} on this day under {root}.")


def open_session(folder: Path) -> Session:
    """Open an existing session folder (a plain folder of images becomes a session too)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"Session folder not found: {folder}")
    catalog = Catalog(folder)
    try:
        name = catalog.get_meta("name") or folder.name
        template = catalog.get_meta("template", DEFAULT_TEMPLATE)
        backup = catalog.get_meta("backup_folder")
    finally:
        catalog.close()
    return Session(folder, name, NameTemplate(template), Path(backup) if backup else None)


def save_template(session: Session, template: str) -> Session:
    updated = session.with_template(template)
    catalog = Catalog(session.folder)
    try:
        catalog.set_meta("template", template)
    finally:
        catalog.close()
    return updated
