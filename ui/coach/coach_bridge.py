"""Qt signals for the live coach and the capture analyser (their callbacks run on their own
threads; the GUI receives queued signals). The coach state also goes through a single-slot
mailbox so a slow repaint never queues states up."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from camera.owner.mailbox import Mailbox
from coaching.live.live_coach import CoachState
from coaching.measure.grey_card import CardVerdict
from coaching.stills.analysis import AnalysisResult


class CoachBridge(QObject):
    state_available = Signal()
    capture_analysed = Signal(object, object, object)   # name, AnalysisResult | None, flags
    problem = Signal(str)
    neutral = Signal(str, bool)                         # message, accepted
    card = Signal(object)                               # CardVerdict

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.states: Mailbox[CoachState] = Mailbox()

    def on_state(self, state: CoachState) -> None:
        if self.states.put(state):
            self.state_available.emit()

    def on_result(self, name: str, result: AnalysisResult | None, flags: list[str]) -> None:
        self.capture_analysed.emit(name, result, flags)

    def on_problem(self, message: str) -> None:
        self.problem.emit(message)

    def on_neutral(self, message: str, accepted: bool) -> None:
        self.neutral.emit(message, accepted)

    def on_card(self, verdict: CardVerdict) -> None:
        """A grey-card reading ended (the coach's or the capture pipeline's thread)."""
        self.card.emit(verdict)
