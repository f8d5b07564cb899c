"""Retouch notes in the review window: double-click a spot of the picture in the loupe (or
compare) and type the note ("stray hair"); Shift+R takes the shot's last note off. Notes
show as numbered pins on the picture and in the caption; they go to the catalog and the
shot's sidecars on a background thread and reach every window through the session model.
*Session → Retouch hand-off…* writes the chosen shots' originals, sidecars, marked-up JPEGs
and notes sheet (PDF and CSV) into a folder. GUI thread; never waits on the disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from session.culling.retouch_notes import MAX_NOTE, NoteRefused, pin_note, unpin_note
from session.delivery.retouch_handoff import HandoffReport, SheetEntry, write_handoff
from session.model.live_session import Shot
from ui.common.background import run_in_background
from ui.common.banner import Severity
from ui.review.retouch_sheet import write_retouch_sheet
from ui.review.review_controller import ReviewController
from ui.review.review_output import ReviewOutput

Ask = Callable[[QWidget, str], "str | None"]
AskFolder = Callable[[QWidget, Path], "Path | None"]


def ask_note(parent: QWidget, shot_name: str) -> str | None:
    text, ok = QInputDialog.getText(parent, "Retouch note",
                                    f"Note for the retoucher at this spot of {shot_name} "
                                    f"(\"stray hair\", \"keep the freckles\"; up to {MAX_NOTE} "
                                    "characters):", QLineEdit.EchoMode.Normal)
    return text if ok else None


def ask_folder(parent: QWidget, start: Path) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, "Hand off to the retoucher: choose a "
                                              "folder", str(start))
    return Path(chosen) if chosen else None


class ReviewNotes(QObject):
    def __init__(self, controller: ReviewController, output: ReviewOutput,
                 ask: Ask = ask_note, choose_folder: AskFolder = ask_folder) -> None:
        super().__init__(controller)
        self.controller = controller
        self.output = output
        self.ask = ask
        self.choose_folder = choose_folder
        self.last_handoff: HandoffReport | None = None
        window = controller.window
        window.panels.spot_chosen.connect(self.pin_at)
        window.unpin_requested.connect(self.unpin_last)
        window.handoff_requested.connect(self.ask_handoff)

    def _shot_in(self, panel: int) -> Shot | None:
        c = self.controller
        if c.session is None or panel >= len(c.panel_paths):
            return None
        return c.session.shot(c.panel_paths[panel].name)

    def _say(self, message: str, severity: Severity = "ok") -> None:
        self.controller.window.banner.show_message(message, severity)

    def pin_at(self, panel: int, x: float, y: float) -> None:
        c = self.controller
        shot = self._shot_in(panel)
        if shot is None or c.session is None or c.folder is None:
            return
        if c.session.readonly:
            self._say("This session is read-only: retouch notes cannot be pinned.", "warning")
            return
        text = self.ask(c.window, shot.display_name)
        if text is None:
            return
        folder, session, key = c.folder, c.session, shot.key
        run_in_background(lambda: pin_note(folder, shot.path, x, y, text),
                          lambda notes: session.set_notes(key, notes),
                          lambda exc: self._say(str(exc) if isinstance(exc, NoteRefused) else
                                                f"The note could not be saved: {exc}",
                                                "warning"))

    def unpin_last(self) -> None:
        c = self.controller
        shot = c.current_shot()
        if shot is None or c.session is None or c.folder is None or not shot.notes:
            return
        folder, session, key = c.folder, c.session, shot.key
        number = shot.notes[-1].number
        run_in_background(lambda: unpin_note(folder, shot.path, number),
                          lambda notes: session.set_notes(key, notes),
                          lambda exc: self._say(f"The note could not be taken off: {exc}",
                                                "warning"))

    # --- the hand-off --------------------------------------------------------------------------
    def chosen(self) -> list[Shot]:
        """The shots with notes among the selection or the picks; if none, every shot with
        notes in the session."""
        shots, _what = self.output.chosen()
        with_notes = [s for s in shots if s.notes]
        return with_notes or [s for s in self.controller.shots if s.notes]

    def ask_handoff(self) -> None:
        c = self.controller
        shots = self.chosen()
        if c.folder is None or not shots:
            self._say("No retouch notes yet: double-click a spot in the loupe to pin one.",
                      "warning")
            return
        start = c.folder.parent / f"{c.folder.name} retouch"
        destination = self.choose_folder(c.window, start)
        if destination is not None:
            self.hand_off(shots, destination)

    def hand_off(self, shots: list[Shot], destination: Path) -> None:
        c = self.controller
        title = c.session.name if c.session else destination.name
        people = {p.id: p.name for p in (c.session.people if c.session else ())}

        def paint(target: Path, entries: list[SheetEntry]) -> None:
            write_retouch_sheet(target, entries, title)

        def done(report: HandoffReport) -> None:
            self.last_handoff = report
            self._say(report.summary(), "warning" if report.failures or report.stopped
                      else "ok")

        run_in_background(lambda: write_handoff(shots, destination, people, paint), done,
                          lambda exc: self._say(f"The hand-off could not be written: {exc}",
                                                "warning"))
