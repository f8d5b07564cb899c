"""Shots the camera holds that never reached us: taken while the cable was out, in flight when
the connection dropped, or left behind by a crash. At every connect the camera's files are
listed and compared with what the session already has (a CardMemory, kept by the session
catalog) and what this process has fetched; the rest are fetched as body-button shots. A file
is known by its path, size and time, so a new file reusing an old name after the card was
formatted is still fetched. While a capture waits for a FILE_ADDED event that some bodies
never send, the worker lists the card after a few seconds, so a lost event costs seconds.

Pure Python; runs on the camera thread; ``missed_shots`` blocks for one listing of the card.
"""

from __future__ import annotations

import logging
from typing import Protocol

from camera.backend import CameraBackend
from camera.owner.retry import Busy
from camera.types import CameraFile
from media.file_kinds import JPEG_EXTENSIONS, extension

log = logging.getLogger(__name__)
MISSED_MESSAGE = ("{count} shot(s) on the camera had not reached the session (taken while "
                  "disconnected or interrupted); fetching them now.")


class CardMemory(Protocol):
    """What the session remembers of a camera's files (thread-safe, blocks briefly)."""

    def unseen(self, camera: str, files: list[CameraFile]) -> list[CameraFile]:
        """Of ``files`` on ``camera`` (with their listed size and time), those that were
        neither on it when the session first met it nor stored in the session since."""
        ...


def group_into_shots(files: list[CameraFile]) -> list[tuple[CameraFile, ...]]:
    """Files sharing a folder and stem form one shot (RAW+JPEG), in name order."""
    shots: dict[tuple[str, str], list[CameraFile]] = {}
    for file in sorted(files, key=lambda f: (f.folder, f.name)):
        shots.setdefault((file.folder, file.stem), []).append(file)
    return [tuple(sorted(group, key=lambda f: extension(f.name) in JPEG_EXTENSIONS))
            for group in shots.values()]


class CardSync:
    def __init__(self) -> None:
        self.memory: CardMemory | None = None
        self.fetched: dict[str, int] = {}   # camera path -> size, handed on by this process

    def was_fetched(self, file: CameraFile, size: int) -> bool:
        """This very file (path and size) was already handed on by this process."""
        return self.fetched.get(file.path) == size

    def missed_shots(self, backend: CameraBackend, busy: Busy, camera: str,
                     pending: set[str]) -> list[tuple[CameraFile, ...]]:
        """Shots to fetch now (``pending``: paths already queued or being assembled)."""
        if self.memory is None:
            return []
        files = busy(backend.list_files)
        candidates = [f for f in files if f.path not in pending
                      and not (f.size >= 0 and self.was_fetched(f, f.size))]
        try:
            unseen = set(self.memory.unseen(camera, candidates))
        except Exception as exc:  # the session's memory failing must not cost the camera
            log.warning("the session's memory of the card could not be read: %s", exc)
            log.debug("the card's memory", exc_info=True)
            return []
        return group_into_shots([f for f in candidates if f in unseen])
