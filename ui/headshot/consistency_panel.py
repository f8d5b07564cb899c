"""The review window's Consistency panel (View → Consistency report, Ctrl+Shift+R): on a
headshot day, each person's pick against the house look (outliers in red with the reason),
the team's spread, and who has no pick yet; Session → Export consistency (CSV / PDF) and
Session → Deliver headshots… (the picks cropped face-anchored to the house look). It
listens to the one session model and recomputes at most every 200 ms (marks arrive one key
press at a time); the roster, each shot's person and the house look are the session model's.
GUI thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QProgressDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from session.delivery.common_framing import common_look
from session.delivery.deliver import DeliverItem, DeliverOptions, DeliverReport
from session.model.live_session import assignments
from session.people.consistency import Report, csv_text, row_cells
from session.people.house_look import HouseLook
from session.people.roster import Person
from session.people.team import deliver_items, team_report
from ui.common.actions import add_action, menu_named
from ui.common.background import run_in_background
from ui.common.banner import Severity
from ui.common.plain_text import plain_label
from ui.common.session_bridge import SessionBridge, drop_bridge
from ui.headshot.deliver_dialog import DeliverDialog, DeliverJob
from ui.review.review_controller import ReviewController

HEADERS = ("Person", "Pick", "Eyes", "Face", "Roll", "Backdrop", "Outlier reasons",
           "Notes (♥, client, retouch)")
OUTLIER = QColor(235, 110, 95)
QUIET = QColor(150, 150, 150)
RECOMPUTE_MS = 200




class ConsistencyPanel(QObject):
    def __init__(self, controller: ReviewController) -> None:
        super().__init__(controller)
        self.controller = controller
        self.window = window = controller.window
        self.report = Report(())
        self._ids: list[str] = []                 # the people the table's rows show
        self._bridge: SessionBridge | None = None
        body = QWidget()
        layout = QVBoxLayout(body)
        self.summary = plain_label("")
        self.summary.setObjectName("consistencySummary")
        self.summary.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setObjectName("consistencyTable")
        self.table.setHeaderLabels(list(HEADERS))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        # Sized to the contents once per update, not on every cell (ResizeToContents measures
        # every row again for each changed cell: a second for 200 people).
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.header().setStretchLastSection(True)
        self.table.itemActivated.connect(self._go_to)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self.dock = QDockWidget("Consistency", window)
        self.dock.setObjectName("consistencyDock")
        self.dock.setWidget(body)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RECOMPUTE_MS)
        self._timer.timeout.connect(self.recompute)
        view = menu_named(window, "&View")
        add_action(window, view, "Consistency &report", self.toggle, "Ctrl+Shift+R")
        session = menu_named(window, "&Session")
        add_action(window, session, "Export consistency (&CSV)…", self._ask_csv)
        add_action(window, session, "Export consistency (P&DF)…", self._ask_pdf)
        add_action(window, session, "&Deliver headshots…", self._ask_deliver, "Ctrl+Shift+E")
        self.job: DeliverJob | None = None
        self.progress: QProgressDialog | None = None
        controller.opened.connect(lambda *_: self.follow())

    # --- the session ------------------------------------------------------------------------
    @property
    def people(self) -> list[Person]:
        """The day's roster, as the session model holds it (never a copy of it)."""
        session = self.controller.session
        return list(session.people) if session is not None else []

    @property
    def assigned(self) -> dict[str, str]:
        """Shot file name -> person id, from the session model's shots."""
        session = self.controller.session
        shots = session.shots if session is not None else ()
        return assignments(shots)

    @property
    def look(self) -> HouseLook | None:
        """The session's house look, from the session model."""
        session = self.controller.session
        return session.house_look if session is not None else None

    def follow(self) -> None:
        session = self.controller.session
        drop_bridge(self._bridge)
        self._bridge = None
        if session is None or session.folder is None:
            return
        self._bridge = SessionBridge(session, self)
        self._bridge.shot_changed.connect(lambda *_: self._timer.start())
        self._bridge.shot_added.connect(lambda *_: self._timer.start())
        self._bridge.people_changed.connect(self._people_changed)
        self._bridge.look_changed.connect(lambda *_: self._timer.start())
        self._bridge.approvals_changed.connect(lambda *_: self._timer.start())
        self._people_changed()

    def _people_changed(self, *_args: object) -> None:
        if self.people and not self.dock.isVisible():
            self.dock.show()                  # a headshot day: the report is wanted
        self.recompute()

    def toggle(self) -> None:
        self.dock.setVisible(not self.dock.isVisible())
        if self.dock.isVisible():
            self.follow()

    def recompute(self) -> None:
        session = self.controller.session
        shots = session.shots if session is not None else ()
        self.report = team_report(shots, self.people, self.assigned, self.look,
                                  session.approvals if session is not None else None,
                                  session.verdicts if session is not None else None)
        self._show(self.report)

    def _show(self, report: Report) -> None:
        if not self.people:
            self.summary.setText("No roster in this session: import one in the tether window "
                                 "(Roster → Import roster).")
            self.table.clear()
            self._ids = []
            return
        look = report.look
        house = f"House look: {look.line()} (from {look.source})." if look else \
            "No house look yet: deviations are not judged (Roster → Use as house look)."
        self.summary.setText(
            f"{house}\nTeam spread: " + " · ".join(report.spread_lines()) +
            f"\n{len(report.measured)} picks measured · {len(report.outliers)} outlier(s) · "
            f"{len(report.without_pick)} without a pick")
        ids = [row.person_id for row in report.rows]
        if ids != self._ids:                 # other people: the rows are made again
            self._ids = ids
            self.table.setUpdatesEnabled(False)
            self.table.clear()
            self.table.addTopLevelItems([QTreeWidgetItem([""] * len(HEADERS)) for _ in ids])
            self.table.setUpdatesEnabled(True)
        changed = False
        for index, row in enumerate(report.rows):      # else only what changed is redrawn
            item = self.table.topLevelItem(index)
            assert item is not None                    # one item per row, made above
            for column, text in enumerate(row_cells(row)):
                if item.text(column) != text:
                    item.setText(column, text)
                    changed = True
            colour = OUTLIER if row.outlier else QUIET if not row.file else None
            if item.data(0, Qt.ItemDataRole.UserRole + 1) != (colour.name() if colour else ""):
                for column in range(len(HEADERS)):
                    if colour is not None:
                        item.setForeground(column, colour)
                    else:
                        item.setData(column, Qt.ItemDataRole.ForegroundRole, None)
                item.setData(0, Qt.ItemDataRole.UserRole + 1, colour.name() if colour else "")
            item.setData(0, Qt.ItemDataRole.UserRole, row.file)
        if changed:
            for column in range(len(HEADERS) - 1):
                self.table.resizeColumnToContents(column)

    def _go_to(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        """Activating a row shows that person's pick in the grid."""
        name = item.data(0, Qt.ItemDataRole.UserRole)
        keys = self.controller.model.keys
        for row, key in enumerate(keys):
            if key == name:
                self.window.grid.go_to(row)
                return

    # --- export ---------------------------------------------------------------------------
    def _target(self, suffix: str, kind: str) -> Path | None:
        folder = self.controller.folder
        if folder is None or not self.people:
            self.window.banner.show_message("This session has no roster: there is no "
                                            "consistency report to export.", "warning")
            return None
        chosen, _f = QFileDialog.getSaveFileName(
            self.window, f"Export consistency ({kind})",
            str(folder.parent / f"{folder.name} consistency.{suffix}"), f"{kind} (*.{suffix})")
        return Path(chosen) if chosen else None

    def _ask_csv(self) -> None:
        target = self._target("csv", "CSV")
        if target is not None:
            self.export_csv(target)

    def _ask_pdf(self) -> None:
        target = self._target("pdf", "PDF")
        if target is not None:
            self.export_pdf(target)

    def export_csv(self, target: Path) -> None:
        text = csv_text(self.report.rows, with_client=True)
        run_in_background(lambda: target.write_text(text, encoding="utf-8"),
                          lambda _r: self.window.banner.show_message(
                              f"Consistency report saved: {target}", "ok"),
                          lambda exc: self.window.banner.show_message(
                              f"The report could not be saved: {exc}", "warning"))

    def export_pdf(self, target: Path) -> None:
        from ui.headshot.consistency_pdf import write_report_pdf

        report = self.report
        title = self.controller.session.name if self.controller.session else ""
        run_in_background(lambda: write_report_pdf(target, report, title),
                          lambda pages: self.window.banner.show_message(
                              f"Consistency report saved ({pages} page(s)): {target}", "ok"),
                          lambda exc: self.window.banner.show_message(
                              f"The report could not be saved: {exc}", "warning"))

    # --- delivery ---------------------------------------------------------------------------
    def _ask_deliver(self) -> None:
        session, folder = self.controller.session, self.controller.folder
        if session is None or folder is None:
            return
        items = deliver_items(session.shots, self.people, self.assigned, picks_only=True)
        look = self.look or self._common(items, (4, 5))
        if not items or look is None:
            self.window.banner.show_message(
                "Nothing to deliver: pick each person's shot with P (and let the coach "
                "measure it).", "warning")
            return
        dialog = DeliverDialog(self.window, len(items), look,
                               folder.parent / f"{folder.name} delivery", self.window.settings)
        dialog.sources = (folder,)
        if dialog.exec():
            # The house look, else the common framing at the aspect chosen in the dialog.
            self.deliver(dialog.options())

    def _common(self, items: list[DeliverItem], aspect: tuple[int, int]) -> HouseLook | None:
        """Without a house look: the framing every pick can reach at ``aspect`` (frame sizes
        from the coach's analysis in the session model)."""
        session = self.controller.session
        sizes: dict[Path, tuple[int, int]] = {}
        for shot in session.shots if session else ():
            analysis = shot.analysis or {}
            width, height = analysis.get("width"), analysis.get("height")
            if isinstance(width, int) and isinstance(height, int):
                sizes[shot.path] = (width, height)
        return common_look([(i.measurements, sizes.get(i.path, (0, 0))) for i in items],
                           aspect)

    def deliver(self, options: DeliverOptions, look: HouseLook | None = None) -> DeliverJob:
        """Deliver the session's picks (on the delivery thread) to ``options.destination``."""
        session = self.controller.session
        items = deliver_items(session.shots if session else (), self.people, self.assigned,
                              picks_only=True)
        chosen = look or self.look or self._common(items, options.aspect)
        assert chosen is not None
        self.job = DeliverJob(items, chosen, options, self)
        self.progress = QProgressDialog("Delivering…", "Cancel", 0, len(items), self.window)
        self.progress.setMinimumDuration(300)
        self.progress.canceled.connect(self.job.cancel.set)
        self.job.progressed.connect(self._progressed)
        self.job.finished.connect(self._delivered)
        self.job.start()
        return self.job

    def _progressed(self, done: int, total: int, name: str) -> None:
        dialog = self.progress
        if dialog is not None:
            dialog.setLabelText(f"Delivering {name}…" if name else "Done")
            dialog.setValue(done)

    def _delivered(self, report: DeliverReport) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress = None
        severity: Severity = "warning" if report.failures or report.stopped else "ok"
        self.window.banner.show_message(report.summary() + ".", severity)
