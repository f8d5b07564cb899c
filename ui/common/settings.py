"""Every persistent preference, declared once: its key, type (from its default), default and
allowed values, in one registry; typed ``get``/``set`` over QSettings (INI format) with a
schema version and the steps that bring an older file up to it. No other module reads or writes
QSettings. GUI thread only; cheap calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from ui.common.client_screens import ON_UNPLUG_CLOSE, ON_UNPLUG_MOVE

REVIEW_BESIDE = "beside"
REVIEW_INSTEAD = "instead"
T = TypeVar("T", str, bool, float, bytes)


_DECLARED: dict[str, Key[Any]] = {}       # every key, in the order declared


@dataclass(frozen=True)
class Key(Generic[T]):
    """A preference, declared once: it registers itself (a second key of the same name is
    refused when the module loads)."""

    name: str
    default: T
    choices: tuple[T, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def __post_init__(self) -> None:
        if self.name in _DECLARED:
            raise ValueError(f"the setting {self.name!r} is declared twice")
        _DECLARED[self.name] = self

    def parse(self, raw: object) -> T:
        """The stored value as this key's type; anything unusable gives the default."""
        default = self.default
        value: object
        try:
            if isinstance(default, bool):
                value = raw if isinstance(raw, bool) else str(raw).lower() == "true"
            elif isinstance(default, float):
                value = float(str(raw))           # QSettings gives text or a number
                if self.minimum is not None:
                    value = max(self.minimum, value)
                if self.maximum is not None:
                    value = min(self.maximum, value)
            elif isinstance(default, bytes):
                value = bytes(raw.data()) if isinstance(raw, QByteArray) else default
            else:
                value = "" if raw is None else str(raw)
        except (TypeError, ValueError):
            return default
        if self.choices and value not in self.choices:
            return default
        return value                              # of the default's type, made so above


LAST_SESSION = Key("session/last", "")
REVIEW_MODE = Key("review/mode", REVIEW_INSTEAD, (REVIEW_INSTEAD, REVIEW_BESIDE))
REVIEW_SECONDS = Key("review/seconds", 3.0, minimum=0.5, maximum=60.0)
SHOW_GRID = Key("overlay/grid", True)
ASPECT_MASK = Key("overlay/aspect", "", ("", "4:5", "2:3", "1:1"))
CULL_ADVANCE = Key("cull/advance", False)
COACH_PROFILE = Key("coach/profile", "")
COACH_OVERLAY = Key("coach/overlay", True)
LIGHT_STROBES, LIGHT_CONTINUOUS = "strobes", "continuous"
# What live view shows of the light: strobes (the modelling lamps, not the flash) by default.
COACH_LIGHT = Key("coach/light", LIGHT_STROBES, (LIGHT_STROBES, LIGHT_CONTINUOUS))
SHOW_PEAKING = Key("aids/peaking", False)
SHOW_ZEBRA = Key("aids/zebra", False)
SHOW_HISTOGRAM = Key("aids/histogram", False)
SHOW_FACE_METER = Key("aids/face_meter", False)
CLIENT_OPEN = Key("client/open", False)
CLIENT_SCREEN = Key("client/screen", "")
CLIENT_CROSSFADE = Key("client/crossfade", True)
CLIENT_SHOW_FLAGGED = Key("client/show_flagged", False)
CLIENT_COACH_LINE = Key("client/coach_line", False)
CLIENT_HEARTS = Key("client/hearts", False)      # a tap on the client screen hearts the shot
CLIENT_ON_UNPLUG = Key("client/on_unplug", ON_UNPLUG_CLOSE, (ON_UNPLUG_CLOSE, ON_UNPLUG_MOVE))
EXPORT_FOLDER = Key("export/folder", "")            # '' : beside the session
EXPORT_ORIGINALS = Key("export/originals", True)
EXPORT_JPEG = Key("export/jpeg", True)
EXPORT_LONG_EDGE = Key("export/long_edge", 2048.0, minimum=64, maximum=20000)
EXPORT_QUALITY = Key("export/quality", 90.0, minimum=1, maximum=100)
EXPORT_STRIP = Key("export/strip_private", True)
EXPORT_TEMPLATE_KEY = Key("export/template", "{orig}")
ARTIST = Key("credit/artist", "")
COPYRIGHT = Key("credit/copyright", "")
SHEET_PAGE = Key("sheet/page", "", ("", "A4", "Letter"))       # '' : from the locale
SHEET_LAYOUT = Key("sheet/layout", "auto", ("auto", "2x3", "3x4", "4x5"))
SHEET_MARKS = Key("sheet/marks", False)
WINDOW_GEOMETRY = Key("window/geometry", b"")
WINDOW_STATE = Key("window/state", b"")
WINDOW_SPLITTER = Key("window/splitter", b"")
KEYS: tuple[Key[Any], ...] = tuple(_DECLARED.values())


def _first_numbered(_q: QSettings) -> None:
    """Files written before the schema had a number hold the same keys with the same
    meanings: nothing to move."""


# Step i brings a file of schema i to schema i + 1. A renamed or re-typed key gets a step
# here (read the old name, write the new, remove the old); never edit a released step.
UPGRADES: tuple[Callable[[QSettings], None], ...] = (_first_numbered,)
SCHEMA_VERSION = len(UPGRADES)


def upgrade(q: QSettings) -> None:
    """Run the steps ``q`` has not had, in order, and record the new schema; a file from a
    newer Catchlight (a higher number) is left as it is, its keys read where they parse."""
    try:
        version = int(str(q.value("schema", 0) or 0))
    except ValueError:
        version = 0
    if version >= len(UPGRADES):
        return
    for step in UPGRADES[max(0, version):]:
        step(q)
    q.setValue("schema", len(UPGRADES))


class AppSettings:
    """The preferences file: the user's (``~/.config/Catchlight/Catchlight.ini``) or, for
    tests and benchmarks, the one at ``path``."""

    def __init__(self, path: Path | None = None) -> None:
        self._q = QSettings(str(path), QSettings.Format.IniFormat) if path is not None else \
            QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Catchlight",
                      "Catchlight")
        upgrade(self._q)

    def get(self, key: Key[T]) -> T:
        return key.parse(self._q.value(key.name, key.default))

    def set(self, key: Key[T], value: T) -> None:
        self._q.setValue(key.name, QByteArray(value) if isinstance(value, bytes) else value)

    @property
    def last_session(self) -> Path | None:
        text = self.get(LAST_SESSION)
        return Path(text) if text else None

    def sync(self) -> None:
        self._q.sync()
