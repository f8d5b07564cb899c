"""The verified backup copy of one file. Nothing already in the backup folder is ever
replaced or removed: a file of the same name holding the same bytes already is the copy; a
different one (another session's ``Smith_0001.jpg`` on a shared backup drive) keeps its place
and ours takes the next free name, which the catalog records.

Pure Python; runs on the ingest's backup helper thread or the ingest thread; blocks on I/O.
"""

from __future__ import annotations

import logging
from pathlib import Path

from session.store.naming import numbered
from session.store.storage import StorageError, holds, name_taken, write_verified

log = logging.getLogger(__name__)
MAX_COPIES = 1000


def backup_copy(folder: Path, name: str, data: bytes, sha256: str) -> tuple[Path | None, str]:
    """Copy ``data`` into ``folder`` under ``name`` (or a free variant) and verify it.
    Returns (the copy's path, '') or (None, the problem). A backup failure never loses the
    shot (the primary is verified); it is reported and made later (backup_catchup)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for number in range(1, MAX_COPIES):
            target = folder / (name if number == 1 else numbered(name, number))
            if name_taken(target):
                if holds(target, len(data), sha256):
                    return target, ""
                continue
            try:
                write_verified(target, data, "The primary copy is safe; the backup will be "
                                             "made again later.")
            except FileExistsError:
                continue
            return target, ""
        raise StorageError(f"No free name for {name} in the backup folder {folder}.")
    except (OSError, StorageError) as exc:
        message = getattr(exc, "user_message", None) or str(exc)
        log.warning("backup of %s failed: %s", name, message)
        return None, f"Backup copy failed: {message}"
