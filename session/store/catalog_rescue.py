"""A damaged session catalog (truncated, overwritten, not a database) is never deleted: it is
set aside as ``catalog.sqlite.damaged-<time>`` with its side files, what can still be read of
its settings is kept, and a new catalog is rebuilt from the folder (crash repair records
every image as a shot; marks come back from the XMP sidecars).

Pure Python; runs where a session is opened for shooting (off the GUI thread), with the
session's writer lock held; blocks on a few renames.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path

from session.store.catalog import readonly_uri
from session.store.catalog_place import CATALOG_NAME, SIDE_FILES

DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}_")


def salvage_meta(path: Path) -> dict[str, str]:
    """The session settings (name, template, backup folder) that can still be read from a
    damaged catalog; empty when none can."""
    try:
        db = sqlite3.connect(readonly_uri(path) + "&immutable=1", uri=True)
        try:
            return {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
        finally:
            db.close()
    except sqlite3.Error:
        return {}


def name_from_folder(folder: Path) -> str:
    """A session name for a folder whose catalog lost it: the folder name without its date."""
    return DATE_PREFIX.sub("", folder.name) or folder.name


def set_aside(folder: Path) -> tuple[str, dict[str, str]]:
    """Rename the damaged catalog and its side files out of the way (nothing is deleted).
    Returns the new name of the catalog and the settings salvaged from it."""
    path = folder / CATALOG_NAME
    meta = salvage_meta(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = f"{CATALOG_NAME}.damaged-{stamp}"
    number = 1
    while any(os.path.lexists(folder / f"{base if number == 1 else f'{base}-{number}'}{side}")
              for side in SIDE_FILES):
        number += 1
    target = base if number == 1 else f"{base}-{number}"
    for side in SIDE_FILES:
        source = folder / f"{CATALOG_NAME}{side}"
        if os.path.lexists(source):
            os.rename(source, folder / f"{target}{side}")
    return target, meta
