"""Disk faults for the soak: slow writes and bursts of "disk full", injected at the one place
every file write of the session goes through (session.store.storage's write loop)."""

from __future__ import annotations

import errno
import random
import threading
import time
from collections.abc import Callable

from session.store import storage


class DiskFaults:
    def __init__(self, seed: int, slow_rate: float, slow_s: float) -> None:
        self.rng = random.Random(seed)
        self.slow_rate = slow_rate
        self.slow_s = slow_s
        self.full_writes_left = 0
        self.fired = {"slow_disk": 0, "enospc": 0, "enospc_bursts": 0}
        self._lock = threading.Lock()
        self._original: Callable[[int, bytes], None] = storage._write_all

    def disk_full_for(self, writes: int) -> None:
        """The next ``writes`` file writes fail with ENOSPC (a burst of a full disk)."""
        with self._lock:
            self.full_writes_left = writes
            self.fired["enospc_bursts"] += 1

    def _write_all(self, fd: int, data: bytes) -> None:
        with self._lock:
            full = self.full_writes_left > 0
            if full:
                self.full_writes_left -= 1
                self.fired["enospc"] += 1
            slow = not full and self.rng.random() < self.slow_rate
            if slow:
                self.fired["slow_disk"] += 1
        if full:
            raise OSError(errno.ENOSPC, "No space left on device")
        if slow:
            time.sleep(self.slow_s)
        self._original(fd, data)

    def __enter__(self) -> DiskFaults:
        storage._write_all = self._write_all  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        storage._write_all = self._original  # type: ignore[assignment]
