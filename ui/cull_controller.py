"""Culling keys in the tether window, on the shot shown in the review pane: 1-5 stars, 0
clears, P pick, X reject, U unflag, 6-9 colour labels, Ctrl+Z undo, optional auto-advance.
Each change goes to the catalog and the XMP sidecar (session.culling); the filmstrip shows the
marks and the client display hears about rejects. GUI thread; two small writes per key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from session.culling import Culler, SidecarScan, describe, scan_sidecars
from session.filenames import shown
from session.xmp_sidecar import CullMarks
from ui.actions import add_action
from ui.background import run_in_background
from ui.settings import CULL_ADVANCE
from ui.tether_window import TetherWindow

KEYS = [("1", "1 star"), ("2", "2 stars"), ("3", "3 stars"), ("4", "4 stars"),
        ("5", "5 stars"), ("0", "Clear stars"), ("P", "Pick"), ("X", "Reject"),
        ("U", "Unflag"), ("6", "Red label"), ("7", "Yellow label"), ("8", "Green label"),
        ("9", "Blue label")]


class CullController(QObject):
    marks_changed = Signal(object, object)   # display name, CullMarks

    def __init__(self, window: TetherWindow) -> None:
        super().__init__(window)
        self.window = window
        self.culler: Culler | None = None
        self._opening: Path | None = None
        self.auto_advance = window.settings.get(CULL_ADVANCE)
        menu = window.add_menu("C&ull")
        for key, text in KEYS:
            add_action(window, menu, text, lambda _c=False, k=key: self.press(k), key)
        menu.addSeparator()
        add_action(window, menu, "Undo", self.undo, "Ctrl+Z")
        add_action(window, menu, "Advance to the next shot after marking", self._set_advance,
                   "", True, self.auto_advance)

    def open_session(self, folder: Path, names: list[str]) -> None:
        """Read the session's sidecars in the background, then take over its culling."""
        if self.culler is not None:
            self.culler.close()
            self.culler = None
        self._opening = folder
        originals = {n: folder / n for n in names}
        run_in_background(lambda: scan_sidecars(folder, originals),
                          lambda scan: self._opened(folder, originals, scan),
                          lambda exc: self.window.banner.show_message(
                              f"Culling marks could not be read: {exc}", "warning"))

    def _opened(self, folder: Path, originals: dict[str, Path], scan: SidecarScan) -> None:
        if folder != self._opening:
            return                               # another session was opened meanwhile
        if self.culler is not None:
            self.culler.close()
        name = self.window.windowTitle().removeprefix("Catchlight — ")
        self.culler = Culler(folder, name, originals, scan)
        names = list(originals)
        for shot, marks in ((n, self.culler.marks(n)) for n in names):
            self.window.filmstrip_model.set_marks(shot, marks)
        if self.culler.conflicts:
            self.window.banner.show_message(
                f"{len(self.culler.conflicts)} shot(s) were re-rated in another program since; "
                "their sidecars were newer and were taken.", "info")
        if self.culler.problems:
            self.window.banner.show_message("; ".join(self.culler.problems[:3]), "warning")

    def capture_stored(self, path: Path) -> None:
        if self.culler is not None:
            self.culler.originals[path.name] = path

    def press(self, key: str) -> None:
        path = self.window.review.path
        if self.culler is None or path is None:
            return
        self.culler.originals.setdefault(path.name, path)
        marks = self.culler.press(path.name, key)
        if marks is None:
            return
        self._changed(path.name, marks)
        if self.auto_advance:
            self.window.filmstrip.step(1)

    def undo(self) -> None:
        undone = self.culler.undo() if self.culler else None
        if undone is not None:
            self._changed(*undone)

    def show_external(self, name: str, marks: CullMarks) -> None:
        """Marks set in the review window on this session's shared Culler."""
        self._changed(name, marks)

    def _changed(self, name: str, marks: CullMarks) -> None:
        self.window.filmstrip_model.set_marks(name, marks)
        self.window.statusBar().showMessage(f"{shown(name)}: {describe(marks)}", 3000)
        self.marks_changed.emit(name, marks)

    def _set_advance(self, on: bool) -> None:
        self.auto_advance = on
        self.window.settings.set(CULL_ADVANCE, on)

    def shutdown(self) -> None:
        if self.culler is not None:
            self.culler.close()
            self.culler = None
