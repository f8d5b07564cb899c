"""The coach in the tether window: the live coach (fed by the camera thread) and its overlay,
the Coach menu (style profile, set neutral, overlay on/off), the capture pipeline's style and
neutral, and filling in the analysis of the tether session's older shots. Filmstrip badges
follow the live session model, which the pipeline's results update. GUI thread; never waits
on inference."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject
from PySide6.QtGui import QActionGroup

from coaching.landmarking.analysis_process import COACH_BACK
from coaching.landmarking.landmarks import Landmarking
from coaching.live.live_coach import LiveCoach
from coaching.measure.grey_card import CardVerdict, GreyCard
from coaching.measure.profiles import ProfileSet, load_profiles
from coaching.stills.capture_pipeline import CaptureAnalysed, CapturePipeline
from session.model.live_session import SessionModel
from session.people.hero_frame import HeroFrame
from session.people.house_look import HouseLook
from ui.coach.coach_bridge import CoachBridge
from ui.coach.coach_overlay import CoachOverlay
from ui.common.actions import add_action
from ui.common.session_bridge import SessionBridge, rebind
from ui.common.settings import (
    COACH_LIGHT,
    COACH_OVERLAY,
    COACH_PROFILE,
    LIGHT_CONTINUOUS,
    LIGHT_STROBES,
)
from ui.pictures.capture_bridge import CaptureBridge
from ui.tether.tether_window import TetherWindow


class CoachController(QObject):
    def __init__(self, window: TetherWindow, pipeline: CapturePipeline, capture: CaptureBridge,
                 profiles: ProfileSet | None = None,
                 landmarkers: Callable[[bool], Landmarking] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.pipeline = pipeline
        self.profiles = profiles or load_profiles()
        self.profile = self.profiles.get(self.settings.get(COACH_PROFILE) or None)
        self.house: HouseLook | None = None
        self.hero: HeroFrame | None = None
        pipeline.profile = self.profile
        self.bridge = CoachBridge(self)
        self.problems: list[str] = []  # everything the coach reported, newest last
        self.overlay = CoachOverlay(window.live_view.aspect)
        self.overlay.visible = self.settings.get(COACH_OVERLAY)
        window.live_view.overlays.append(self.overlay)
        self.live = LiveCoach(self.profile, self.bridge.on_state, self.bridge.on_problem,
                              on_neutral=self.bridge.on_neutral, landmarkers=landmarkers,
                              on_card=self.bridge.on_card)
        self.neutral_set = False
        self.card: GreyCard | None = None
        # The demo camera's sitter holds a grey card up (app.py wires it; False: a real one)
        self.hold_up_grey_card: Callable[[], bool] = lambda: False
        self.bridge.neutral.connect(self._neutral_done)
        pipeline.on_card = self.bridge.on_card
        self.bridge.card.connect(self._card_read)
        self._session_bridge: SessionBridge | None = None
        self.bridge.state_available.connect(self._show_state)
        self.bridge.problem.connect(self._problem)
        capture.pipeline_problem.connect(self._problem)
        capture.capture_analysed.connect(self._analysed)
        self._build_menu()
        self._show_status()
        for problem in self.profiles.problems:
            window.banner.show_message(f"Style profiles: {problem}", "warning")
        self.live.set_live_light(self.settings.get(COACH_LIGHT) == LIGHT_CONTINUOUS)
        self.live.set_crop(window.live_view.aspect.ratio)
        window.aspect_changed.connect(lambda _name: self.live.set_crop(
            window.live_view.aspect.ratio))
        self.live.start()

    def _build_menu(self) -> None:
        menu = self.menu = self.window.add_menu("C&oach")
        add_action(self.window, menu, "Show coaching &overlay", self.toggle_overlay, "O", True,
                   self.overlay.visible)
        add_action(self.window, menu, "Set &neutral for this client (2 s)",
                   self.set_neutral, "Shift+N")
        add_action(self.window, menu, "C&lear neutral", self.clear_neutral)
        add_action(self.window, menu, "Read the &grey card (centre of the frame)",
                   self.read_grey_card, "Shift+G")
        menu.addSeparator()
        light = QActionGroup(self.window)
        for text, kind in (("Light: &strobes (light cues from the captures)", LIGHT_STROBES),
                           ("Light: &continuous (light cues on live view)", LIGHT_CONTINUOUS)):
            action = add_action(self.window, menu, text,
                                lambda _c=False, k=kind: self.set_light(k), "", True,
                                self.settings.get(COACH_LIGHT) == kind)
            action.setToolTip("Under strobes live view shows the modelling lamps, not the "
                              "flash: exposure, ratio and catchlights are judged on each "
                              "capture instead." if kind == LIGHT_STROBES else
                              "Live view shows the light the capture will have.")
            light.addAction(action)
        menu.addSeparator()
        group = QActionGroup(self.window)
        for name, profile in self.profiles.profiles.items():
            action = add_action(self.window, menu, f"Style: {name}",
                                lambda _c=False, n=name: self.set_profile(n), "", True,
                                name == self.profile.name)
            action.setToolTip(profile.description)
            group.addAction(action)

    def set_light(self, kind: str) -> None:
        """Strobes or continuous light: whether live view's light cues can be trusted."""
        self.settings.set(COACH_LIGHT, kind)
        self.live.set_live_light(kind == LIGHT_CONTINUOUS)
        self.window.statusBar().showMessage(
            "Light cues from the captures (strobes)" if kind == LIGHT_STROBES
            else "Light cues on live view (continuous light)", 3000)

    def set_neutral(self) -> None:
        self.live.set_neutral()
        self.window.statusBar().showMessage(
            "Recording neutral: ask for a relaxed face, looking into the lens, for 2 s…", 4000)

    def read_grey_card(self) -> None:
        """Read the day's grey card in the centre of the frame: from live view under
        continuous light, from the next capture under strobes (live view shows the modelling
        lamps, not the flash)."""
        self.hold_up_grey_card()
        self.overlay.card_spot = True
        self.window.live_view.update()
        if self.settings.get(COACH_LIGHT) == LIGHT_CONTINUOUS:
            self.live.read_grey_card()
            message = "Reading the grey card: hold it flat in the centre of the frame…"
        else:
            self.pipeline.read_card_next = True
            message = ("Grey card: hold it flat in the centre of the frame and take a shot; "
                       "the card is read from that capture (strobes).")
        self.window.banner.show_message(message, "info", timeout_s=8.0)

    def _card_read(self, verdict: CardVerdict) -> None:
        """GUI thread: a reading ended. The card (if read) aims live view and the captures."""
        self.overlay.card_spot = False
        if verdict.card is not None:
            self.card = verdict.card
            self.live.set_card(verdict.card)
            self._aim()
        self.window.banner.show_message(verdict.message,
                                        "info" if verdict.neutral else "warning",
                                        timeout_s=None if verdict.neutral else 20.0)
        self._show_status()
        self.window.statusBar().showMessage(verdict.message, 8000)

    def clear_neutral(self) -> None:
        self.live.clear_neutral()
        self._neutral_done("Neutral cleared: cues use the general defaults until you set "
                           "it again (Shift+N).", False)

    def _neutral_done(self, message: str, accepted: bool) -> None:
        self.neutral_set = accepted
        self._show_status()
        if accepted or message.startswith("Neutral cleared"):
            self.window.banner.show_message(message, "info")
        else:                 # said for a while, not left standing over the next client
            self.window.banner.show_message(message, "warning", timeout_s=12.0)
        self.window.statusBar().showMessage(message, 6000)

    def _show_status(self) -> None:
        """The style and whether a neutral is set, in the overlay corner and the panel."""
        neutral = "neutral set" if self.neutral_set else "neutral not set"
        house = " · house look" if self.house is not None else ""
        card = " · grey card" if self.card is not None else ""
        hero = " · hero frame" if self.hero is not None else ""
        self.overlay.status = f"{self.profile.name} · {neutral}{house}{card}{hero}"
        self.window.panel.set_coach(self.profile.name, self.neutral_set)
        self.window.live_view.update()

    def set_profile(self, name: str) -> None:
        self.profile = self.profiles.get(name)
        self.settings.set(COACH_PROFILE, name)
        self._aim()
        self.window.statusBar().showMessage(f"Coaching style: {name}", 3000)

    def set_house(self, look: HouseLook | None) -> None:
        """A headshot day's house look (None: none): framing and light cues aim at it, live
        and for every capture, and the overlay shows the house line and the meter."""
        self.house = look
        self.overlay.house = look
        self._aim()

    def set_hero(self, hero: HeroFrame | None) -> None:
        """The hero frame the person in front of the camera is shot against (None: none):
        every live frame and capture is scored against it and its differences are said."""
        if hero != self.hero:
            self.hero = hero
            self.overlay.hero = hero
            self._aim()

    def _aim(self) -> None:
        aimed = replace(self.profile, house=self.house, card=self.card, hero=self.hero)
        self.live.set_profile(aimed)
        self.pipeline.profile = aimed
        self._show_status()

    def toggle_overlay(self) -> None:
        self.overlay.visible = not self.overlay.visible
        self.settings.set(COACH_OVERLAY, self.overlay.visible)
        self.window.live_view.update()

    def _show_state(self) -> None:
        state = self.bridge.states.take()
        if state is not None:
            self.overlay.state = state
            self.pipeline.baseline = state.baseline
            if state.card is not None and state.card != self.card:   # its backdrop filled in
                self.card = state.card
                self.pipeline.profile = replace(self.pipeline.profile, card=state.card)
            if self.overlay.visible:
                self.window.live_view.overlay_changed()

    def _problem(self, message: str) -> None:
        if message == COACH_BACK:                  # after "Coach restarting": all is well
            self.window.banner.show_message(message, "ok")
            return
        if not self.live.available:
            self.overlay.message = "Coaching off"
        self.problems.append(message)
        self.window.banner.show_message(message, "warning")

    def follow(self, model: SessionModel) -> None:
        """The tether shows ``model``: once read, its shots without analysis are filled in."""
        self._session_bridge = rebind(self._session_bridge, model, self)
        self._session_bridge.switched.connect(lambda: self._fill_in(model))
        self._fill_in(model)

    def _fill_in(self, model: SessionModel) -> None:
        if model.folder is not None:
            self.pipeline.backfill(model.folder, [s.key for s in model.shots
                                                  if s.analysis is None])

    def _analysed(self, capture: CaptureAnalysed) -> None:
        result = capture.result
        if not result.ok and result.error:
            self.window.banner.show_message(result.error, "warning")

    def shutdown(self) -> None:
        """Stop the live coach (it closes its landmarkers; blocks briefly, at exit)."""
        self.live.stop()
