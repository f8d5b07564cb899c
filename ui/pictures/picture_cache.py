"""The decoded pictures of shots, one cache for every view that shows a shot large: keyed by
(file, level), where the level is the screen-sized decode or every camera pixel. The capture
pipeline puts each new capture's screen picture in (from its one decode), so the review's
loupe and compare show a fresh capture without decoding it again; the loupe loader puts what
it decodes of older shots. Bounded per level (memory stays flat). Any thread (a lock)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtGui import QImage

Level = Literal["screen", "full"]
LIMITS: dict[Level, int] = {"screen": 12, "full": 2}   # current, neighbours, a few seen


@dataclass(frozen=True)
class Picture:
    image: QImage
    source_size: tuple[int, int]   # camera pixels, upright
    full: bool
    warning: str = ""


def upright_size(source: tuple[int, int], shown: tuple[int, int]) -> tuple[int, int]:
    """The camera size turned like the decoded picture (EXIF orientation 6/8 swaps sides)."""
    if (source[0] > source[1]) != (shown[0] > shown[1]) and source[0] != source[1]:
        return source[1], source[0]
    return source


def fitted_size(source: tuple[int, int], target: tuple[int, int]) -> tuple[int, int]:
    """The size ``source`` is shown at inside ``target`` (never enlarged)."""
    scale = min(1.0, target[0] / max(1, source[0]), target[1] / max(1, source[1]))
    return round(source[0] * scale), round(source[1] * scale)


class PictureCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._levels: dict[Level, OrderedDict[str, Picture]] = {
            level: OrderedDict() for level in LIMITS}

    def put(self, path: Path | str, level: Level, picture: Picture) -> None:
        with self._lock:
            store = self._levels[level]
            store[str(path)] = picture
            store.move_to_end(str(path))
            while len(store) > LIMITS[level]:
                store.popitem(last=False)

    def get(self, path: Path | str, level: Level,
            target: tuple[int, int] | None = None) -> Picture | None:
        """The picture of ``path`` at ``level``; with ``target``, only one large enough to
        fill it (within a pixel) as a decode for it would."""
        with self._lock:
            store = self._levels[level]
            picture = store.get(str(path))
            if picture is None:
                return None
            if target is not None:
                wanted = fitted_size(picture.source_size, target)
                if picture.image.width() < wanted[0] - 1 and \
                        picture.image.height() < wanted[1] - 1:
                    return None
            store.move_to_end(str(path))
            return picture

    def __contains__(self, key: tuple[Path | str, Level]) -> bool:
        path, level = key
        with self._lock:
            return str(path) in self._levels[level]
