"""The headshot day in the tether window: the Roster panel (who is being photographed now, who
is next, who is done, shots and picks per person, search by name), the Roster menu (import a
roster CSV, add a walk-in, print QR cards, next/previous person with ] and [), QR cards read
off live view switching the current person (a flash and the banner confirm; a card for someone
not on the roster is reported), and every new shot recorded as the current person's in the
session catalog. The panel shows itself once a session has a roster. GUI thread; the catalog
is read and written on background threads, the cards painted on one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coaching.live.card_reader import CardReader, CardSeen
from session.ingest.ingest import IngestResult
from session.model.live_session import SessionModel, assignments
from session.people.lead_verdicts import standing
from session.people.person_record import record_person
from session.people.roster import Person, RosterError, parse_roster
from session.people.roster_store import RosterStore
from ui.common.actions import add_action
from ui.common.background import run_in_background
from ui.common.newest_bridge import NewestBridge
from ui.common.plain_text import plain_label, plain_tip, warn
from ui.common.session_bridge import SessionBridge, rebind
from ui.headshot.roster_cards import card_code
from ui.tether.camera_panel import CameraPanel
from ui.tether.tether_window import TetherWindow


def _load(folder: Path) -> tuple[list[Person], dict[str, str]]:
    store = RosterStore(folder)
    try:
        return store.people(), store.assignments()
    finally:
        store.close()


class RosterPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rosterPanel")
        self.now = plain_label("No one selected")
        self.now.setObjectName("rosterNow")
        font = QFont(self.now.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.now.setFont(font)
        self.now.setWordWrap(True)
        self.next = plain_label("")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a person…")
        self.search.setClearButtonEnabled(True)
        self.list = QTreeWidget()
        self.list.setObjectName("rosterList")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Person", "Shots", "Picks", "✓"])
        self.list.headerItem().setToolTip(3, "Approved and delivered at the chair (✗: the lead "
                                             "vetoed it)")
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        header = self.list.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):    # fixed: a count changing never measures every row again
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, header.fontMetrics().horizontalAdvance(
                "Shots" if column < 3 else "✓") + 18)
        self.summary = plain_label("")
        layout = QVBoxLayout(self)
        for widget in (self.now, self.next, self.search, self.list, self.summary):
            layout.addWidget(widget)


APPROVED_MARK, VETOED_MARK = "✓", "✗"


class RosterController(QObject):
    def __init__(self, window: TetherWindow,
                 on_person: Callable[[Person | None], None] | None = None) -> None:
        """``on_person(person)``: who is in front of the camera now (the tether names and
        records the next shots for them)."""
        super().__init__(window)
        self.window = window
        self.on_person = on_person or (lambda _p: None)
        # The demo camera's sitter holds up a card (False: a real camera, nothing to do).
        self.hold_up_card: Callable[[str], bool] = lambda _code: False
        self.model: SessionModel | None = None
        self.current: Person | None = None
        self._bridge: SessionBridge | None = None
        self.panel = RosterPanel()
        self.dock = QDockWidget("Roster", window)
        self.dock.setObjectName("rosterDock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.cards: NewestBridge[CardSeen] = NewestBridge(self)
        self.cards.available.connect(self._card_seen)
        self.reader = CardReader(self.cards.put)
        self.panel.search.textChanged.connect(self._refresh)
        self.panel.list.itemActivated.connect(self._picked)
        self.panel.list.itemClicked.connect(self._picked)
        self.placed = False          # the dock is under the camera panel
        self._rows: dict[str, QTreeWidgetItem] = {}
        self._layout: tuple[tuple[str, ...], str] | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(30)
        self._refresh_timer.timeout.connect(self._refresh)
        self._build_menu()
        self.reader.start()

    def _build_menu(self) -> None:
        menu = self.menu = self.window.add_menu("&Roster")
        add_action(self.window, menu, "&Next person", self.next_person, "]")
        add_action(self.window, menu, "&Previous person", self.previous_person, "[")
        add_action(self.window, menu, "&Give the selected shots to the current person",
                   self.assign_selected, "Ctrl+]")
        menu.addSeparator()
        add_action(self.window, menu, "&Import roster (CSV)…", self._ask_import)
        add_action(self.window, menu, "&Add a person…", self._ask_add)
        add_action(self.window, menu, "Print QR &cards (PDF)…", self._ask_cards)
        add_action(self.window, menu, "Demo camera: the next person holds up their card",
                   self.demo_card)
        menu.addSeparator()
        add_action(self.window, menu, "Show the roster &panel", self._show_dock)

    def demo_card(self) -> None:
        """Try card switching without printing: the demo camera's sitter holds up the next
        person's QR card for a few seconds; live view reads it as it would a printed one."""
        if not self.people:
            self.window.banner.show_message("Import a roster first: the card is a person's.",
                                            "info")
            return
        # The next one not yet photographed; when everyone has been, simply the next one.
        person = self._upcoming(self.counts()[0]) or self._neighbour(1)
        if not self.hold_up_card(card_code(person)):
            self.window.banner.show_message(
                "Only the demo camera can hold up a card: hold the printed card up to the "
                "camera.", "info")

    # --- the session ------------------------------------------------------------------------
    @property
    def people(self) -> list[Person]:
        """The day's roster, as the session model holds it."""
        return list(self.model.people) if self.model is not None else []

    @property
    def assigned(self) -> dict[str, str]:
        """Shot file name -> person id, from the session model's shots."""
        shots = self.model.shots if self.model is not None else ()
        return assignments(shots)

    def follow(self, model: SessionModel) -> None:
        self.model = model
        self._bridge = rebind(self._bridge, model, self)
        self._bridge.switched.connect(self.reload)
        self._bridge.shot_changed.connect(self._refresh_soon)
        self._bridge.people_changed.connect(self._refresh)
        self._bridge.shot_added.connect(self._refresh_soon)
        self._bridge.approvals_changed.connect(self._refresh_soon)
        self.reload()

    def reload(self) -> None:
        folder = self.model.folder if self.model is not None else None
        if folder is None:
            self._show([], {})
            return
        run_in_background(lambda: _load(folder), lambda loaded: self._show(*loaded),
                          lambda exc: self.window.banner.show_message(
                              f"The roster could not be read: {exc}", "warning"))

    def _show(self, people: list[Person], assigned: dict[str, str]) -> None:
        if self.model is not None:
            self.model.set_people(people, assigned)
        if self.current is not None:
            self.current = next((p for p in people if p.id == self.current.id), None)
        if self.current is None and people:
            self.current = self._first_not_done() or people[0]
        self.on_person(self.current)
        self.reader.set_enabled(bool(people))
        if people:
            self._show_dock()
        self._refresh()

    def _show_dock(self) -> None:
        """On a headshot day the roster sits under the camera panel, never in front of it:
        the client monitor (is the TV blanked?), the camera and its Capture button stay in
        sight while people come and go."""
        camera = self.window.findChild(QDockWidget, "cameraDock")
        if camera is not None and not self.placed:
            panel = camera.findChild(CameraPanel, "cameraPanel")
            if panel is not None:
                panel.fold_settings(True)     # the roster needs the room more than ISO does
            self.window.splitDockWidget(camera, self.dock, Qt.Orientation.Vertical)
            height = max(400, self.window.height())
            self.window.resizeDocks([camera, self.dock], [height * 11 // 20, height * 9 // 20],
                                    Qt.Orientation.Vertical)
            # Once laid out: the camera panel as tall as it needs (the client monitor, the
            # camera, Capture), the rest to the roster's list.
            QTimer.singleShot(0, lambda: self._give_room(camera))
            self.placed = True
        self.dock.show()
        self.dock.raise_()

    def _give_room(self, camera: QDockWidget) -> None:
        height = camera.height() + self.dock.height()
        needed = min(max(camera.minimumSizeHint().height(), height // 3), height * 11 // 20)
        self.window.resizeDocks([camera, self.dock], [needed, height - needed],
                                Qt.Orientation.Vertical)

    # --- who is in front of the camera --------------------------------------------------------
    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Shots and picks per person id."""
        shots: Counter[str] = Counter()
        picks: Counter[str] = Counter()
        if self.model is None:
            return shots, picks
        for shot in self.model.shots:
            if shot.person:
                shots[shot.person] += 1
                picks[shot.person] += shot.marks.pick == 1
        return shots, picks

    def _first_not_done(self) -> Person | None:
        shots, _picks = self.counts()
        return next((p for p in self.people if not shots[p.id]), None)

    def set_current(self, person: Person | None) -> None:
        self.current = person
        self.on_person(person)
        self._refresh()
        if person is not None:
            self.window.statusBar().showMessage(f"Now photographing {person.label}", 4000)

    def _neighbour(self, by: int) -> Person:
        """The person ``by`` places after the current one in the roster (wrapping round)."""
        index = next((i for i, p in enumerate(self.people) if self.current
                      and p.id == self.current.id), -1)
        return self.people[(index + by) % len(self.people)]

    def _step(self, by: int) -> None:
        if self.people:
            self.set_current(self._neighbour(by))

    def next_person(self) -> None:
        self._step(1)

    def previous_person(self) -> None:
        self._step(-1)

    def _picked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        person = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(person, Person):
            self.set_current(person)

    def _card_seen(self) -> None:
        card = self.cards.take()
        if card is None:
            return
        if card.person_id is None:
            self.window.statusBar().showMessage(
                f"A QR code that is not a Catchlight card: {card.code[:60]}", 4000)
            return
        person = next((p for p in self.people if p.id == card.person_id), None)
        if person is None:
            self.window.banner.show_message(
                f"Card {card.person_id} is not on this session's roster: import the roster "
                "it was printed from, or add the person.", "warning")
            return
        self.set_current(person)
        self.window.live_view.flash(self.window.live_view.shot_count)
        self.window.banner.show_message(f"Card read: now photographing {person.label}.", "ok")

    # --- shots carry their person ----------------------------------------------------------
    def stored(self, result: IngestResult) -> None:
        """A new shot is on disk: the person it was named for (the current one when the
        ingest took it), or the current one."""
        person = result.person or self.current
        folder = self.model.folder if self.model else None
        if person is None or folder is None or result.already_stored:
            return
        model = self.model
        if model is not None:
            for path in result.paths:             # one of them is the shot's key
                model.set_person(path.name, person.id)
        self._refresh()                           # its count shows at once

        paths = list(result.paths)

        def record() -> None:
            record_person(folder, paths, person)

        run_in_background(record, lambda _r: None,
                          lambda exc: self.window.banner.show_message(
                              f"The shot's person could not be recorded: {exc}", "warning"))

    def assign_selected(self) -> None:
        """A card was missed: the shots selected in the filmstrip become the current
        person's, in the catalog and their sidecars. File names are never changed (a file
        may already have been delivered under its name); the banner says so."""
        person, model = self.current, self.model
        folder = model.folder if model is not None else None
        if person is None or model is None or folder is None:
            self.window.banner.show_message("Choose the person first (Roster panel, ] or a "
                                            "card), then give them the shots.", "warning")
            return
        chosen = {Path(p).name for p in self.window.filmstrip.selected_paths(limit=10_000)}
        shots = [s for s in model.shots if s.key in chosen]
        if not shots:
            self.window.banner.show_message("Select the shots in the filmstrip first.",
                                            "warning")
            return
        names = {p.id: p.name for p in self.people}
        paths = [folder / name for shot in shots for name in shot.names]
        previous = {folder / name: names.get(shot.person, "") for shot in shots
                    for name in shot.names}
        for shot in shots:
            model.set_person(shot.key, person.id)
        self._refresh()
        count = len(shots)
        run_in_background(lambda: record_person(folder, paths, person, previous),
                          lambda _r: self.window.banner.show_message(
                              f"{count} shot(s) now {person.name}'s (file names unchanged).",
                              "ok"),
                          lambda exc: self.window.banner.show_message(
                              f"The shots could not be given to {person.name}: {exc}",
                              "warning"))

    # --- the panel ------------------------------------------------------------------------
    def _refresh_soon(self, *_args: object) -> None:
        """A burst of shot events (a capture, a run of marks) redraws the panel once."""
        self._refresh_timer.start()

    def _refresh(self, *_args: object) -> None:
        """The panel from the roster and the counts: the list is built again only when the
        people or the search changed; otherwise its rows are updated where they changed
        (200 people: a few ms)."""
        panel = self.panel
        shots, picks = self.counts()
        current = self.current
        panel.now.setText(f"Now: {current.name}" if current else "No one selected")
        if current is not None:             # live view says who is in the chair
            taken = shots[current.id]
            self.window.live_view.set_person(
                f"{current.name} · " + (f"{taken} shot{'s' if taken != 1 else ''}" if taken
                                        else "no shots yet"))
        else:
            self.window.live_view.set_person("")
        if current is not None and current.dept:
            panel.now.setToolTip(plain_tip(current.dept))
        upcoming = self._upcoming(shots)
        panel.next.setText(f"Next: {upcoming.name}" if upcoming else "")
        wanted = panel.search.text().casefold().strip()
        layout = (tuple(p.id for p in self.people), wanted)
        if layout != self._layout:
            self._layout = layout
            self._build_rows(wanted)
        signed = self._signed()
        for person_id, item in self._rows.items():
            person = item.data(0, Qt.ItemDataRole.UserRole)
            texts = (f"{'✓ ' if shots[person_id] else '    '}{person.name}",
                     str(shots[person_id]), str(picks[person_id]), signed.get(person_id, ""))
            for column, text in enumerate(texts):
                if item.text(column) != text:
                    item.setText(column, text)
            bold = current is not None and person_id == current.id
            if item.font(0).bold() != bold:
                font = item.font(0)
                font.setBold(bold)
                for column in range(4):
                    item.setFont(column, font)
        row = self._rows.get(current.id) if current is not None else None
        if row is not None and panel.list.currentItem() is not row:   # the highlight is who
            panel.list.setCurrentItem(row)                              # is in the chair
            panel.list.scrollToItem(row)
        done_count = sum(1 for p in self.people if shots[p.id])
        approved = sum(1 for word in signed.values() if word == APPROVED_MARK)
        panel.summary.setText(f"{done_count} of {len(self.people)} photographed"
                              + (f" · {approved} approved" if signed else "")
                              if self.people else "No roster: Roster → Import roster (CSV)")

    def _signed(self) -> dict[str, str]:
        """Person id -> the Done column: ✓ approved and delivered, ✗ the lead vetoed it."""
        model = self.model
        if model is None:
            return {}
        marks = {}
        for person_id, approval in model.approvals.items():
            said = standing(model.verdicts, model.approvals, person_id)
            if approval.delivered:
                marks[person_id] = VETOED_MARK if said is not None and said.veto \
                    else APPROVED_MARK
        return marks

    def _build_rows(self, wanted: str) -> None:
        panel = self.panel
        panel.list.setUpdatesEnabled(False)
        panel.list.clear()
        self._rows = {}
        items = []
        for person in self.people:
            if wanted and wanted not in person.name.casefold() \
                    and wanted not in person.dept.casefold():
                continue
            item = QTreeWidgetItem(["", "", "", ""])
            item.setToolTip(0, plain_tip(" · ".join(p for p in (person.dept, person.email,
                                                                 person.id) if p)))
            item.setData(0, Qt.ItemDataRole.UserRole, person)
            for column in (1, 2):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignCenter)
            self._rows[person.id] = item
            items.append(item)
        panel.list.addTopLevelItems(items)
        panel.list.setUpdatesEnabled(True)

    def _upcoming(self, shots: Counter[str]) -> Person | None:
        if not self.people or self.current is None:
            return None
        index = next((i for i, p in enumerate(self.people) if p.id == self.current.id), -1)
        for offset in range(1, len(self.people)):
            person = self.people[(index + offset) % len(self.people)]
            if not shots[person.id]:
                return person
        return None

    # --- the menu's dialogs --------------------------------------------------------------
    def _folder(self) -> Path | None:
        folder = self.model.folder if self.model is not None else None
        if folder is None:
            self.window.banner.show_message("Open a session first: the roster lives in it.",
                                            "warning")
        return folder

    def _ask_import(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        chosen, _filter = QFileDialog.getOpenFileName(self.window, "Import roster", "",
                                                      "Roster (*.csv *.txt);;All files (*)")
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> None:
        folder = self._folder()
        if folder is None:
            return

        def work() -> str:
            people = parse_roster(path.read_bytes())
            store = RosterStore(folder)
            try:
                return store.import_people(people).line()
            finally:
                store.close()

        def failed(exc: Exception) -> None:
            text = str(exc) if isinstance(exc, RosterError | OSError) else repr(exc)
            warn(self.window, "Roster not imported", f"{path.name}: {text}")

        def imported(line: str) -> None:
            self.window.banner.show_message(f"Roster {path.name}: {line}.", "ok")
            self.reload()

        run_in_background(work, imported, failed)

    def _ask_add(self) -> None:
        folder = self._folder()
        if folder is None:
            return
        name, ok = QInputDialog.getText(self.window, "Add a person", "Name:")
        if ok and name.strip():
            def work() -> Person:
                store = RosterStore(folder)
                try:
                    return store.add_person(name)
                finally:
                    store.close()

            def added(person: Person) -> None:
                self.reload()
                self.set_current(person)

            run_in_background(work, added,
                              lambda exc: self.window.banner.show_message(str(exc), "warning"))

    def _ask_cards(self) -> None:
        folder = self._folder()
        if folder is None or not self.people:
            if folder is not None:
                self.window.banner.show_message("The roster is empty: import one first.",
                                                "warning")
            return
        target, _filter = QFileDialog.getSaveFileName(
            self.window, "Print QR cards", str(folder.parent / f"{folder.name} cards.pdf"),
            "PDF (*.pdf)")
        if not target:
            return
        from ui.headshot.roster_cards import write_cards

        people, title = list(self.people), folder.name
        run_in_background(lambda: write_cards(Path(target), people, title),
                          lambda pages: self.window.banner.show_message(
                              f"{len(people)} cards on {pages} page(s): {target}", "ok"),
                          lambda exc: self.window.banner.show_message(str(exc), "warning"))

    def shutdown(self) -> None:
        self.reader.stop()
