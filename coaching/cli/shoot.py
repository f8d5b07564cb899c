"""``python main.py shoot``: headless tethered capture through the same camera worker and
ingest thread as the GUI, printing one line per verified file.

Pure Python threading; ``shoot`` blocks the calling (main) thread until done.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from camera.backend import CameraBackend
from camera.owner.listener import CameraListener
from camera.owner.worker import WorkerOptions
from camera.types import CameraInfo, CameraSummary, CaptureTarget, DownloadedShot, Setting
from session.culling.xmp_sidecar import SidecarUnreadable
from session.ingest.ingest import IngestResult
from session.ingest.tether import Tether
from session.people.person_record import record_person
from session.people.roster import Person
from session.people.roster_store import RosterStore
from session.store.catalog import CATALOG_NAME, Catalog, ShotRecord
from session.store.repair import RepairReport
from session.store.session import Session, SessionError, open_session
from session.store.session_lock import SessionBusy, SessionLock


def session_at(folder: Path, backup: Path | None = None) -> Session:
    """Open ``folder`` as a session, creating the folder (and its catalog) if needed;
    ``backup`` is the backup drive's folder: every file gets a verified second copy in
    ``backup/<session folder name>/``, so many sessions can share one drive. Raises
    SessionBusy (another process shoots into it), SessionError, OSError."""
    folder.mkdir(parents=True, exist_ok=True)
    opened = open_session(folder)
    if backup is None:
        return opened
    with SessionLock(folder):       # the backup folder is the writer's to change
        per_session = backup / folder.resolve().name
        per_session.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(folder)
        try:
            catalog.set_meta("backup_folder", str(per_session))
        finally:
            catalog.close()
    return replace(open_session(folder), notice=opened.notice)


class _ShootListener(CameraListener):
    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.connected = threading.Event()
        self.downloaded = threading.Semaphore(0)

    def on_connected(self, info: CameraInfo, summary: CameraSummary,
                     settings: tuple[Setting, ...], target: CaptureTarget) -> None:
        print(f"camera: {info.model} on {info.port}, saving to {target.value}", file=self.err)
        self.connected.set()

    def on_shot(self, shot: DownloadedShot) -> None:
        self.downloaded.release()

    def on_lost(self, message: str) -> None:
        print(f"camera lost: {message} (reconnecting)", file=self.err)

    def on_problem(self, message: str, severity: str) -> None:
        print(f"{severity}: {message}", file=self.err)


def roster_person(folder: Path, person_id: str) -> Person | None:
    """The person with ``person_id`` (or that exact name) in the session's roster."""
    if not (folder / CATALOG_NAME).is_file():
        return None
    store = RosterStore(folder)
    try:
        people = store.people()
    finally:
        store.close()
    return next((p for p in people if p.id == person_id), None) or \
        next((p for p in people if p.name == person_id), None)


def shoot(backend: CameraBackend, port: str, folder: Path, count: int,
          out: TextIO = sys.stdout, err: TextIO = sys.stderr, timeout_s: float = 60.0,
          options: WorkerOptions | None = None, backup: Path | None = None,
          person_id: str = "") -> int:
    """Take ``count`` shots into the session at ``folder`` (``person_id``: whose shots they
    are, on a headshot day: named and recorded as theirs). Returns the process exit code:
    0 done, 1 not every shot was verified on disk, 2 could not start (no camera, no such
    person, the session is being shot by another process or cannot be written)."""
    person = roster_person(folder, person_id) if person_id else None
    if person_id and person is None:
        print(f"error: nobody with the id {person_id!r} is in the roster of {folder} "
              "(python main.py roster SESSION lists it)", file=err)
        return 2
    try:
        session = session_at(folder, backup)
    except (SessionBusy, SessionError, OSError) as exc:
        print(f"error: {getattr(exc, 'user_message', None) or exc}", file=err)
        return 2
    if session.notice:
        print(f"warning: {session.notice}", file=err)
    listener = _ShootListener(err)
    stored = threading.Semaphore(0)
    lines_lock = threading.Lock()
    dead = threading.Event()

    def on_stored(result: IngestResult) -> None:
        if person is not None:
            try:
                record_person(session.folder, list(result.paths), person)
            except (OSError, ValueError, SidecarUnreadable) as exc:
                print(f"warning: {result.paths[0].name} is saved but could not be given to "
                      f"{person.name}: {exc}", file=err)
        with lines_lock:
            for path, file in zip(result.paths, result.shot.files, strict=True):
                print(f"{path}  {len(file.data)}  {file.sha256}", file=out, flush=True)
            if result.backup_problem:
                print(f"warning: {result.backup_problem}", file=err)
        stored.release()

    def on_failed(message: str, waiting: int) -> None:
        print(f"error: {message} ({waiting} shot(s) waiting)", file=err, flush=True)

    def on_fatal(message: str) -> None:
        print(f"error: {message}", file=err, flush=True)
        dead.set()
        listener.connected.set()
        listener.downloaded.release()

    def on_notice(message: str) -> None:
        print(f"warning: {message}", file=err, flush=True)

    def on_opened(report: RepairReport, _shots: list[ShotRecord]) -> None:
        if report.message:
            print(report.message, file=err)

    tether = Tether(backend, port, session, listener, on_stored, on_failed, on_opened,
                    options, on_fatal=on_fatal, on_notice=on_notice)
    worker = tether.worker
    assert worker is not None          # made with a backend
    tether.set_person(person)
    tether.start()
    try:
        if not listener.connected.wait(timeout_s):
            print(f"error: no camera answered on {port} within {timeout_s:.0f} s", file=err)
            return 2
        for _ in range(count):
            if dead.is_set():
                return 2
            worker.capture()
            if not listener.downloaded.acquire(timeout=timeout_s):
                print("error: the camera did not deliver a shot in time", file=err)
                return 1
        deadline = time.monotonic() + timeout_s
        for _ in range(count):
            if dead.is_set() or not stored.acquire(
                    timeout=max(0.0, deadline - time.monotonic())):
                print("error: not every shot could be verified on disk", file=err)
                return 1
        return 0
    finally:
        tether.stop()
