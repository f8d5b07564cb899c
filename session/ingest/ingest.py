"""Safe ingest of downloaded shots into a session: name, atomic verified write, verified
backup copy, catalog record, in that order. Each step is done once: a shot whose later step
fails (catalog refused, disk full before the second file) stays queued with what is already
done, and only the rest is retried, so a verified file is never written twice.

Pure Python. An Ingester lives on one thread (the ingest worker's, or the command line's main
thread) because it owns a SQLite connection; every call blocks on disk I/O. It holds the
session's writer lock (session.store.session_lock) from creation to ``close``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from camera.types import DownloadedFile, DownloadedShot
from media.thread_priority import lower_this_thread
from session.ingest.backup_catchup import catch_up_backups
from session.ingest.backup_copy import backup_copy
from session.people.roster import Person
from session.store.catalog import Catalog, CatalogReadOnly, ShotRecord, StoredFile
from session.store.naming import NameFields, numbered
from session.store.repair import RepairReport, clean_backup_folder, repair_session
from session.store.sanitize import split_camera_name
from session.store.session import Session
from session.store.session_lock import SessionLock
from session.store.storage import StorageError, free_names, name_taken, write_verified

log = logging.getLogger(__name__)
MAX_NAME_SUFFIX = 1000
CATALOG_READ_ONLY = ("it may not be written (read-only); shots are saved to the folder and "
                     "recorded once it can be written")
CATALOG_REFUSED = ("The session catalog refused the record ({error}). The shot's files are "
                   "saved and verified; it will be recorded as soon as the catalog accepts "
                   "writes.")


@dataclass(frozen=True)
class IngestResult:
    shot: DownloadedShot
    record: ShotRecord
    paths: tuple[Path, ...]            # one per file of ``shot``, in its order
    backup_problem: str = ""
    already_stored: bool = False       # the same bytes were in the session (fetched twice)
    person: Person | None = None       # who was in front of the camera (a headshot day)


@dataclass
class _Work:
    """One shot on its way in, and how far it got."""

    shot: DownloadedShot
    names: list[str] = field(default_factory=list)       # one per file still to be stored
    files: tuple[DownloadedFile, ...] = ()               # the files still to be stored
    seq: int = 0
    into_shot: int = 0                  # > 0: completing this existing shot (a split pair)
    existing: dict[str, str] = field(default_factory=dict)   # sha256 -> name already stored
    written: dict[int, Path] = field(default_factory=dict)   # file index -> verified path
    backups: Future | None = None
    backup_paths: list[Path | None] | None = None
    backup_problem: str = ""
    person: Person | None = None        # the person the shot was named for


class Ingester:
    """Stores shots of one session. Not thread-safe: use it from one thread."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.lock = SessionLock(session.folder)
        self.lock.acquire()                 # SessionBusy: another process shoots here
        self.notices: list[str] = []        # things the photographer should hear about
        self.person: Person | None = None   # a headshot day's current person (name tokens)
        try:
            self.catalog = self._open_catalog()
        except BaseException:
            self.lock.release()
            raise
        self._identity = _identity(session.folder)
        if self.catalog.readonly:
            self.repair_report = RepairReport(0, (), (
                f"the catalog: {CATALOG_READ_ONLY}",))
        else:
            self.repair_report = repair_session(session.folder, self.catalog)
        if session.backup_folder:
            clean_backup_folder(session.backup_folder)
        self.pending: deque[_Work] = deque()
        self._reserved_seq = 0
        self._reserved_pseq: dict[str, int] = {}   # person id -> the last {pseq} given
        self._backup_pool = ThreadPoolExecutor(1, thread_name_prefix="ingest-backup",
                                               initializer=lower_this_thread)
        self.backups_missing = bool(session.backup_folder)   # checked by the first retry

    def close(self) -> None:
        self._backup_pool.shutdown(wait=True)
        self.catalog.close()
        self.lock.release()

    def queue(self, shot: DownloadedShot) -> None:
        """Put ``shot`` behind the shots still waiting, without storing anything yet."""
        self.pending.append(_Work(shot))

    def queued(self) -> list[DownloadedShot]:
        """The shots received but not yet stored, in order."""
        return [work.shot for work in self.pending]

    def submit(self, shot: DownloadedShot) -> list[IngestResult]:
        """Queue ``shot`` behind any shots still waiting, then try to store them all in order.

        Returns what was stored now; raises StorageError (with the shots kept queued) when the
        disk or the catalog refuses. The next call retries."""
        self.queue(shot)
        return self.retry()

    def retry(self) -> list[IngestResult]:
        """Store the queued shots in order. If the disk refuses part-way, StorageError carries
        the shots stored before that in ``stored`` (they must still be reported)."""
        stored: list[IngestResult] = []
        while self.pending:
            try:
                self._check_folder()
                stored.append(self._store(self.pending[0]))
            except StorageError as exc:
                exc.stored = stored
                raise
            self.pending.popleft()
        self.retry_backups()
        return stored

    def retry_backups(self) -> str:
        """Make the backup copies still missing (from the verified primaries); returns the
        problem that stopped it, or ''."""
        if not (self.backups_missing and self.session.backup_folder):
            return ""
        _copied, problem = catch_up_backups(self.session.folder, self.session.backup_folder,
                                            self.catalog)
        self.backups_missing = bool(problem)
        return problem

    def _open_catalog(self) -> Catalog:
        """The catalog for writing; one that may not be written (read-only file) is opened
        read-only, and writing is tried again with each record."""
        try:
            catalog = Catalog(self.session.folder)
        except CatalogReadOnly:
            return Catalog(self.session.folder, readonly=True)
        if catalog.writable():
            return catalog
        catalog.close()
        return Catalog(self.session.folder, readonly=True)

    # --- the session folder ----------------------------------------------------------------
    def _check_folder(self) -> None:
        """The folder was deleted (or deleted and made again) under us: make it again if it
        is gone, and reopen the catalog and the lock on the folder that is there now."""
        folder = self.session.folder
        now = _identity(folder)
        if now is not None and now == self._identity:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.catalog.close()
            self.lock.release()
            self.lock.acquire()
            self.catalog = self._open_catalog()
        except (OSError, sqlite3.Error) as exc:
            raise StorageError(f"The session folder {folder} disappeared and cannot be made "
                               f"again ({exc}). The shot is kept.") from exc
        self._identity = _identity(folder)
        self.notices.append(f"The session folder {folder} was deleted or replaced while "
                            "shooting; Catchlight made it again and keeps saving there (shots "
                            "saved before are not in it any more).")

    # --- storing ----------------------------------------------------------------------------
    def _store(self, work: _Work) -> IngestResult:
        if not work.names:
            duplicate = self._plan(work)
            if duplicate is not None:
                return duplicate
        if work.backups is None and work.backup_paths is None and self.session.backup_folder:
            work.backups = self._backup_pool.submit(self._backup_all, work.files, work.names)
        try:
            self._write_primaries(work)
        finally:
            self._collect_backups(work)
        stored = [StoredFile(work.names[i], len(f.data), f.sha256, f.source.path,
                             str(b) if b else None, f.source.mtime)
                  for i, (f, b) in enumerate(zip(work.files, work.backup_paths or
                                                 [None] * len(work.files), strict=True))]
        self._record(work, stored)
        self.backups_missing = self.backups_missing or bool(work.backup_problem)
        paths = {f.sha256: self.session.folder / n for f, n in zip(work.files, work.names,
                                                                  strict=True)}
        paths.update((sha, self.session.folder / n) for sha, n in work.existing.items())
        record = ShotRecord(work.into_shot, work.seq, work.shot.captured_at,
                            work.shot.camera_model, tuple(stored), work.shot.from_body_button)
        return IngestResult(work.shot, record, tuple(paths[f.sha256] for f in work.shot.files),
                            work.backup_problem, person=work.person)

    def _plan(self, work: _Work) -> IngestResult | None:
        """Decide the names (once). Returns the result for a shot already stored whole."""
        shot = work.shot
        known = {f.sha256: self.catalog.same_file(f.sha256, f.source.path) for f in shot.files}
        if shot.files and all(known.values()):
            # fetched again after a reconnect or a crash: never store the same shot twice
            record = ShotRecord(0, 0, shot.captured_at, shot.camera_model, tuple(
                StoredFile(str(known[f.sha256]), len(f.data), f.sha256, f.source.path)
                for f in shot.files), shot.from_body_button)
            return IngestResult(shot, record, tuple(self.session.folder / str(known[f.sha256])
                                                    for f in shot.files), "", True)
        work.existing = {sha: name for sha, name in known.items() if name}
        work.files = tuple(f for f in shot.files if not known[f.sha256])
        if work.existing:
            # the rest of a pair that a crash split: beside the file already stored
            existing = next(iter(work.existing.values()))
            work.into_shot, work.seq = self.catalog.shot_of(existing)
            stem = Path(existing).stem
            base = [f"{stem}.{split_camera_name(f.source.name)[1]}" for f in work.files]
        else:
            work.seq = max(self.catalog.next_seq(), self._reserved_seq + 1)
            work.person = self.person                 # named once, for every file of the shot
            pseq = self._person_seq(work.person)
            base = [self.session.template.render(NameFields(
                self.session.name, work.seq, shot.captured_at, shot.camera_model,
                *split_camera_name(f.source.name), person=work.person, pseq=pseq))
                for f in work.files]
        work.names = self._free_names(_distinct(base), sidecars=not work.existing)
        self._reserved_seq = max(self._reserved_seq, work.seq)
        return None

    def _person_seq(self, person: Person | None) -> int:
        """The person's own number for their next shot (0 for nobody's): one more than the
        shots the catalog gives them or than the last number given here, whichever is
        higher (a burst is numbered before its shots are given their person)."""
        if person is None:
            return 0
        counted = self.catalog.shots_per_person().get(person.id, 0)
        number = max(counted, self._reserved_pseq.get(person.id, 0)) + 1
        self._reserved_pseq[person.id] = number
        return number

    def _free_names(self, base: list[str], sidecars: bool = True) -> list[str]:
        """Names nothing in the folder or the catalog holds (storage.free_names); the rest
        of a split pair goes beside its partner, whose sidecar is its own."""
        known = self.catalog.known_names()
        if sidecars:
            return free_names(self.session.folder, base, known.__contains__, MAX_NAME_SUFFIX)
        for suffix in range(1, MAX_NAME_SUFFIX):
            names = base if suffix == 1 else [numbered(n, suffix) for n in base]
            if not any(n in known or name_taken(self.session.folder / n) for n in names):
                return names
        raise StorageError("No free file name left for this shot; change the template.")

    def _write_primaries(self, work: _Work) -> None:
        """Write each file not yet written; a name taken meanwhile (by another program) moves
        that file to the next free name. Files already verified are never written again."""
        for index, file in enumerate(work.files):
            if index in work.written:
                continue
            for _attempt in range(MAX_NAME_SUFFIX):
                path = self.session.folder / work.names[index]
                try:
                    write_verified(path, file.data)
                except FileExistsError:
                    work.names[index] = self._free_names([numbered(work.names[index], 2)])[0]
                    continue
                except StorageError:
                    raise
                except OSError as exc:
                    raise StorageError(f"Saving failed: {exc}", exc.errno or 0) from exc
                work.written[index] = path
                break

    def _collect_backups(self, work: _Work) -> None:
        if work.backups is None:
            return
        try:
            work.backup_paths, work.backup_problem = work.backups.result()
        finally:
            work.backups = None

    def _record(self, work: _Work, stored: list[StoredFile]) -> None:
        if self.catalog.readonly:
            # SQLite shares one file handle per file within a process: the read-only one
            # must be closed before a writable one can be had.
            self.catalog.close()
            try:
                self.catalog = self._open_catalog()
            except (sqlite3.Error, OSError) as exc:
                self.catalog = Catalog(self.session.folder, readonly=True)
                raise StorageError(CATALOG_REFUSED.format(error=exc)) from exc
            if self.catalog.readonly:
                raise StorageError(CATALOG_REFUSED.format(error="it is read-only"))
            self.notices.append("The session catalog can be written again; the waiting shots "
                                "are recorded.")
        try:
            if work.into_shot:
                self.catalog.add_files(work.into_shot, stored)
            else:
                self.catalog.add_shot(work.seq, work.shot.captured_at, work.shot.camera_model,
                                      stored, work.shot.from_body_button)
        except sqlite3.IntegrityError as exc:
            if "seq" not in str(exc):
                raise StorageError(CATALOG_REFUSED.format(error=exc)) from exc
            work.seq = max(self.catalog.next_seq(), self._reserved_seq + 1)
            self._reserved_seq = work.seq
            raise StorageError(CATALOG_REFUSED.format(error=exc)) from exc
        except sqlite3.Error as exc:
            raise StorageError(CATALOG_REFUSED.format(error=exc)) from exc

    def _backup_all(self, files: tuple[DownloadedFile, ...], names: list[str]
                    ) -> tuple[list[Path | None], str]:
        folder = self.session.backup_folder
        paths: list[Path | None] = []
        problem = ""
        for file, name in zip(files, names, strict=True):
            path, error = backup_copy(folder, name, file.data, file.sha256) if folder \
                else (None, "")
            paths.append(path)
            problem = problem or error
        return paths, problem


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _distinct(names: list[str]) -> list[str]:
    """Names within one shot made distinct (two camera files that sanitise alike)."""
    out: list[str] = []
    for name in names:
        candidate, number = name, 1
        while candidate in out:
            number += 1
            candidate = numbered(name, number)
        out.append(candidate)
    return out
