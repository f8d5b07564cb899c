"""Group FILE_ADDED events into shots: a RAW+JPEG pair (same base name) is one shot.

Pure Python, no I/O; used on the camera thread. A group is ready when it has as many files as
the image format produces, when the camera says the capture is complete, or when no partner
has arrived for ``settle_s``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from camera.types import CameraFile

RAW_WORDS = ("raw", "nef", "cr2", "cr3", "arw", "raf", "orf", "rw2", "dng", "pef")
JPEG_WORDS = ("jpeg", "jpg", "fine", "normal", "basic")


def files_per_shot(image_format: str) -> int:
    """2 for a RAW+JPEG image format setting, else 1."""
    text = image_format.lower()
    has_raw = any(w in text for w in RAW_WORDS)
    has_jpeg = any(w in text for w in JPEG_WORDS)
    return 2 if has_raw and has_jpeg else 1


@dataclass
class _Group:
    stem: str
    files: list[CameraFile] = field(default_factory=list)
    last_added: float = 0.0
    complete: bool = False


class ShotAssembler:
    """Collects camera files into shots, in arrival order."""

    def __init__(self, expected: int = 1, settle_s: float = 0.6) -> None:
        self.expected = expected
        self.settle_s = settle_s
        self._groups: list[_Group] = []

    def __len__(self) -> int:
        return len(self._groups)

    def files(self) -> list[CameraFile]:
        """Every file announced and still waiting for its partner."""
        return [f for group in self._groups for f in group.files]

    def add(self, file: CameraFile, now: float) -> None:
        key = f"{file.folder}/{file.stem}".lower()
        for group in self._groups:
            if group.stem == key and file not in group.files:
                group.files.append(file)
                group.last_added = now
                return
        self._groups.append(_Group(key, [file], now))

    def capture_complete(self) -> None:
        """The camera reported CAPTURE_COMPLETE: everything seen so far is whole."""
        for group in self._groups:
            group.complete = True

    def pop_ready(self, now: float) -> list[tuple[CameraFile, ...]]:
        ready, waiting = [], []
        for group in self._groups:
            whole = group.complete or len(group.files) >= self.expected
            if whole or now - group.last_added >= self.settle_s:
                ready.append(tuple(group.files))
            else:
                waiting.append(group)
        self._groups = waiting
        return ready
