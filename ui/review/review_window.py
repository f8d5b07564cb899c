"""The review window: the grid, the loupe and 2-up/4-up compare, with menus and the shortcuts
photographers know (G grid, E loupe, C compare, N 4-up, Z 100 % on the eyes, arrows, 1-5,
0, P, X, U, 6-9, B accept the suggested best; a double-click pins a retouch note). It lays
out widgets and says what the user asked for through signals; ReviewController does the
work. GUI thread only."""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Signal
from PySide6.QtGui import QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStackedWidget, QVBoxLayout, QWidget

from session.culling.culling import KEY_LABELS, NEAR_HERO, CullFilter
from ui.common.actions import add_action
from ui.common.banner import Banner
from ui.common.cull_keys import KEYS
from ui.common.plain_text import plain_label
from ui.common.settings import CULL_ADVANCE, AppSettings
from ui.pictures.thumbnail_service import ThumbnailService
from ui.review.panel_grid import PanelGrid
from ui.review.review_grid import ReviewGrid, ReviewModel

# How the review shows its shots: the grid of thumbnails, one large, or two or four side by side.
ReviewMode = Literal["grid", "loupe", "compare2", "compare4"]
MODES: tuple[tuple[ReviewMode, str, str], ...] = (
    ("grid", "&Grid", "G"), ("loupe", "&Loupe", "E"), ("compare2", "&Compare 2-up", "C"),
    ("compare4", "Compare &4-up", "N"))
PANELS: dict[ReviewMode, int] = {"grid": 0, "loupe": 1, "compare2": 2, "compare4": 4}


