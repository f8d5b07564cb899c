"""The hero frame in the tether window (Coach menu): *Use the selected shot as the hero frame*
(Shift+H) for the whole day, *…for this person only* on a headshot day, *Load a hero frame
from a picture…* (a brand's style-guide example, last year's headshot), *Forget the hero
frame*. The frames are kept in the session's catalog and held by the session model; the coach
hears the one the person in front of the camera is shot against (their own, else the day's)
through ``on_hero``. GUI thread; the catalog, the picture's analysis and files are read and
written on background threads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMenu

from coaching.landmarking.landmarks import Landmarkers
from coaching.measure.hero_match import hero_from, measurements_from
from coaching.measure.profiles import load_profiles
from coaching.stills.analysis import analyze_image
from session.model.live_session import SessionModel
from session.people.hero_frame import DAY, HeroFrame
from session.people.hero_store import HeroStore
from session.people.roster import Person
from session.people.team import measurements_of
from ui.common.actions import add_action
from ui.common.background import run_in_background
from ui.common.session_bridge import SessionBridge, rebind
from ui.tether.tether_window import TetherWindow

PICTURES = "Pictures (*.jpg *.jpeg *.png *.tif *.tiff *.cr2 *.cr3 *.nef *.arw *.dng);;All files (*)"


def _keep(folder: Path, person: str, hero: HeroFrame | None) -> None:
    with HeroStore(folder) as store:
        store.set(person, hero)


def hero_of_picture(path: Path) -> HeroFrame:
    """A reference picture's hero frame (background thread: loads the still models for it).
    ValueError, in words, when it has no measurable face."""
    models = Landmarkers(video=False)
    try:
        result = analyze_image(path, models, load_profiles().get(None))
    finally:
        models.close()
    if not result.ok:
        raise ValueError(f"{path.name} could not be read: {result.error}")
    hero = hero_from(result.measurements, path.name)
    if hero is None:
        raise ValueError(f"No face was measured in {path.name}: choose a picture with the "
                         "face in view.")
    return hero


class HeroController(QObject):
    def __init__(self, window: TetherWindow, menu: QMenu,
                 on_hero: Callable[[HeroFrame | None], None]) -> None:
        super().__init__(window)
        self.window = window
        self.on_hero = on_hero
        self.model: SessionModel | None = None
        self.person: Person | None = None
        self._bridge: SessionBridge | None = None
        menu.addSeparator()
        add_action(window, menu, "Use the selected shot as the &hero frame",
                   lambda: self.use_selected(for_person=False), "Shift+H")
        add_action(window, menu, "Use the selected shot as the hero frame for this &person",
                   lambda: self.use_selected(for_person=True))
        add_action(window, menu, "Load a hero frame from a &picture…", self._ask_load)
        add_action(window, menu, "&Forget the hero frame", self.forget)

    def follow(self, model: SessionModel) -> None:
        self.model = model
        self._bridge = rebind(self._bridge, model, self)
        self._bridge.switched.connect(self._tell)
        self._bridge.hero_changed.connect(lambda _heroes: self._tell())
        self._tell()

    def set_person(self, person: Person | None) -> None:
        """The next person sat down: the coach aims at their hero frame (or the day's)."""
        self.person = person
        self._tell()

    def current(self) -> HeroFrame | None:
        if self.model is None:
            return None
        return self.model.hero_for(self.person.id if self.person is not None else DAY)

    def _tell(self) -> None:
        self.on_hero(self.current())

    def use_selected(self, for_person: bool) -> None:
        """The shot selected in the filmstrip becomes the hero frame (for the day, or for
        the person in front of the camera)."""
        model = self.model
        chosen = self.window.filmstrip.current_path()
        shot = model.shot(chosen.name) if model is not None and chosen is not None else None
        if shot is None:
            self._say("Select the shot to aim at in the filmstrip first.", "warning")
            return
        if for_person and self.person is None:
            self._say("No one is in front of the camera: choose the person on the roster, or "
                      "use the shot as the day's hero frame (Shift+H).", "warning")
            return
        hero = hero_from(measurements_from(measurements_of(shot)), shot.display_name)
        if hero is None:
            self._say(f"{shot.display_name} has no measured face yet: wait for its analysis, "
                      "or choose another.", "warning")
            return
        self.set_hero(self.person.id if for_person and self.person else DAY, hero)

    def forget(self) -> None:
        """Forget the hero frame the coach aims at now (the person's own, else the day's)."""
        person = self.person.id if self.person is not None else DAY
        if self.model is not None and person not in self.model.heroes:
            person = DAY
        self.set_hero(person, None)

    def load_file(self, path: Path) -> None:
        self._say(f"Reading {path.name} as the hero frame…", "info")
        run_in_background(lambda: hero_of_picture(path), lambda hero: self.set_hero(DAY, hero),
                          lambda exc: self._say(f"Hero frame not set: {exc}", "warning"))

    def set_hero(self, person: str, hero: HeroFrame | None) -> None:
        """Keep ``hero`` for ``person`` ('' for the day; None forgets it) in the catalog, then
        in the session model (the coach hears it)."""
        model = self.model
        folder = model.folder if model is not None else None
        if folder is None or model is None:
            self._say("Open a session first: the hero frame is kept with it.", "warning")
            return
        whose = "the whole day" if person == DAY else next(
            (p.name for p in model.people if p.id == person), person)
        said = (f"Hero frame for {whose}: {hero.source}. The coach scores each frame against "
                "it and says the largest differences." if hero is not None
                else f"Hero frame for {whose} forgotten.")

        def kept(_result: object) -> None:
            if self.model is model and model.folder == folder:
                model.set_hero(person, hero)
            self._say(said, "ok")

        run_in_background(lambda: _keep(folder, person, hero), kept,
                          lambda exc: self._say(f"The hero frame could not be kept: {exc}",
                                                "warning"))

    def _say(self, text: str, severity: str) -> None:
        self.window.banner.show_message(text, severity)  # type: ignore[arg-type]

    def _ask_load(self) -> None:
        chosen, _f = QFileDialog.getOpenFileName(self.window, "Load a hero frame", "",
                                                 PICTURES)
        if chosen:
            self.load_file(Path(chosen))
