"""The house look in the tether window (Roster menu): *Use as house look* on the selected,
analysed shot records its framing and light in the session catalog; *Load house look…* takes
one saved from another session (a recurring client), *Save house look as…* writes it out,
*Forget the house look* returns the coach to the style profile. Whoever shows or uses the
look (the coach, its overlay) hears of every change through ``on_look``. GUI thread; the
catalog and files are read and written on background threads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMenu

from session.model.live_session import SessionModel, Shot
from session.people.house_look import (
    HouseLook,
    from_measurements,
    load_look,
    look_flaws,
    save_look,
)
from session.people.house_look_store import HouseLookStore
from session.people.team import measurements_of
from ui.common.actions import add_action
from ui.common.background import run_in_background
from ui.common.session_bridge import SessionBridge, rebind
from ui.tether.tether_window import TetherWindow

FILE_FILTER = "House look (*.json);;All files (*)"


def _store_look(folder: Path, look: HouseLook | None) -> None:
    store = HouseLookStore(folder)
    try:
        store.set(look)
    finally:
        store.close()


def look_of(shot: Shot) -> HouseLook | None:
    """The framing and light of an analysed shot with a face; None otherwise."""
    return from_measurements(measurements_of(shot), shot.display_name)


class HouseLookController(QObject):
    def __init__(self, window: TetherWindow, menu: QMenu,
                 on_look: Callable[[HouseLook | None], None]) -> None:
        super().__init__(window)
        self.window = window
        self.on_look = on_look
        self.model: SessionModel | None = None
        self._bridge: SessionBridge | None = None
        menu.addSeparator()
        add_action(window, menu, "&Use as house look", self.use_selected, "Ctrl+Shift+H")
        add_action(window, menu, "&Load house look…", self._ask_load)
        add_action(window, menu, "&Save house look as…", self._ask_save)
        add_action(window, menu, "&Forget the house look", lambda: self.set_look(None))

    @property
    def look(self) -> HouseLook | None:
        """The session's house look, as the session model holds it."""
        return self.model.house_look if self.model is not None else None

    def follow(self, model: SessionModel) -> None:
        self.model = model
        self._bridge = rebind(self._bridge, model, self)
        self._bridge.switched.connect(self.reload)
        self._bridge.look_changed.connect(self.on_look)
        self.reload()

    def reload(self) -> None:
        self.on_look(self.look)

    def use_selected(self) -> None:
        """The approved shot selected in the filmstrip becomes the house look."""
        model = self.model
        chosen = self.window.filmstrip.selected_paths(limit=1)
        shot = model.shot(chosen[0].name) if model is not None and chosen else None
        if shot is None:
            self.window.banner.show_message("Select the approved shot in the filmstrip first.",
                                            "warning")
            return
        if shot.rejected:
            self.window.banner.show_message(f"{shot.display_name} is rejected: choose an "
                                            "approved shot for the house look.", "warning")
            return
        look = look_of(shot)
        if look is None:
            self.window.banner.show_message(f"{shot.display_name} has no measured face yet: "
                                            "wait for its analysis, or choose another.",
                                            "warning")
            return
        refused, warned = look_flaws(look, shot.flags)
        if refused:
            self.window.banner.show_message(
                f"{shot.display_name} cannot be the house look: {' and '.join(refused)}. "
                "Choose the shot the client approved.", "warning")
            return
        self.set_look(look, " and ".join(warned))

    def set_look(self, look: HouseLook | None, caution: str = "") -> None:
        """Keep ``look`` as the session's house look (None: forget it); ``caution``: what is
        wrong with it, said with it."""
        folder = self.model.folder if self.model is not None else None
        if folder is None:
            self.window.banner.show_message("Open a session first: the house look is kept "
                                            "with it.", "warning")
            return
        said = (f"House look from {look.source}: {look.line()}. The coach aims at it."
                if look is not None else "House look forgotten: the coach uses the style "
                                         "profile again.")
        if caution:
            said += f" Careful: {caution}."

        def stored(_result: object) -> None:
            if self.model is not None and self.model.folder == folder:
                self.model.set_house_look(look)          # the coach and the report hear it
            self.window.banner.show_message(said, "warning" if caution else "ok")

        run_in_background(lambda: _store_look(folder, look), stored,
                          lambda exc: self.window.banner.show_message(
                              f"The house look could not be kept: {exc}", "warning"))

    def load_file(self, path: Path) -> None:
        run_in_background(lambda: load_look(path), self.set_look,
                          lambda exc: self.window.banner.show_message(str(exc), "warning"))

    def save_file(self, path: Path) -> None:
        look = self.look
        if look is None:
            self.window.banner.show_message("There is no house look yet: select the approved "
                                            "shot and use Roster → Use as house look.",
                                            "warning")
            return
        run_in_background(lambda: save_look(look, path),
                          lambda _r: self.window.banner.show_message(
                              f"House look saved: {path}", "ok"),
                          lambda exc: self.window.banner.show_message(
                              f"The house look could not be saved: {exc}", "warning"))

    def _ask_load(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(self.window, "Load house look", "",
                                                 FILE_FILTER)
        if chosen:
            self.load_file(Path(chosen))

    def _ask_save(self) -> None:
        folder = self.model.folder if self.model is not None else None
        start = str(folder.parent / f"{folder.name} house look.json") if folder else ""
        chosen, _f = QFileDialog.getSaveFileName(self.window, "Save house look", start,
                                                 FILE_FILTER)
        if chosen:
            self.save_file(Path(chosen))
