"""Culling keys in the review window: 1-5 stars, 0 clears, P pick, X reject, U unflag, 6-9
labels on the current shot, Ctrl+Z undo, B accepts the suggested best frame of the burst
(picks it and moves there), optional auto-advance. A shot that no longer passes the filter
leaves the grid and the next one takes its place. GUI thread; two small writes per key."""

from __future__ import annotations

from PySide6.QtCore import QObject

from session.culling import describe
from session.filenames import shown
from session.xmp_sidecar import CullMarks
from ui.review_controller import ReviewController


class ReviewCulling(QObject):
    def __init__(self, controller: ReviewController) -> None:
        super().__init__(controller)
        self.controller = controller
        window = controller.window
        window.cull_key_pressed.connect(self.press)
        window.undo_requested.connect(self.undo)
        window.best_requested.connect(self.accept_best)

    def press(self, key: str) -> None:
        c = self.controller
        shot = c.current_shot()
        if c.culler is None or shot is None:
            return
        marks = c.culler.press(shot.name, key)
        if marks is None:
            if c.culler.readonly:
                c.window.statusBar().showMessage("This session is read-only: marks cannot be "
                                                 "changed.", 4000)
            return
        self._changed(shot.name, marks)
        row = c.window.grid.current_row()
        if not c.window.filter.accepts(marks, c.model.shot_flags.get(shot.name, [])):
            c.apply_filter(c.window.filter)       # the shot leaves; the next one moves up
            c.window.grid.go_to(min(row, len(c.model.shots) - 1))
        elif c.window.auto_advance:
            c.step(1)

    def undo(self) -> None:
        c = self.controller
        undone = c.culler.undo() if c.culler else None
        if undone is not None:
            self._changed(*undone)
            c.apply_filter(c.window.filter)

    def accept_best(self) -> None:
        """Pick the suggested best frame of the current shot's burst and go to it."""
        c = self.controller
        shot = c.current_shot()
        burst = c.burst_of(shot.name) if shot else None
        if c.culler is None or burst is None:
            return
        if not burst.best:
            c.window.statusBar().showMessage(
                "No suggestion for this burst: its shots have no coaching analysis.", 4000)
            return
        marks = c.culler.press(burst.best, "p")
        if marks is not None:
            self._changed(burst.best, marks)
        row = c.model.rows.get(burst.best)
        if row is not None:
            c.window.grid.go_to(row)

    def _changed(self, name: str, marks: CullMarks) -> None:
        c = self.controller
        c.show_marks(name, marks)
        c.window.statusBar().showMessage(f"{shown(name)}: {describe(marks)}", 3000)
        if c.folder is not None:
            c.marks_changed.emit(c.folder, name, marks)
