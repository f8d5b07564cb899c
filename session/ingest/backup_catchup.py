"""Backup copies that could not be made when a shot was stored (backup drive full, unplugged,
slow to mount) are made later from the verified primary copy: at session open and after each
ingest until none is missing. A primary that no longer matches its catalogued SHA-256 is never
copied.

Pure Python; runs on the ingest thread; blocks on reading and writing the files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from session.ingest.backup_copy import backup_copy
from session.store.catalog import Catalog


def catch_up_backups(folder: Path, backup: Path, catalog: Catalog) -> tuple[int, str]:
    """Copy every catalogued file that has no backup yet. Returns (copied, problem or '')."""
    copied = 0
    for name, size, sha256 in catalog.without_backup():
        try:
            data = (folder / name).read_bytes()
        except OSError as exc:
            return copied, f"{name} cannot be read for its backup ({exc.strerror or exc})"
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
            return copied, f"{name} no longer matches what was stored; not backed up"
        target, problem = backup_copy(backup, name, data, sha256)
        if target is None:
            return copied, problem
        catalog.set_backup_path(name, str(target))
        copied += 1
    return copied, ""

