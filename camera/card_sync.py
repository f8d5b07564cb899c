"""Shots the camera holds that never reached us: taken while the cable was out, in flight when
the connection dropped, or left behind by a crash. At every connect the camera's files are
listed and compared with what the session already has (a CardMemory, kept by the session
catalog) and what this process has fetched; the rest are fetched as body-button shots.

Pure Python; runs on the camera thread; ``missed_shots`` blocks for one listing of the card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from camera.backend import CameraBackend
from camera.types import CameraFile

DISPLAY_FIRST = (".jpg", ".jpeg")
MISSED_MESSAGE = ("{count} shot(s) on the camera had not reached the session (taken while "
                  "disconnected or interrupted); fetching them now.")


class CardMemory(Protocol):
    """What the session remembers of a camera's files (thread-safe, blocks briefly)."""

    def unseen(self, camera: str, paths: list[str]) -> list[str]:
        """Of ``paths`` on ``camera``, those that were neither on it when the session first
        met it nor stored in the session since."""
        ...


def group_into_shots(files: list[CameraFile]) -> list[tuple[CameraFile, ...]]:
    """Files sharing a folder and stem form one shot (RAW+JPEG), in name order."""
    shots: dict[tuple[str, str], list[CameraFile]] = {}
    for file in sorted(files, key=lambda f: (f.folder, f.name)):
        shots.setdefault((file.folder, file.stem), []).append(file)
    return [tuple(sorted(group, key=lambda f: f.name.lower().endswith(DISPLAY_FIRST)))
            for group in shots.values()]


class CardSync:
    def __init__(self) -> None:
        self.memory: CardMemory | None = None
        self.fetched: set[str] = set()      # camera paths handed on by this process

    def missed_shots(self, backend: CameraBackend, busy: Callable[[Callable[[], object]],
                                                                   object],
                     camera: str, pending: set[str]) -> list[tuple[CameraFile, ...]]:
        """Shots to fetch now (``pending``: paths already queued for download)."""
        if self.memory is None:
            return []
        files: list[CameraFile] = busy(backend.list_files)  # type: ignore[assignment]
        skip = self.fetched | pending
        candidates = [f for f in files if f.path not in skip]
        unseen = set(self.memory.unseen(camera, [f.path for f in candidates]))
        return group_into_shots([f for f in candidates if f.path in unseen])
