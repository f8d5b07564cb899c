"""Crash repair at session open: temporary files left by a crashed run of ours are removed,
and image files that reached the folder but not the catalog (a crash between write and record,
or a picture copied in by hand) are recorded. Whatever cannot be read (no permission, a link,
a vanished file) is skipped and reported, never fatal; a file name that is not UTF-8 is
recorded as it is (session.store.filenames). Another live process's temporary files are left alone.

Pure Python; runs on the ingest thread before the first ingest, with the session's writer lock
held; blocks on disk I/O (hashing).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from media.file_kinds import is_image_name
from session.store.catalog import Catalog, StoredFile
from session.store.filenames import shown
from session.store.storage import HOST_TAG, TEMP_PREFIX, TEMP_SUFFIX, sha256_of_file, temp_owner


@dataclass(frozen=True)
class RepairReport:
    temp_removed: int
    recovered: tuple[str, ...]
    skipped: tuple[str, ...] = ()      # "<name>: <why>", files left exactly as they are

    @property
    def message(self) -> str:
        parts = []
        if self.recovered:
            parts.append(f"{len(self.recovered)} picture(s) found in the folder but not in the "
                         "catalog were recorded")
        if self.temp_removed:
            parts.append(f"{self.temp_removed} unfinished temporary file(s) were removed")
        if self.skipped:
            parts.append(f"{len(self.skipped)} file(s) could not be read and were left as they "
                         "are: " + "; ".join(self.skipped[:3])
                         + (" …" if len(self.skipped) > 3 else ""))
        return "; ".join(parts)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ours_to_remove(name: str, unowned_too: bool = True) -> bool:
    """A temporary file of ours whose writer is gone: left by a crash of this session's
    writer (the lock is ours now), never one of a live process or of another machine.
    ``unowned_too``: the older per-name form counts too (only in a session's own folder,
    where only its writer makes them; never in a backup folder that sessions share)."""
    owner = temp_owner(name)
    if owner is None:
        return unowned_too
    host, pid = owner
    return host == HOST_TAG and (pid == os.getpid() or not process_alive(pid))


def remove_dead_temps(folder: Path, skipped: list[str], unowned_too: bool = True) -> int:
    """Remove the part files in ``folder`` that a killed Catchlight process of this machine
    left (see _ours_to_remove); returns how many. Raises OSError if the folder cannot be
    listed."""
    removed = 0
    for entry in os.scandir(folder):
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
            continue
        if entry.is_symlink() or not _ours_to_remove(entry.name, unowned_too):
            continue
        try:
            os.unlink(entry.path)
            removed += 1
        except FileNotFoundError:
            pass
        except OSError as exc:
            skipped.append(f"{shown(entry.name)}: {exc.strerror or exc}")
    return removed


def _orphans(folder: Path, known: set[str], skipped: list[str]) -> dict[str, list[Path]]:
    orphans: dict[str, list[Path]] = {}
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        name = entry.name
        if name.startswith(".") or name in known or not is_image_name(name):
            continue
        try:
            if entry.is_symlink():
                skipped.append(f"{shown(name)}: a link, not a picture file")
                continue
            if not entry.is_file():
                continue
        except OSError as exc:
            skipped.append(f"{shown(name)}: {exc.strerror or exc}")
            continue
        orphans.setdefault(Path(name).stem, []).append(Path(entry.path))
    return orphans


def repair_session(folder: Path, catalog: Catalog) -> RepairReport:
    skipped: list[str] = []
    removed = remove_dead_temps(folder, skipped)
    recovered: list[str] = []
    for paths in _orphans(folder, catalog.known_names(), skipped).values():
        files, times = [], []
        for path in paths:
            try:
                info = path.stat()
                files.append(StoredFile(path.name, info.st_size, sha256_of_file(path)))
                times.append(info.st_mtime)
            except OSError as exc:
                skipped.append(f"{shown(path.name)}: {exc.strerror or exc}")
        if not files:
            continue
        try:
            catalog.add_shot(catalog.next_seq(), min(times), "", files, recovered=True)
        except sqlite3.Error as exc:
            skipped.extend(f"{shown(f.name)}: not recorded, the catalog refused ({exc})"
                           for f in files)
            continue
        recovered.extend(f.name for f in files)
    return RepairReport(removed, tuple(recovered), tuple(skipped))


def clean_backup_folder(backup: Path) -> int:
    """A backup copy killed half-way leaves a part file on the backup drive: remove those
    whose writer on this machine is dead (a drive that is not there is left for later)."""
    try:
        return remove_dead_temps(backup, [], unowned_too=False)
    except OSError:
        return 0
