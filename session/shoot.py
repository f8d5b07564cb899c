"""``python main.py shoot``: headless tethered capture through the same camera worker and
ingest thread as the GUI, printing one line per verified file.

Pure Python threading; ``shoot`` blocks the calling (main) thread until done.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from camera.backend import CameraBackend
from camera.listener import CameraListener
from camera.types import CameraInfo, CameraSummary, CaptureTarget, DownloadedShot, Setting
from camera.worker import WorkerOptions
from session.catalog import Catalog
from session.ingest import IngestResult
from session.session import Session, open_session
from session.tether import Tether


def session_at(folder: Path, backup: Path | None = None) -> Session:
    """Open ``folder`` as a session, creating the folder (and its catalog) if needed;
    ``backup`` sets the folder that receives a verified second copy of every file."""
    folder.mkdir(parents=True, exist_ok=True)
    if backup is not None:
        backup.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(folder)
        try:
            catalog.set_meta("backup_folder", str(backup))
        finally:
            catalog.close()
    return open_session(folder)


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


def shoot(backend: CameraBackend, port: str, folder: Path, count: int,
          out: TextIO = sys.stdout, err: TextIO = sys.stderr, timeout_s: float = 60.0,
          options: WorkerOptions | None = None, backup: Path | None = None) -> int:
    """Take ``count`` shots into the session at ``folder``. Returns the process exit code."""
    session = session_at(folder, backup)
    listener = _ShootListener(err)
    stored = threading.Semaphore(0)
    lines_lock = threading.Lock()

    def on_stored(result: IngestResult) -> None:
        with lines_lock:
            for path, file in zip(result.paths, result.shot.files, strict=True):
                print(f"{path}\t{len(file.data)}\t{file.sha256}", file=out, flush=True)
            if result.backup_problem:
                print(f"warning: {result.backup_problem}", file=err)
        stored.release()

    def on_failed(message: str, waiting: int) -> None:
        print(f"error: {message} ({waiting} shot(s) waiting)", file=err, flush=True)

    tether = Tether(backend, port, session, listener, on_stored, on_failed,
                    lambda report, _shots: report.message and print(report.message, file=err),
                    options)
    tether.start()
    try:
        if not listener.connected.wait(timeout_s):
            print(f"error: no camera answered on {port} within {timeout_s:.0f} s", file=err)
            return 2
        for _ in range(count):
            tether.worker.capture()
            if not listener.downloaded.acquire(timeout=timeout_s):
                print("error: the camera did not deliver a shot in time", file=err)
                return 1
        deadline = time.monotonic() + timeout_s
        for _ in range(count):
            if not stored.acquire(timeout=max(0.0, deadline - time.monotonic())):
                print("error: not every shot could be verified on disk", file=err)
                return 1
        return 0
    finally:
        tether.stop()
