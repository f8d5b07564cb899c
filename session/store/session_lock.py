"""One writer per session: the process that shoots into a session folder holds an exclusive
``fcntl`` lock on its ``.catchlight.lock`` file for as long as it ingests. A second process
(another window, ``shoot``) is refused with a message naming the holder; it may still review.
The lock is re-entrant within one process (the GUI reopening a session while the old ingest
closes) and is released by the kernel if the holder dies.

Pure Python (POSIX fcntl). Any thread; acquire/release block only for a small file write.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = ".catchlight.lock"
_held: dict[str, tuple[int, int]] = {}     # real lock path -> (fd, count), this process
_guard = threading.Lock()


class SessionBusy(RuntimeError):
    """Another process holds the session; ``user_message`` names it."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    program: str
    since: str

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"{self.program} (process {self.pid}{where}, since {self.since})"


def _program() -> str:
    args = [a for a in sys.argv[1:3] if not a.startswith("-")]
    return "Catchlight " + (args[0] if args and args[0] in ("shoot", "review", "mark")
                            else "window")


def read_holder(folder: Path) -> Holder | None:
    """Who holds ``folder``'s lock according to its lock file (None if unknown)."""
    try:
        with open(folder / LOCK_NAME, encoding="utf-8") as handle:
            data = json.load(handle)
        return Holder(int(data["pid"]), str(data["host"]), str(data["program"]),
                      str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


class SessionLock:
    """The writer's lock on one session folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._key = ""

    def acquire(self) -> None:
        """Take the lock or raise SessionBusy (held elsewhere) or OSError (the folder cannot
        be written)."""
        key = os.path.realpath(self.path)
        with _guard:
            if key in _held:
                fd, count = _held[key]
                _held[key] = (fd, count + 1)
                self._key = key
                return
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_CLOEXEC", 0), 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                holder = read_holder(self.folder)
                who = holder.describe() if holder else "another Catchlight process"
                raise SessionBusy(f"The session {self.folder.name} is being shot by {who}. "
                                  "Only one program may shoot into a session at a time: close "
                                  "that one or open another session.") from None
            info = {"pid": os.getpid(), "host": socket.gethostname(), "program": _program(),
                    "since": dt.datetime.now().strftime("%H:%M %Y-%m-%d")}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(info).encode(), 0)
            _held[key] = (fd, 1)
            self._key = key

    def release(self) -> None:
        if not self._key:
            return
        with _guard:
            fd, count = _held[self._key]
            if count > 1:
                _held[self._key] = (fd, count - 1)
            else:
                del _held[self._key]
                os.close(fd)          # closing drops the flock
        self._key = ""

    def __enter__(self) -> SessionLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()
