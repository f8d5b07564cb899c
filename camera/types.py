"""Immutable values that cross threads: camera identity, settings, frames, files, shots.

Pure Python. Everything here is a frozen dataclass holding bytes, strings, numbers or a
read-only NumPy array, so the camera thread, the ingest thread and the GUI can share them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from media.file_kinds import stem_of


class CaptureTarget(enum.Enum):
    """Where the camera stores a shot. CARD keeps a copy; RAM holds it until we download it."""

    CARD = "card"
    RAM = "ram"


class CameraState(enum.Enum):
    DISCONNECTED = "disconnected"
    CONNECTING = "connecting"
    READY = "ready"
    LIVE_VIEW = "live view"
    CAPTURING = "capturing"


@dataclass(frozen=True)
class CameraInfo:
    model: str
    port: str


@dataclass(frozen=True)
class CameraSummary:
    model: str
    serial: str = ""
    battery: str = ""
    free_bytes: int | None = None
    manufacturer: str = ""


@dataclass(frozen=True)
class Setting:
    """One photographer-facing setting. ``key`` is ours (iso, aperture, ...); ``name`` the
    camera's widget name (f-number, ...)."""

    key: str
    name: str
    label: str
    value: str
    choices: tuple[str, ...] = ()
    readonly: bool = False


@dataclass(frozen=True)
class CameraFile:
    """A file on the camera. ``size`` and ``mtime`` come from a card listing or the download
    (-1 / 0 when unknown); they are not part of its identity, but they tell a new file from
    an old one of the same name after a card was formatted."""

    folder: str
    name: str
    size: int = field(default=-1, compare=False)
    mtime: float = field(default=0.0, compare=False)

    @property
    def path(self) -> str:
        return f"{self.folder.rstrip('/')}/{self.name}"

    @property
    def stem(self) -> str:
        return stem_of(self.name)


class EventKind(enum.Enum):
    TIMEOUT = "timeout"
    FILE_ADDED = "file added"
    CAPTURE_COMPLETE = "capture complete"
    OTHER = "other"


@dataclass(frozen=True)
class CameraEvent:
    kind: EventKind
    file: CameraFile | None = None
    detail: str = ""


@dataclass(frozen=True)
class LiveFrame:
    """A live-view frame: the camera's JPEG bytes, the decoded RGB image for analysis and the
    same pixels as BGRA (Qt's fast RGB32 layout) for painting; both arrays read-only."""

    seq: int
    timestamp: float
    jpeg: bytes
    rgb: np.ndarray = field(repr=False)
    bgra: np.ndarray = field(repr=False)

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])


@dataclass(frozen=True)
class DownloadedFile:
    """The bytes of one camera file, with the SHA-256 computed while they arrived."""

    source: CameraFile
    data: bytes
    sha256: str


@dataclass(frozen=True)
class DownloadedShot:
    """One exposure: one file, or a RAW+JPEG pair kept together."""

    files: tuple[DownloadedFile, ...]
    captured_at: float
    camera_model: str
    target: CaptureTarget
    from_body_button: bool = False


# How bad a camera problem is: info, warning, error, or fatal (the camera thread has stopped:
# nothing more can be captured).
ProblemSeverity = Literal["info", "warning", "error", "fatal"]
