"""Culling keys in the review window: 1-5 stars, 0 clears, P pick, X reject, U unflag, 6-9
labels on the current shot, Ctrl+Z undo, B accepts the suggested best frame of the burst
(picks it and moves there), optional auto-advance. Marks go to the live session model (so
the tether window and the client display see them too). A shot that no longer passes the
filter leaves the grid and the next one takes its place. GUI thread; two small writes per
key."""

from __future__ import annotations

from PySide6.QtCore import QObject

from ui.review.review_controller import ReviewController


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
        if c.session is None or shot is None:
            return
        if c.session.readonly:
            c.window.statusBar().showMessage("This session is read-only: marks cannot be "
                                             "changed.", 4000)
            return
        marks = c.session.press(shot.key, key)
        if marks is None:
            return
        self._report_problems()
        row = c.window.grid.current_row()
        if not c.window.filter.accepts(marks, shot.tags):
            c.apply_filter(c.window.filter)       # the shot leaves; the next one moves up
            c.window.grid.go_to(min(row, len(c.model.keys) - 1))
        elif c.window.auto_advance:
            c.step(1)

    def undo(self) -> None:
        c = self.controller
        if c.session is not None and c.session.undo() is not None:
            c.apply_filter(c.window.filter)

    def accept_best(self) -> None:
        """Pick the suggested best frame of the current shot's burst and go to it."""
        c = self.controller
        shot = c.current_shot()
        burst = c.burst_of(shot.key) if shot else None
        if c.session is None or burst is None:
            return
        if not burst.best:
            c.window.statusBar().showMessage(
                "No suggestion for this burst: its shots have no coaching analysis.", 4000)
            return
        c.session.press(burst.best, "p")
        row = c.model.rows.get(burst.best)
        if row is not None:
            c.window.grid.go_to(row)

    def _report_problems(self) -> None:
        problems = self.controller.session.culling_problems if self.controller.session else []
        if problems:
            self.controller.window.banner.show_message(problems[-1], "warning")
