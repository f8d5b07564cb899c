"""Sign-off at the chair (Roster menu). The person chose their shot (a heart on their phone, or
pointing at the client screen); the photographer selects it and presses Ctrl+Return: it becomes
the person's approved pick, its face-anchored delivery is rendered at once in the background,
verified, and the person is done with the file. A change of mind is another Ctrl+Return on
another shot: delivered again, the earlier file kept. *Close the day…* makes the approvals
final and writes the day report (PDF and CSV) into the session folder.

GUI thread; the renders, the catalog and the report are written on background threads; the
session model holds the approvals (the consistency report and the lead's phone listen).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenu

from session.delivery.approved_delivery import NotDelivered, SignOff, deliver_approved
from session.model.live_session import ANALYSIS, SessionModel, Shot
from session.people.approvals import ApprovalStore
from session.people.day_report import csv_text, day_rows
from session.people.lead_verdicts import session_verdicts
from session.people.roster import Person
from session.store.storage import free_names, write_verified
from ui.common.actions import add_action
from ui.common.background import run_in_background
from ui.common.session_bridge import SessionBridge, rebind
from ui.headshot.day_report_pdf import write_day_report
from ui.tether.tether_window import TetherWindow

DAY_REPORT = "Day report"


def close_the_day(folder: Path, people: Sequence[Person], photographed: set[str],
                  shown: dict[str, str], title: str) -> tuple[Path, Path, float]:
    """Background thread: the day closed in the catalog, then the report's CSV and PDF
    written beside the session's pictures (never over an earlier report)."""
    with ApprovalStore(folder) as store:
        closed = store.close_day()
        history = store.history()
    model_rows = day_rows(people, history, photographed, shown, session_verdicts(folder))
    csv_name, pdf_name = free_names(folder, [f"{DAY_REPORT}.csv", f"{DAY_REPORT}.pdf"])
    write_verified(folder / csv_name, csv_text(model_rows).encode("utf-8"),
                   "The day report was not written")
    write_day_report(folder / pdf_name, model_rows, title, closed)
    return folder / csv_name, folder / pdf_name, closed


class SignOffController(QObject):
    def __init__(self, window: TetherWindow, menu: QMenu,
                 current: Callable[[], Person | None] = lambda: None) -> None:
        """``current()``: the person in front of the camera (the roster's)."""
        super().__init__(window)
        self.window = window
        self.current = current
        self.model: SessionModel | None = None
        self.pending: set[str] = set()          # person ids whose delivery is being made
        self.waiting: dict[str, Person] = {}    # shot key -> its person, until it is analysed
        self._bridge: SessionBridge | None = None
        menu.addSeparator()
        add_action(window, menu, "&Approve the selected shot for its person",
                   self.approve_selected, "Ctrl+Return")
        add_action(window, menu, "&Close the day (approvals final, day report)…",
                   self.close_day)

    def follow(self, model: SessionModel) -> None:
        self.model = model
        self.waiting.clear()
        self._bridge = rebind(self._bridge, model, self)
        self._bridge.shot_changed.connect(self._analysed)

    def _analysed(self, shot: Shot, what: str, _before: Shot) -> None:
        """A shot approved before its analysis arrived is delivered once it has."""
        if what == ANALYSIS and shot.analysis is not None and shot.key in self.waiting:
            del self.waiting[shot.key]
            self.approve(shot)

    def person_of(self, shot: Shot) -> Person | None:
        """The shot's own person, else the one in front of the camera."""
        model = self.model
        if model is None:
            return None
        if shot.person:
            return next((p for p in model.people if p.id == shot.person), None)
        return self.current()

    def approve_selected(self) -> None:
        model = self.model
        chosen = self.window.filmstrip.current_path()
        shot = model.shot(chosen.name) if model is not None and chosen is not None else None
        if model is None or shot is None or model.folder is None:
            self._say("Select the shot the person chose in the filmstrip first.", "warning")
            return
        self.approve(shot)

    def approve(self, shot: Shot) -> None:
        """``shot`` becomes its person's approved pick and is delivered (background)."""
        model = self.model
        assert model is not None and model.folder is not None
        person = self.person_of(shot)
        if person is None:
            self._say(f"{shot.display_name} has no person: assign it on the roster first.",
                      "warning")
            return
        if model.day_closed is not None:
            self._say("The day is closed: approvals can no longer change.", "warning")
            return
        if shot.rejected:
            self._say(f"{shot.display_name} is rejected: choose the shot {person.name} "
                      "approved.", "warning")
            return
        if person.id in self.pending:
            self._say(f"{person.name}'s approved shot is still being delivered…", "info")
            return
        if shot.analysis is None:              # just taken: delivered once it is analysed
            self.waiting[shot.key] = person
            self._say(f"Approved {shot.display_name} for {person.name}: it is delivered as "
                      "soon as its analysis is in (a moment).", "info")
            return
        if shot.marks.pick != 1:
            model.press(shot.key, "p")
        self.pending.add(person.id)
        folder, look, key_at = model.folder, model.house_look, time.perf_counter()
        self._say(f"Approved {shot.display_name} for {person.name}: delivering…", "info")

        def done(signed: SignOff) -> None:
            self.pending.discard(person.id)
            if self.model is model and model.folder == folder:
                model.set_approval(signed.approval)
            self._say(f"{person.name} is done: {signed.path.name} delivered to "
                      f"{signed.path.parent.name} and verified "
                      f"{time.perf_counter() - key_at:.1f} s after the key.", "ok")

        def failed(exc: Exception) -> None:
            self.pending.discard(person.id)
            said = str(exc) if isinstance(exc, NotDelivered) else \
                f"{shot.display_name} could not be delivered: {exc}"
            self._say(said, "warning")

        run_in_background(lambda: deliver_approved(folder, shot, person, look,
                                                   yield_to_live_view=True), done, failed)

    def close_day(self) -> None:
        model = self.model
        if model is None or model.folder is None:
            self._say("Open a session first.", "warning")
            return
        if self.pending:
            self._say("A delivery is still being made: close the day when it is done.",
                      "warning")
            return
        folder, people = model.folder, model.people
        photographed = {s.person for s in model.shots if s.person}
        shown = {s.key: s.display_name for s in model.shots}

        def written(result: tuple[Path, Path, float]) -> None:
            csv_path, pdf_path, closed = result
            if self.model is model:
                model.set_day_closed(closed)
            self._say(f"The day is closed: {csv_path.name} and {pdf_path.name} are in the "
                      "session folder.", "ok")

        run_in_background(lambda: close_the_day(folder, people, photographed, shown,
                                                model.name), written,
                          lambda exc: self._say(f"The day report was not written: {exc}",
                                                "warning"))

    def _say(self, text: str, severity: str) -> None:
        self.window.banner.show_message(text, severity)  # type: ignore[arg-type]
