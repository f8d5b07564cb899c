"""The live aids in the tether window: the View menu's focus peaking (F), zebra (Z),
histogram (H) and face meter (M), remembered between runs; the live-aids thread they start
and stop; its results to the overlay through a single-slot mailbox. The client's clean live
view never shows them (they are layers of the photographer's view only). GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from coaching.live.live_aids import AidsChoice, AidsFrame, LiveAids
from ui.coach.aids_overlay import AidsOverlay
from ui.coach.coach_overlay import CoachOverlay
from ui.common.actions import add_action
from ui.common.newest_bridge import NewestBridge
from ui.common.settings import SHOW_FACE_METER, SHOW_HISTOGRAM, SHOW_PEAKING, SHOW_ZEBRA, Key
from ui.tether.tether_window import TetherWindow


class AidsController(QObject):
    def __init__(self, window: TetherWindow, coach_overlay: CoachOverlay | None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = window.settings
        self.coach_overlay = coach_overlay
        self.bridge: NewestBridge[AidsFrame] = NewestBridge(self)
        self.bridge.available.connect(self._show)
        self.overlay = AidsOverlay(window.live_view.aspect)
        window.live_view.overlays.insert(0, self.overlay)   # under the mask and the coach
        self.worker = LiveAids(self.bridge.put)
        self.actions: dict[str, QAction] = {}
        view = window.view_menu
        view.addSeparator()
        for key, text, shortcut in ((SHOW_PEAKING, "&Focus peaking", "F"),
                                    (SHOW_ZEBRA, "&Zebra on clipped highlights", "Z"),
                                    (SHOW_HISTOGRAM, "&Histogram", "H"),
                                    (SHOW_FACE_METER, "Face &meter", "M")):
            self.actions[key.name] = add_action(
                window, view, text, lambda _c=False, k=key: self.toggle(k), shortcut, True,
                self.settings.get(key))
        self._apply()
        self.worker.start()

    @property
    def choice(self) -> AidsChoice:
        return AidsChoice(self.settings.get(SHOW_PEAKING), self.settings.get(SHOW_ZEBRA),
                          self.settings.get(SHOW_HISTOGRAM))

    def toggle(self, key: Key[bool]) -> None:
        on = not self.settings.get(key)
        self.settings.set(key, on)
        self.actions[key.name].setChecked(on)
        self._apply()

    def _apply(self) -> None:
        choice = self.choice
        self.worker.set_aids(choice)
        self.overlay.show_marks = choice.any_marks
        self.overlay.show_histogram = choice.histogram
        if not (choice.any_marks or choice.histogram):
            self.overlay.set_frame(None)
        if self.coach_overlay is not None:
            self.coach_overlay.show_meter = self.settings.get(SHOW_FACE_METER)
        self.window.live_view.update()

    def _show(self) -> None:
        frame = self.bridge.take()
        if frame is not None and (self.overlay.show_marks or self.overlay.show_histogram):
            self.overlay.set_frame(frame)
            self.window.live_view.overlay_changed()

    def shutdown(self) -> None:
        self.worker.stop()
