"""Backup copies that could not be made when a shot was stored (backup drive full, unplugged,
slow to mount) are made later from the verified primary copy: at session open and after each
ingest until none is missing. A primary that no longer matches its catalogued SHA-256 is never
copied.

Pure Python; runs on the ingest thread; blocks on reading and writing the files.
"""

from __future__ import annotations

from pathlib import Path

from session.catalog import Catalog
from session.storage import StorageError, sha256_of_file, verify_file, write_verified


def catch_up_backups(folder: Path, backup: Path, catalog: Catalog) -> tuple[int, str]:
    """Copy every catalogued file that has no backup yet. Returns (copied, problem or '')."""
    copied = 0
    for name, size, sha256 in catalog.without_backup():
        primary, target = folder / name, backup / name
        try:
            data = primary.read_bytes()
            if len(data) != size or sha256_of_file(primary) != sha256:
                return copied, f"{name} no longer matches what was stored; not backed up"
            backup.mkdir(parents=True, exist_ok=True)
            if target.exists():
                verify_file(target, size, sha256)
            else:
                write_verified(target, data)
        except (OSError, StorageError) as exc:
            return copied, getattr(exc, "user_message", str(exc))
        catalog.set_backup_path(name, str(target))
        copied += 1
    return copied, ""
