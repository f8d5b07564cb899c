"""All persistent preferences in one place: typed accessors over QSettings (INI format) with
defaults and a schema version. GUI thread only; reads and writes are cheap."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

SCHEMA_VERSION = 1
REVIEW_BESIDE = "beside"
REVIEW_INSTEAD = "instead"


class AppSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.q = settings or QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                                       "Catchlight", "Catchlight")
        if int(self.q.value("schema", 0)) < SCHEMA_VERSION:
            self.q.setValue("schema", SCHEMA_VERSION)

    def _get(self, key: str, default: object, kind: type) -> object:
        value = self.q.value(key, default)
        try:
            return kind(value) if not (kind is bool and isinstance(value, str)) \
                else value.lower() == "true"
        except (TypeError, ValueError):
            return default

    @property
    def last_session(self) -> Path | None:
        text = str(self.q.value("session/last", "") or "")
        return Path(text) if text else None

    @last_session.setter
    def last_session(self, folder: Path) -> None:
        self.q.setValue("session/last", str(folder))

    @property
    def review_mode(self) -> str:
        mode = str(self.q.value("review/mode", REVIEW_BESIDE))
        return mode if mode in (REVIEW_BESIDE, REVIEW_INSTEAD) else REVIEW_BESIDE

    @review_mode.setter
    def review_mode(self, mode: str) -> None:
        self.q.setValue("review/mode", mode)

    @property
    def review_seconds(self) -> float:
        return max(0.5, float(self._get("review/seconds", 3.0, float)))  # type: ignore[arg-type]

    @property
    def show_grid(self) -> bool:
        return bool(self._get("overlay/grid", True, bool))

    @show_grid.setter
    def show_grid(self, on: bool) -> None:
        self.q.setValue("overlay/grid", on)

    @property
    def aspect_mask(self) -> str:
        return str(self.q.value("overlay/aspect", ""))

    @aspect_mask.setter
    def aspect_mask(self, name: str) -> None:
        self.q.setValue("overlay/aspect", name)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.q.value("window/geometry"), self.q.value("window/state")

    def save_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)

    def splitter_state(self) -> QByteArray | None:
        return self.q.value("window/splitter")

    def save_splitter_state(self, state: QByteArray) -> None:
        self.q.setValue("window/splitter", state)

    def sync(self) -> None:
        self.q.sync()
