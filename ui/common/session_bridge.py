"""The one Qt bridge to a live session model: its plain events as Qt signals (emitted on the
GUI thread, where the model lives), and the loading of a session into its model off the GUI
thread. Windows connect to a bridge; none keeps a copy of the session. GUI thread only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from session.model.live_session import (
    ApprovalsChanged,
    Event,
    HeroChanged,
    HouseLookChanged,
    PeopleChanged,
    SessionModel,
    SessionModels,
    SessionSnapshot,
    SessionSwitched,
    ShotAdded,
    ShotChanged,
    ShotMissing,
)
from session.model.session_snapshot import load_snapshot
from ui.common.background import run_in_background


class SessionBridge(QObject):
    switched = Signal()                  # the model now shows another session (or reloaded)
    shot_added = Signal(object, int)     # Shot, row
    shot_changed = Signal(object, str, object)   # Shot, what (marks | analysis), Shot before
    shot_missing = Signal(object)        # key
    people_changed = Signal(object)      # the day's roster (a tuple of Person)
    look_changed = Signal(object)        # the house look (HouseLook or None)
    hero_changed = Signal(object)        # the hero frames (person id -> HeroFrame)
    approvals_changed = Signal(object, object)   # person id -> Approval, day closed or None

    def __init__(self, model: SessionModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self._unsubscribe = model.subscribe(self._event)
        # A bridge deleted with its window (closed) stops listening at once: the model
        # never calls into a dead Qt object.
        self.destroyed.connect(self._unsubscribe)

    def _event(self, event: Event) -> None:
        if isinstance(event, SessionSwitched):
            self.switched.emit()
        elif isinstance(event, ShotAdded):
            self.shot_added.emit(event.shot, event.row)
        elif isinstance(event, ShotChanged):
            self.shot_changed.emit(event.shot, event.what, event.before)
        elif isinstance(event, ShotMissing):
            self.shot_missing.emit(event.key)
        elif isinstance(event, PeopleChanged):
            self.people_changed.emit(event.people)
        elif isinstance(event, HouseLookChanged):
            self.look_changed.emit(event.look)
        elif isinstance(event, HeroChanged):
            self.hero_changed.emit(event.heroes)
        elif isinstance(event, ApprovalsChanged):
            self.approvals_changed.emit(event.approvals, event.day_closed)

    def detach(self) -> None:
        self._unsubscribe()


def drop_bridge(bridge: SessionBridge | None) -> None:
    """Stop listening through ``bridge`` (None: nothing to stop) and let Qt delete it."""
    if bridge is not None:
        bridge.detach()
        bridge.deleteLater()


def rebind(previous: SessionBridge | None, model: SessionModel, parent: QObject
           ) -> SessionBridge:
    """A listener's bridge to ``model`` in place of ``previous`` (a controller's follow())."""
    drop_bridge(previous)
    return SessionBridge(model, parent)


def load_into(model: SessionModel, folder: Path,
              on_error: Callable[[Exception], None] = lambda _exc: None) -> None:
    """Read ``folder`` off the GUI thread and open it in ``model`` (unless the model has been
    given another folder meanwhile)."""
    model.loading = Path(folder)

    def opened(snapshot: SessionSnapshot) -> None:
        if model.loading == snapshot.folder:
            model.loading = None
            model.open(snapshot)

    run_in_background(lambda: load_snapshot(Path(folder)), opened, on_error)


def acquire(models: SessionModels, folder: Path,
            on_error: Callable[[Exception], None] = lambda _exc: None) -> SessionModel:
    """The shared model of ``folder``, loading it if nobody has yet."""
    model, fresh = models.acquire(folder)
    if fresh:
        load_into(model, folder, on_error)
    return model
