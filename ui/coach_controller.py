"""Connects the coaching engine to the tether window: the live coach (fed by the camera
thread), the capture analyser, the overlay layer, the Coach menu (profile, set neutral,
overlay on/off) and the filmstrip badges. GUI thread; never waits on inference."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QActionGroup

from coaching.analysis import AnalysisResult
from coaching.capture_analyzer import CaptureAnalyzer
from coaching.live_coach import LiveCoach
from coaching.profiles import ProfileSet, load_profiles
from ui.actions import add_action
from ui.coach_bridge import CoachBridge
from ui.coach_overlay import CoachOverlay
from ui.settings import COACH_OVERLAY, COACH_PROFILE
from ui.tether_window import TetherWindow


class CoachController(QObject):
    def __init__(self, window: TetherWindow, profiles: ProfileSet | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.profiles = profiles or load_profiles()
        self.profile = self.profiles.get(self.settings.get(COACH_PROFILE) or None)
        self.bridge = CoachBridge(self)
        self.problems: list[str] = []  # everything the coach reported, newest last
        self.overlay = CoachOverlay()
        self.overlay.visible = self.settings.get(COACH_OVERLAY)
        window.live_view.overlays.append(self.overlay)
        self.live = LiveCoach(self.profile, self.bridge.on_state, self.bridge.on_problem)
        self.analyzer = CaptureAnalyzer(self.profile, self.bridge.on_result,
                                        self.bridge.on_problem)
        self.bridge.state_available.connect(self._show_state)
        self.bridge.problem.connect(self._problem)
        self.bridge.capture_analysed.connect(self._analysed)
        self._build_menu()
        for problem in self.profiles.problems:
            window.banner.show_message(f"Style profiles: {problem}", "warning")
        self.live.start()
        self.analyzer.start()

    def _build_menu(self) -> None:
        menu = self.window.add_menu("C&oach")
        add_action(self.window, menu, "Show &coaching overlay", self.toggle_overlay, "C", True,
                   self.overlay.visible)
        add_action(self.window, menu, "Set &neutral for this client (2 s)",
                   self.live.set_neutral, "N")
        add_action(self.window, menu, "Clear neutral", self.live.clear_neutral)
        menu.addSeparator()
        group = QActionGroup(self.window)
        for name, profile in self.profiles.profiles.items():
            action = add_action(self.window, menu, f"Style: {name}",
                                lambda _c=False, n=name: self.set_profile(n), "", True,
                                name == self.profile.name)
            action.setToolTip(profile.description)
            group.addAction(action)

    def set_profile(self, name: str) -> None:
        self.profile = self.profiles.get(name)
        self.settings.set(COACH_PROFILE, name)
        self.live.set_profile(self.profile)
        self.analyzer.profile = self.profile
        self.window.statusBar().showMessage(f"Coaching style: {name}", 3000)

    def toggle_overlay(self) -> None:
        self.overlay.visible = not self.overlay.visible
        self.settings.set(COACH_OVERLAY, self.overlay.visible)
        self.window.live_view.update()

    def _show_state(self) -> None:
        state = self.bridge.states.take()
        if state is not None:
            self.overlay.state = state
            self.analyzer.baseline = state.baseline
            if self.overlay.visible:
                self.window.live_view.update()

    def _problem(self, message: str) -> None:
        if not self.live.available:
            self.overlay.message = "Coaching off"
        self.problems.append(message)
        self.window.banner.show_message(message, "warning")

    def analyse_capture(self, path: Path) -> None:
        self.analyzer.submit(path.parent, path.name)

    def open_session(self, folder: Path, names: list[str]) -> None:
        self.analyzer.open_session(folder, names)

    def _analysed(self, name: str, result: AnalysisResult | None, flags: list[str]) -> None:
        self.window.filmstrip_model.set_flags(name, flags)
        if result is not None and not result.ok and result.error:
            self.window.banner.show_message(result.error, "warning")

    def shutdown(self) -> None:
        """Stop both threads; they close their landmarkers (blocks briefly, at exit)."""
        self.live.stop()
        self.analyzer.stop()
