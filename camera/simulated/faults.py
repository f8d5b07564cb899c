"""Fault injection for the simulated camera: busy answers, I/O errors, unplugging, slow and
truncated downloads. Tests and the soak harness set these from any thread.

Pure Python; every method is thread-safe and non-blocking.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field


@dataclass
class FaultPlan:
    """What the simulated camera should do wrong. Counts are consumed as faults fire."""

    busy_next: int = 0            # the next N calls answer -110
    busy_rate: float = 0.0        # and this fraction of all calls after that
    io_error_next: int = 0        # the next N calls answer -7
    truncate_next: int = 0        # the next N downloads deliver half the bytes
    truncate_rate: float = 0.0    # and this fraction of all downloads after that
    corrupt_rate: float = 0.0     # downloads whose bytes arrive damaged (right size)
    download_s_per_mb: float = 0.0
    claimed_by_other: bool = False  # opening answers -53 (another program holds the USB device)
    seed: int = 0
    fired: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def _fire(self, kind: str) -> None:
        self.fired[kind] = self.fired.get(kind, 0) + 1

    def take_busy(self) -> bool:
        if self._take("busy_next", "busy"):
            return True
        with self._lock:
            if self.busy_rate and self._rng.random() < self.busy_rate:
                self._fire("busy")
                return True
            return False

    def _take(self, counter: str, kind: str) -> bool:
        with self._lock:
            if getattr(self, counter) > 0:
                setattr(self, counter, getattr(self, counter) - 1)
                self._fire(kind)
                return True
            return False

    def take_io_error(self) -> bool:
        return self._take("io_error_next", "io")

    def take_truncate(self) -> bool:
        return self._take("truncate_next", "truncated") or self._chance("truncate_rate",
                                                                          "truncated")

    def _chance(self, rate: str, kind: str) -> bool:
        with self._lock:
            if getattr(self, rate) and self._rng.random() < getattr(self, rate):
                self._fire(kind)
                return True
            return False

    def corrupt(self, data: bytes, name: str = "") -> bytes:
        """``data`` damaged as a failing transfer does it, same length: a garbage header
        (another object's buffer) or, for a JPEG, a zero-filled tail; or unchanged. (Damage
        in the middle of RAW sensor data leaves no trace a receiver could check: PTP carries
        no checksum.)"""
        if not self._chance("corrupt_rate", "corrupted"):
            return data
        with self._lock:
            garbage_head = self._rng.random() < 0.5 or not name.lower().endswith(".jpg")
        if garbage_head:
            return bytes(64) + data[64:]
        cut = len(data) * 2 // 3
        return data[:cut] + bytes(len(data) - cut)

    def set(self, **changes: float) -> None:
        with self._lock:
            for name, value in changes.items():
                if not hasattr(self, name) or name.startswith("_"):
                    raise AttributeError(name)
                setattr(self, name, value)
