"""Export and contact sheet from the review window, for the selected shots (two or more
selected in the grid) or else the picks. Dialogs ask; the work runs on its own thread with a
progress bar and Cancel; the outcome goes to the banner. GUI thread."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from session.culling.culling import describe
from session.delivery.export import ExportOptions, ExportReport
from session.model.live_session import Shot
from session.store.session_index import long_date, session_day
from ui.common.background import run_in_background
from ui.common.banner import Severity
from ui.common.overlay import ASPECT_MASKS
from ui.common.settings import ASPECT_MASK
from ui.review.contact_sheet import SheetItem, SheetOptions, write_contact_sheet
from ui.review.contact_sheet_dialog import ContactSheetDialog
from ui.review.export_dialog import ExportDialog, ExportJob
from ui.review.review_controller import ReviewController


class ReviewOutput(QObject):
    export_finished = Signal(object)          # ExportReport
    sheet_finished = Signal(object)           # page count, or the Exception

    def __init__(self, controller: ReviewController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = controller.window
        self.job: ExportJob | None = None
        self.progress: QProgressDialog | None = None
        self.window.export_requested.connect(self.ask_export)
        self.window.contact_sheet_requested.connect(self.ask_contact_sheet)

    def chosen(self) -> tuple[list[Shot], str]:
        """The selection when two or more shots are selected, else the picks."""
        c = self.controller
        rows = self.window.grid.selected_rows()
        if len(rows) > 1:
            return [s for s in (c.model.shot(r) for r in rows) if s is not None], \
                "selected shot(s)"
        picks = [s for s in c.shots if s.marks.pick == 1]
        return picks, "pick(s)"

    def _nothing(self) -> bool:
        shots, _what = self.chosen()
        if not shots:
            self.window.banner.show_message(
                "Nothing to export: pick shots with P, or select two or more in the grid.",
                "warning")
        return not shots

    # --- export -----------------------------------------------------------------------------
    def ask_export(self) -> None:
        if self._nothing() or self.controller.folder is None:
            return
        shots, what = self.chosen()
        dialog = ExportDialog(self.window, len(shots), what,
                              self.controller.folder.parent / f"{self.controller.folder.name} "
                                                              "export",
                              tuple({s.path.parent for s in shots}), self.window.settings)
        if dialog.exec():
            self.export(shots, dialog.options())

    def export(self, shots: list[Shot], options: ExportOptions) -> ExportJob:
        name = self.controller.session.name if self.controller.session else ""
        self.job = ExportJob(shots, name, options, self)
        self.progress = QProgressDialog("Exporting…", "Cancel", 0, len(shots), self.window)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.job.cancel.set)
        self.job.progressed.connect(self._progressed)
        self.job.finished.connect(self._exported)
        self.job.start()
        return self.job

    def _progressed(self, done: int, total: int, name: str) -> None:
        dialog = self.progress        # setValue runs the event loop (a modal dialog): the
        if dialog is not None:        # export may finish, and self.progress go, meanwhile
            dialog.setLabelText(f"Exporting {name}…" if name else "Done")
            dialog.setValue(done)

    def _exported(self, report: ExportReport) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress = None
        severity: Severity = "warning" if report.failures or report.stopped else "ok"
        self.window.banner.show_message(report.summary() + ".", severity)
        self.export_finished.emit(report)

    # --- contact sheet ----------------------------------------------------------------------
    def ask_contact_sheet(self) -> None:
        if self._nothing() or self.controller.folder is None:
            return
        shots = self.chosen()[0]
        dialog = ContactSheetDialog(self.window, len(shots),
                                    self.controller.folder / "contact-sheet.pdf",
                                    self.window.settings)
        if dialog.exec():
            self.contact_sheet(dialog.path(), shots, dialog.options(*self.sheet_title(shots)))

    def sheet_title(self, shots: list[Shot]) -> tuple[str, str]:
        """The session's name and its day, as the client reads them."""
        c = self.controller
        folder = c.folder or (shots[0].path.parent if shots else Path("."))
        name = c.session.name if c.session and c.session.name else folder.name
        return name, long_date(session_day(folder, min((s.taken for s in shots), default=None)))

    def contact_sheet(self, target: Path, shots: list[Shot],
                      options: SheetOptions | None = None) -> None:
        options = options or SheetOptions(*self.sheet_title(shots))
        if options.crop is None:            # the client sees the photographer's crop
            options = replace(options, crop=ASPECT_MASKS.get(
                self.window.settings.get(ASPECT_MASK)))
        # Captions the client understands: the shot's number and, on a headshot day, whose it
        # is (the file name means nothing to them; the number finds the shot again).
        names = {p.id: p.name for p in self.controller.session.people} \
            if self.controller.session is not None else {}
        items = [SheetItem(s.path, s.seq, names.get(s.person, ""),
                           describe(s.marks) if s.marks.rating or s.marks.pick or s.marks.label
                           else "") for s in shots]
        self.window.statusBar().showMessage(f"Writing the contact sheet of {len(items)} "
                                            "photo(s)…")
        run_in_background(lambda: write_contact_sheet(target, options, items),
                          lambda pages: self._sheet_done(target, pages), self._sheet_failed)

    def _sheet_done(self, target: Path, pages: int) -> None:
        self.window.statusBar().clearMessage()
        self.window.banner.show_message(f"Contact sheet saved: {target} ({pages} page(s)).",
                                        "ok")
        self.sheet_finished.emit(pages)

    def _sheet_failed(self, exc: Exception) -> None:
        self.window.statusBar().clearMessage()
        self.window.banner.show_message(f"The contact sheet could not be written: {exc}",
                                        "error")
        self.sheet_finished.emit(exc)
