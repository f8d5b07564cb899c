"""Safe ingest of downloaded shots into a session: name, atomic verified write, verified
backup copy, catalog record, in that order; a shot that cannot be saved stays queued.

Pure Python. An Ingester lives on one thread (the ingest worker's, or the command line's main
thread) because it owns a SQLite connection; every call blocks on disk I/O.
"""

from __future__ import annotations

import logging
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from camera.types import DownloadedFile, DownloadedShot
from session.backup_catchup import catch_up_backups
from session.catalog import Catalog, ShotRecord, StoredFile
from session.naming import NameFields, numbered
from session.repair import RepairReport, repair_session
from session.sanitize import split_camera_name
from session.session import Session
from session.storage import StorageError, verify_file, write_verified

log = logging.getLogger(__name__)
MAX_NAME_SUFFIX = 1000


@dataclass(frozen=True)
class IngestResult:
    shot: DownloadedShot
    record: ShotRecord
    paths: tuple[Path, ...]
    backup_problem: str = ""
    already_stored: bool = False   # the same bytes were in the session (fetched twice)


class Ingester:
    """Stores shots of one session. Not thread-safe: use it from one thread."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.catalog = Catalog(session.folder)
        self.repair_report: RepairReport = repair_session(session.folder, self.catalog)
        self.pending: deque[DownloadedShot] = deque()
        self._backup_pool = ThreadPoolExecutor(1, thread_name_prefix="ingest-backup")
        self.backups_missing = bool(session.backup_folder)   # checked by the first retry

    def close(self) -> None:
        self._backup_pool.shutdown(wait=True)
        self.catalog.close()

    def submit(self, shot: DownloadedShot) -> list[IngestResult]:
        """Queue ``shot`` behind any shots still waiting, then try to store them all in order.

        Returns what was stored now; raises StorageError (with the shots kept queued) when the
        disk refuses. The next call retries."""
        self.pending.append(shot)
        return self.retry()

    def retry(self) -> list[IngestResult]:
        """Store the queued shots in order. If the disk refuses part-way, StorageError carries
        the shots stored before that in ``stored`` (they must still be reported)."""
        stored: list[IngestResult] = []
        while self.pending:
            try:
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

    def _names(self, shot: DownloadedShot, seq: int) -> list[str]:
        """One name per file, sharing a stem (so a RAW+JPEG pair stays together), never
        colliding with a file already in the folder or the catalog."""
        known = self.catalog.known_names()
        base = [self.session.template.render(NameFields(
            self.session.name, seq, shot.captured_at, shot.camera_model,
            *split_camera_name(f.source.name))) for f in shot.files]
        base = _distinct(base)
        for suffix in range(1, MAX_NAME_SUFFIX):
            names = base if suffix == 1 else [numbered(n, suffix) for n in base]
            if not any(n in known or (self.session.folder / n).exists() for n in names):
                return names
        raise StorageError("No free file name left for this shot; change the template.")

    def _store(self, shot: DownloadedShot) -> IngestResult:
        known = {f.sha256: self.catalog.same_file(f.sha256, f.source.path) for f in shot.files}
        if shot.files and all(known.values()):
            # fetched again after a reconnect or a crash: never store the same shot twice
            record = ShotRecord(0, 0, shot.captured_at, shot.camera_model, tuple(
                StoredFile(str(known[f.sha256]), len(f.data), f.sha256, f.source.path)
                for f in shot.files), shot.from_body_button)
            return IngestResult(shot, record, tuple(self.session.folder / str(known[f.sha256])
                                                    for f in shot.files), "", True)
        if any(known.values()):
            return self._complete(shot, known)
        seq = self.catalog.next_seq()
        names = self._names(shot, seq)
        written, stored, backup_problem = self._write_files(shot.files, names)
        self.catalog.add_shot(seq, shot.captured_at, shot.camera_model, stored,
                              shot.from_body_button)
        record = ShotRecord(0, seq, shot.captured_at, shot.camera_model, tuple(stored),
                            shot.from_body_button)
        self.backups_missing = self.backups_missing or bool(backup_problem)
        return IngestResult(shot, record, tuple(written), backup_problem)

    def _complete(self, shot: DownloadedShot, known: dict[str, str | None]) -> IngestResult:
        """Part of this shot is already in the session (one file of a RAW+JPEG pair that a
        crash left behind and repair recorded): store only the rest, beside it."""
        existing = str(next(name for name in known.values() if name))
        shot_id, seq = self.catalog.shot_of(existing)
        missing = tuple(f for f in shot.files if not known[f.sha256])
        taken = self.catalog.known_names()
        names = []
        for file in missing:
            name = f"{Path(existing).stem}.{split_camera_name(file.source.name)[1]}"
            number = 1
            while name in taken or (self.session.folder / name).exists():
                number += 1
                name = numbered(f"{Path(existing).stem}.{Path(name).suffix[1:]}", number)
            names.append(name)
        written, stored, backup_problem = self._write_files(missing, names)
        self.catalog.add_files(shot_id, stored)
        self.backups_missing = self.backups_missing or bool(backup_problem)
        paths = [self.session.folder / str(known[f.sha256]) for f in shot.files
                 if known[f.sha256]] + written
        record = ShotRecord(shot_id, seq, shot.captured_at, shot.camera_model, tuple(stored),
                            shot.from_body_button)
        return IngestResult(shot, record, tuple(paths), backup_problem)

    def _write_files(self, files: tuple[DownloadedFile, ...], names: list[str]
                     ) -> tuple[list[Path], list[StoredFile], str]:
        """Write (verified) and back up (verified) files under ``names``: all or none."""
        # The verified backup copies are written on a helper thread while the primary copies
        # are written here: two independent writes of bytes already in memory.
        backups = self._backup_pool.submit(self._backup_all, files, names) \
            if self.session.backup_folder else None
        written: list[Path] = []
        try:
            for file, name in zip(files, names, strict=True):
                path = self.session.folder / name
                write_verified(path, file.data)
                written.append(path)
        except (OSError, StorageError) as exc:
            if backups is not None:
                backups.result()
            for path in written:  # all files of a shot are stored together or not at all
                path.unlink(missing_ok=True)
            if isinstance(exc, StorageError):
                raise
            raise StorageError(f"Saving failed: {exc}", exc.errno or 0) from exc
        backup_paths, backup_problem = backups.result() if backups else ([None] * len(names), "")
        stored = [StoredFile(name, len(file.data), file.sha256, file.source.path,
                             str(backup) if backup else None)
                  for file, name, backup in zip(files, names, backup_paths, strict=True)]
        return written, stored, backup_problem

    def _backup_all(self, files: tuple[DownloadedFile, ...], names: list[str]
                    ) -> tuple[list[Path | None], str]:
        paths, problem = [], ""
        for file, name in zip(files, names, strict=True):
            path, error = self._backup(name, file.data, file.sha256)
            paths.append(path)
            problem = problem or error
        return paths, problem

    def _backup(self, name: str, data: bytes, sha256: str) -> tuple[Path | None, str]:
        """Copy to the backup folder and verify there. A backup failure never loses the shot
        (the primary copy is verified); it is reported, and the copy is made later from the
        primary (retry_backups)."""
        folder = self.session.backup_folder
        if folder is None:
            return None, ""
        target = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if target.exists():
                verify_file(target, len(data), sha256)
            else:
                write_verified(target, data)
            return target, ""
        except (OSError, StorageError) as exc:
            message = getattr(exc, "user_message", str(exc))
            log.warning("backup of %s failed: %s", name, message)
            return None, f"Backup copy failed: {message}"


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

