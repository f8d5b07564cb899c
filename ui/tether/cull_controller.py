"""Culling keys in the tether window, on the shot shown in the review pane: 1-5 stars, 0
clears, P pick, X reject, U unflag, 6-9 colour labels, Ctrl+Z undo, optional auto-advance.
Marks go to the tether's live session model (catalog + merged XMP sidecar), from where the
filmstrip, the review window and the client display hear of them. GUI thread; two small
writes per key."""

from __future__ import annotations

from PySide6.QtCore import QObject

from session.culling.culling import describe
from session.model.live_session import MARKS, SessionModel, Shot
from session.store.filenames import shown
from ui.common.actions import add_action
from ui.common.cull_keys import KEYS
from ui.common.session_bridge import SessionBridge, rebind
from ui.common.settings import CULL_ADVANCE
from ui.tether.tether_window import TetherWindow


class CullController(QObject):
    def __init__(self, window: TetherWindow) -> None:
        super().__init__(window)
        self.window = window
        self.model: SessionModel | None = None
        self._bridge: SessionBridge | None = None
        self._problems_seen = 0
        self.auto_advance = window.settings.get(CULL_ADVANCE)
        menu = window.add_menu("C&ull")
        for key, text in KEYS:
            add_action(window, menu, text, lambda _c=False, k=key: self.press(k), key)
        menu.addSeparator()
        add_action(window, menu, "Undo", self.undo, "Ctrl+Z")
        add_action(window, menu, "Advance to the next shot after marking", self._set_advance,
                   "", True, self.auto_advance)

    def follow(self, model: SessionModel) -> None:
        """Cull ``model`` (the tether's session) from now on."""
        self.model = model
        self._bridge = rebind(self._bridge, model, self)
        self._bridge.switched.connect(self._opened)
        self._bridge.shot_changed.connect(self._changed)
        if model.loaded:
            self._opened()

    def _opened(self) -> None:
        model = self.model
        if model is None:
            return
        self._problems_seen = len(model.culling_problems)
        if model.conflicts:
            self.window.banner.show_message(
                f"{len(model.conflicts)} shot(s) were re-rated in another program since; "
                "their sidecars were newer and were taken.", "info")
        if model.problems:
            self.window.banner.show_message("; ".join(model.problems[:3]), "warning")

    def press(self, key: str) -> None:
        path = self.window.review.path
        if self.model is None or path is None:
            return
        marks = self.model.press(path.name, key)
        if marks is None:
            return
        self._report_sidecar_problems()
        if self.auto_advance:
            self.window.filmstrip.step(1)

    def undo(self) -> None:
        if self.model is not None:
            self.model.undo()

    def _changed(self, shot: Shot, what: str, _before: Shot) -> None:
        if what == MARKS:
            self.window.statusBar().showMessage(f"{shown(shot.key)}: {describe(shot.marks)}",
                                                3000)

    def _report_sidecar_problems(self) -> None:
        problems = self.model.culling_problems if self.model else []
        if len(problems) > self._problems_seen:
            self.window.banner.show_message(problems[-1], "warning")
        self._problems_seen = len(problems)

    def _set_advance(self, on: bool) -> None:
        self.auto_advance = on
        self.window.settings.set(CULL_ADVANCE, on)

    def shutdown(self) -> None:
        if self._bridge is not None:
            self._bridge.detach()
