"""The libgphoto2 backend (python-gphoto2), for real USB cameras and libgphoto2's virtual camera.

Runs only on the camera's worker thread. ``gphoto2`` is imported when the backend is created
(so that VCAMERADIR, read by python-gphoto2 at import, can be set first). Blocking behaviour of
each call is documented in camera.backend.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from camera.backend import SETTING_LABELS, SETTING_WIDGETS
from camera.errors import (
    GP_ERROR_NOT_SUPPORTED,
    CameraError,
    NoCameraFound,
    NoLiveView,
    from_gphoto2,
)
from camera.types import (
    CameraEvent,
    CameraFile,
    CameraInfo,
    CameraSummary,
    CaptureTarget,
    EventKind,
    Setting,
)

CHUNK = 1024 * 1024
LIVE_VIEW_WIDGETS = ("viewfinder", "eosviewfinder")
NO_LIVE_VIEW = ("This camera has no live view over USB; shooting, settings and downloads "
                "still work.")


class Gphoto2Backend:
    """CameraBackend over python-gphoto2."""

    def __init__(self) -> None:
        import gphoto2 as gp  # deferred: VCAMERADIR must be set before this import

        self.gp = gp
        self._camera: Any = None
        self._widget_names: dict[str, str | None] = {}

    def _call(self, what: str, func: Callable[..., Any], *args: Any) -> Any:
        try:
            return func(*args)
        except self.gp.GPhoto2Error as exc:
            raise from_gphoto2(exc.code, what, exc.string) from exc

    @property
    def camera(self) -> Any:
        if self._camera is None:
            raise NoCameraFound("no camera is open")
        return self._camera

    # --- connection -----------------------------------------------------------------------
    def list_cameras(self) -> list[CameraInfo]:
        found = self._call("looking for cameras", self.gp.Camera.autodetect)
        return [CameraInfo(found.get_name(i), found.get_value(i)) for i in range(found.count())]

    def open(self, port: str) -> CameraInfo:
        gp = self.gp
        model = next((c.model for c in self.list_cameras() if c.port == port), None)
        if model is None:
            raise NoCameraFound(f"no camera answers on {port}")
        camera = gp.Camera()
        ports = gp.PortInfoList()
        ports.load()
        camera.set_port_info(ports[self._call("finding the port", ports.lookup_path, port)])
        abilities = gp.CameraAbilitiesList()
        abilities.load()
        camera.set_abilities(abilities[self._call("finding the driver",
                                                  abilities.lookup_model, model)])
        self._call(f"connecting to {model}", camera.init)
        self._camera = camera
        self._widget_names = {}
        return CameraInfo(model, port)

    def close(self) -> None:
        camera, self._camera = self._camera, None
        if camera is not None:
            with contextlib.suppress(self.gp.GPhoto2Error):
                camera.exit()

    # --- configuration --------------------------------------------------------------------
    def _widget(self, name: str) -> Any:
        return self._call(f"reading {name}", self.camera.get_single_config, name)

    def _find_widget(self, key: str) -> tuple[str, Any] | None:
        """The widget for one of our setting keys, trying the camera's possible names."""
        if key in self._widget_names:
            name = self._widget_names[key]
            return (name, self._widget(name)) if name else None
        for name in SETTING_WIDGETS[key]:
            try:
                widget = self.camera.get_single_config(name)
            except self.gp.GPhoto2Error:
                continue
            self._widget_names[key] = name
            return name, widget
        self._widget_names[key] = None
        return None

    def _as_setting(self, key: str, name: str, widget: Any) -> Setting:
        gp = self.gp
        kind = widget.get_type()
        choices: tuple[str, ...] = ()
        if kind in (gp.GP_WIDGET_RADIO, gp.GP_WIDGET_MENU):
            choices = tuple(widget.get_choice(i) for i in range(widget.count_choices()))
        return Setting(key, name, SETTING_LABELS[key], str(widget.get_value()), choices,
                       bool(widget.get_readonly()))

    def _status_text(self, name: str) -> str:
        try:
            return str(self.camera.get_single_config(name).get_value())
        except self.gp.GPhoto2Error:
            return ""

    def summary(self) -> CameraSummary:
        camera = self.camera
        free: int | None = None
        try:
            free = sum(s.freekbytes for s in camera.get_storageinfo()) * 1024
        except self.gp.GPhoto2Error:
            free = None
        abilities = self._call("reading the camera model", camera.get_abilities)
        return CameraSummary(model=abilities.model, serial=self._status_text("serialnumber"),
                             battery=self._status_text("batterylevel"), free_bytes=free,
                             manufacturer=self._status_text("manufacturer"))

    def settings(self) -> list[Setting]:
        found = []
        for key in SETTING_WIDGETS:
            named = self._find_widget(key)
            if named:
                found.append(self._as_setting(key, *named))
        return found

    def set_setting(self, key: str, value: str) -> Setting:
        named = self._find_widget(key)
        if named is None:
            raise CameraError(f"this camera has no {SETTING_LABELS.get(key, key)} setting")
        name, widget = named
        current = self._as_setting(key, name, widget)
        if current.readonly:
            raise CameraError(f"{current.label} cannot be changed on this camera")
        if current.choices and value not in current.choices:
            raise CameraError(f"{current.label}: {value!r} is not one of the camera's choices")
        self._call(f"setting {current.label}", widget.set_value, value)
        self._call(f"setting {current.label}", self.camera.set_single_config, name, widget)
        return self._as_setting(key, name, self._widget(name))

    def capture_target(self) -> CaptureTarget:
        named = self._find_widget("capturetarget")
        if named is None:
            return CaptureTarget.CARD  # nothing says RAM: never delete what may be the only copy
        value = str(named[1].get_value()).lower()
        return CaptureTarget.CARD if "card" in value else CaptureTarget.RAM

    # --- live view --------------------------------------------------------------------------
    def _set_viewfinder(self, on: bool) -> None:
        for name in LIVE_VIEW_WIDGETS:
            try:
                widget = self.camera.get_single_config(name)
                widget.set_value(1 if on else 0)
                self.camera.set_single_config(name, widget)
                return
            except self.gp.GPhoto2Error:
                continue

    def start_live_view(self) -> None:
        self._set_viewfinder(True)

    def stop_live_view(self) -> None:
        if self._camera is not None:
            self._set_viewfinder(False)

    def capture_preview(self) -> bytes:
        try:
            file = self.camera.capture_preview()
        except self.gp.GPhoto2Error as exc:
            if exc.code == GP_ERROR_NOT_SUPPORTED:
                raise NoLiveView(NO_LIVE_VIEW, exc.code) from exc
            raise from_gphoto2(exc.code, "reading a live-view frame", exc.string) from exc
        return bytes(file.get_data_and_size())

    # --- capture and files --------------------------------------------------------------------
    def trigger_capture(self) -> None:
        self._call("taking a picture", self.camera.trigger_capture)

    def wait_for_event(self, timeout_ms: int) -> CameraEvent:
        gp = self.gp
        kind, data = self._call("waiting for camera events", self.camera.wait_for_event,
                                timeout_ms)
        if kind == gp.GP_EVENT_FILE_ADDED:
            return CameraEvent(EventKind.FILE_ADDED, CameraFile(data.folder, data.name))
        if kind == gp.GP_EVENT_TIMEOUT:
            return CameraEvent(EventKind.TIMEOUT)
        if kind == gp.GP_EVENT_CAPTURE_COMPLETE:
            return CameraEvent(EventKind.CAPTURE_COMPLETE)
        return CameraEvent(EventKind.OTHER, detail=str(data) if data is not None else "")

    def file_size(self, file: CameraFile) -> int:
        info = self._call(f"reading the size of {file.name}", self.camera.file_get_info,
                          file.folder, file.name)
        return int(info.file.size)

    def download(self, file: CameraFile,
                 progress: Callable[[int, int], None] | None = None) -> bytes:
        """Read in 1 MiB chunks (with progress) where the driver allows;
        otherwise one file_get."""
        gp, camera = self.gp, self.camera
        out = bytearray()
        buffer = bytearray(CHUNK)
        try:
            while True:
                count = camera.file_read(file.folder, file.name, gp.GP_FILE_TYPE_NORMAL,
                                         len(out), buffer)
                if count <= 0:
                    break
                out += buffer[:count]
                if progress:
                    progress(len(out), 0)
                if count < CHUNK:
                    break
            return bytes(out)
        except gp.GPhoto2Error as exc:
            if exc.code != GP_ERROR_NOT_SUPPORTED or out:
                raise from_gphoto2(exc.code, f"downloading {file.name}", exc.string) from exc
        whole = self._call(f"downloading {file.name}", camera.file_get, file.folder, file.name,
                           gp.GP_FILE_TYPE_NORMAL)
        data = bytes(whole.get_data_and_size())
        if progress:
            progress(len(data), len(data))
        return data

    def delete(self, file: CameraFile) -> None:
        self._call(f"deleting {file.name} from the camera", self.camera.file_delete,
                   file.folder, file.name)

    def _listed(self, folder: str, name: str) -> CameraFile:
        """A listed file with its size and time (libgphoto2 has them from the listing)."""
        try:
            info = self.camera.file_get_info(folder, name).file
            return CameraFile(folder, name, int(info.size), float(info.mtime))
        except self.gp.GPhoto2Error:
            return CameraFile(folder, name)

    def list_files(self) -> list[CameraFile]:
        """Walk the camera's folders (storage roots, DCIM and its sub-folders)."""
        found: list[CameraFile] = []
        folders = ["/"]
        while folders and len(found) < 100_000:
            folder = folders.pop()
            for name, _value in self._call("listing the camera's files",
                                           self.camera.folder_list_files, folder):
                found.append(self._listed(folder, name))
            for name, _value in self._call("listing the camera's folders",
                                           self.camera.folder_list_folders, folder):
                folders.append(f"{folder.rstrip('/')}/{name}")
        return found