class ReviewWindow(QMainWindow):
    mode_requested = Signal(str)
    step_requested = Signal(int)
    zoom_requested = Signal()
    cull_key_pressed = Signal(str)
    undo_requested = Signal()
    best_requested = Signal()
    filter_changed = Signal(object)          # CullFilter
    export_requested = Signal()
    contact_sheet_requested = Signal()
    handoff_requested = Signal()
    unpin_requested = Signal()
    browse_requested = Signal()
    closing = Signal()

    def __init__(self, settings: AppSettings, thumbs: ThumbnailService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWindow")
        self.setWindowTitle("Catchlight review")
        self.settings = settings
        self.banner = Banner(self)
        self.model = ReviewModel(thumbs, self)
        self.grid = ReviewGrid(self.model, self)
        self.panels = PanelGrid(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.panels)
        self.progress = plain_label("", self)
        self.analysis_progress = plain_label("", self)
        self.statusBar().addPermanentWidget(self.analysis_progress)
        self.statusBar().addPermanentWidget(self.progress)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.filter = CullFilter()
        self.auto_advance = settings.get(CULL_ADVANCE)
        self._build_menus()
        self.resize(1400, 900)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        session = bar.addMenu("&Session")
        add_action(self, session, "&Browse sessions…", self.browse_requested, "Ctrl+Shift+O")
        add_action(self, session, "&Export…", self.export_requested, "Ctrl+E")
        add_action(self, session, "Contact &sheet (PDF)…", self.contact_sheet_requested,
                   "Ctrl+P")
        add_action(self, session, "&Retouch hand-off…", self.handoff_requested)
        session.addSeparator()
        add_action(self, session, "&Close review", self.close, "Ctrl+W")
        view = bar.addMenu("&View")
        group = QActionGroup(self)
        self.mode_actions = {}
        for mode, text, key in MODES:
            action = add_action(self, view, text, lambda _c=False, m=mode: self.mode_requested
                                .emit(m), key, True, mode == "grid")
            group.addAction(action)
            self.mode_actions[mode] = action
        view.addSeparator()
        add_action(self, view, "&Zoom to 100 % on the eyes / fit", self.zoom_requested, "Z")
        add_action(self, view, "&Next shot", lambda: self.step_requested.emit(1), "Right")
        add_action(self, view, "&Previous shot", lambda: self.step_requested.emit(-1), "Left")
        self._build_cull_menu(bar.addMenu("C&ull"))
        self._build_filter_menu(bar.addMenu("&Filter"))
        help_menu = bar.addMenu("&Help")
        add_action(self, help_menu, "&Keyboard shortcuts", self._shortcuts,
                   QKeySequence(QKeySequence.StandardKey.HelpContents))

    def _shortcuts(self) -> None:
        from ui.common.shortcut_sheet import ShortcutSheet

        ShortcutSheet(self).exec()

    def _build_cull_menu(self, menu: QMenu) -> None:
        for key, text in KEYS:
            add_action(self, menu, text, lambda _c=False, k=key: self.cull_key_pressed.emit(k),
                       key)
        menu.addSeparator()
        add_action(self, menu, "Accept the suggested &best frame of this burst",
                   self.best_requested, "B")
        add_action(self, menu, "Undo", self.undo_requested, "Ctrl+Z")
        menu.addSeparator()
        hint = add_action(self, menu, "Retouch note: double-click the spot in the loupe",
                          lambda: None, "")
        hint.setEnabled(False)
        add_action(self, menu, "Take off the last retouch note", self.unpin_requested,
                   "Shift+R")
        add_action(self, menu, "Advance to the next shot after marking", self._set_advance,
                   "", True, self.auto_advance)

    def _build_filter_menu(self, menu: QMenu) -> None:
        self.filter_actions = {
            "picks_only": add_action(self, menu, "&Picks only", self._filter_edited, "", True),
            "unflagged_only": add_action(self, menu, "&Unflagged only", self._filter_edited,
                                         "", True),
            "hide_eye_problems": add_action(self, menu, "&Hide eyes closed / soft eyes",
                                            self._filter_edited, "", True),
            "hide_light_problems": add_action(self, menu,
                                              "Hide clipped &skin / no catchlight",
                                              self._filter_edited, "", True),
            "client_favourites": add_action(self, menu, "Client &favourites (♥) only",
                                            self._filter_edited, "", True),
            "near_hero": add_action(self, menu, f"&Near the hero frame (match {NEAR_HERO}+)",
                                    self._filter_edited, "", True),
            "by_match": add_action(self, menu, "Best &match to the hero frame first",
                                   self._filter_edited, "", True),
        }
        rating = menu.addMenu("&Rating at least")
        self.rating_group = QActionGroup(self)
        for stars in range(6):
            action = add_action(self, rating, "Any" if stars == 0 else "★" * stars,
                                self._filter_edited, "", True, stars == 0)
            action.setData(stars)
            self.rating_group.addAction(action)
        colour = menu.addMenu("&Colour label")
        self.label_group = QActionGroup(self)
        for label in ("", *KEY_LABELS.values()):
            action = add_action(self, colour, label or "Any", self._filter_edited, "", True,
                                not label)
            action.setData(label)
            self.label_group.addAction(action)
        menu.addSeparator()
        add_action(self, menu, "&Clear filters", self.clear_filters, "Ctrl+Shift+L")

    def _filter_edited(self) -> None:
        rating = self.rating_group.checkedAction()
        label = self.label_group.checkedAction()
        self.filter = CullFilter(
            picks_only=self.filter_actions["picks_only"].isChecked(),
            min_rating=int(rating.data()) if rating else 0,
            unflagged_only=self.filter_actions["unflagged_only"].isChecked(),
            label=str(label.data()) if label else "",
            hide_eye_problems=self.filter_actions["hide_eye_problems"].isChecked(),
            hide_light_problems=self.filter_actions["hide_light_problems"].isChecked(),
            client_favourites=self.filter_actions["client_favourites"].isChecked(),
            near_hero=self.filter_actions["near_hero"].isChecked(),
            by_match=self.filter_actions["by_match"].isChecked())
        self.filter_changed.emit(self.filter)

    def set_filter(self, chosen: CullFilter) -> None:
        """Show ``chosen`` in the menus and apply it (tests and 'clear filters')."""
        for name, action in self.filter_actions.items():
            action.setChecked(bool(getattr(chosen, name)))
        for action in self.rating_group.actions():
            action.setChecked(action.data() == chosen.min_rating)
        for action in self.label_group.actions():
            action.setChecked(action.data() == chosen.label)
        self._filter_edited()

    def clear_filters(self) -> None:
        self.set_filter(CullFilter())

    def _set_advance(self, on: bool) -> None:
        self.auto_advance = on
        self.settings.set(CULL_ADVANCE, on)

    def show_mode(self, mode: ReviewMode) -> None:
        self.mode_actions[mode].setChecked(True)
        self.stack.setCurrentWidget(self.grid if mode == "grid" else self.panels)
        (self.grid if mode == "grid" else self.panels).setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
