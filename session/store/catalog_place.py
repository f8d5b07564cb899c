"""Where a folder's catalog lives and whether it may be changed: a session keeps
``catalog.sqlite`` in its own folder; a plain folder of images that is only reviewed gets its
catalog in Catchlight's cache (nothing is written into the folder), until it is made a
session; a session on read-only media or without write permission is opened read-only.

Pure Python; any thread; a few stat calls.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

CATALOG_NAME = "catalog.sqlite"
CACHE_ENV = "XDG_CACHE_HOME"
SIDE_FILES = ("", "-wal", "-shm", "-journal")


def cache_folder() -> Path:
    root = os.environ.get(CACHE_ENV) or str(Path.home() / ".cache")
    return Path(root) / "Catchlight"


@dataclass(frozen=True)
class CatalogPlace:
    path: Path
    readonly: bool          # nothing about the session may be changed
    in_folder: bool         # False: a plain folder's catalog, kept in the cache
    reason: str = ""        # why it is read-only, in a photographer's words


def _writable(path: Path) -> bool:
    """May this process create files in the folder ``path``? Asked of the kernel (access(2)
    with the effective ids), which knows read-only media and ignores nothing for root.
    Never opens anything: closing a descriptor of a database file would drop this
    process's SQLite locks on it."""
    return os.access(path, os.W_OK | os.X_OK, effective_ids=True)


def writable_file(path: Path) -> bool:
    """May this process write the existing file at ``path``? (True when there is none.)"""
    if not os.path.lexists(path):
        return True
    return os.access(path, os.W_OK, effective_ids=True)


def place_of(folder: Path) -> CatalogPlace:
    """The catalog to use for reviewing ``folder``."""
    folder = Path(folder)
    inside = folder / CATALOG_NAME
    if os.path.lexists(inside):
        if not _writable(folder):
            return CatalogPlace(inside, True, True, f"{folder} is on read-only media or may "
                                "not be written by you")
        if not writable_file(inside):
            return CatalogPlace(inside, True, True, f"its catalog {inside.name} may not be "
                                "written")
        return CatalogPlace(inside, False, True)
    key = hashlib.sha256(os.fsencode(os.path.realpath(folder))).hexdigest()[:20]
    cached = cache_folder() / "folders" / key / CATALOG_NAME
    readonly = not _writable(folder)
    return CatalogPlace(cached, False, False,
                        f"{folder} is on read-only media or may not be written by you"
                        if readonly else "")


def folder_writable(folder: Path) -> bool:
    return _writable(Path(folder))
