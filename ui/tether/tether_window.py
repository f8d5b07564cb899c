"""The tether window: banner, live view with most of the window (a new capture takes its place
for a few seconds, V holds it; or the review pane beside it), the camera panel under the
client monitor, the session filmstrip, menus and shortcuts.
It lays out widgets and emits the photographer's requests; TetherController does the work.
GUI thread only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.common.actions import add_action
from ui.common.banner import Banner
from ui.common.settings import (
    ASPECT_MASK,
    REVIEW_BESIDE,
    REVIEW_INSTEAD,
    REVIEW_MODE,
    REVIEW_SECONDS,
    SHOW_GRID,
    WINDOW_GEOMETRY,
    WINDOW_SPLITTER,
    WINDOW_STATE,
    AppSettings,
)
from ui.pictures.image_loader import ImageLoader
from ui.tether.camera_panel import CameraPanel
from ui.tether.capture_key import CaptureKey
from ui.tether.filmstrip import Filmstrip, FilmstripModel
from ui.tether.liveview_widget import LiveViewWidget
from ui.tether.review_pane import ReviewPane

REVIEW_SECONDS_CHOICES = (1.5, 3.0, 5.0, 8.0, 12.0)


class TetherWindow(QMainWindow):
    capture_requested = Signal()
    live_view_toggled = Signal()
    new_session_requested = Signal()
    open_session_requested = Signal(Path)
    demo_requested = Signal()
    aspect_changed = Signal(str)            # the aspect mask ('' off): guides and coach follow
    closing = Signal()

    def __init__(self, settings: AppSettings, loader: ImageLoader) -> None:
        super().__init__()
        self.setWindowTitle("Catchlight")
        self.settings = settings
        self.banner = Banner(self)
        self.live_view = LiveViewWidget(self)
        self.live_view.grid.visible = settings.get(SHOW_GRID)
        self.live_view.aspect.name = settings.get(ASPECT_MASK)
        self.review = ReviewPane(loader, self)
        self.viewers = QSplitter(Qt.Orientation.Horizontal, self)
        self.viewers.addWidget(self.live_view)
        self.viewers.addWidget(self.review)
        self.viewers.setChildrenCollapsible(False)
        self.filmstrip_model = FilmstripModel(loader, self)
        self.filmstrip = Filmstrip(self.filmstrip_model, self)
        self.filmstrip.picked.connect(self.show_capture)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.viewers, 1)
        layout.addWidget(self.filmstrip)
        self.setCentralWidget(central)
        self.panel = CameraPanel(self)
        side = QWidget(self)
        self.side_layout = QVBoxLayout(side)     # the client monitor goes above the panel
        self.side_layout.setContentsMargins(4, 4, 4, 0)
        self.side_layout.addWidget(self.panel, 1)
        dock = QDockWidget("Camera", self)
        dock.setObjectName("cameraDock")
        dock.setWidget(side)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.panel.capture_requested.connect(self.capture_requested)
        self.panel.live_view_toggled.connect(self.live_view_toggled)
        self._back_to_live = QTimer(self)
        self._back_to_live.setSingleShot(True)
        self._back_to_live.timeout.connect(self._apply_review_mode)
        self._build_menus()
        self.resize(1400, 900)
        if settings.get(WINDOW_GEOMETRY):
            self.restoreGeometry(QByteArray(settings.get(WINDOW_GEOMETRY)))
        if settings.get(WINDOW_STATE):
            self.restoreState(QByteArray(settings.get(WINDOW_STATE)))
        if settings.get(WINDOW_SPLITTER):
            self.viewers.restoreState(QByteArray(settings.get(WINDOW_SPLITTER)))
        self._apply_review_mode()
        self.live_view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.live_view.setFocus()

    def _action(self, menu: QMenu, text: str, shortcut: str | QKeySequence.StandardKey,
                slot: Callable[..., object] | SignalInstance, checkable: bool = False,
                checked: bool = False) -> QAction:
        return add_action(self, menu, text, slot, shortcut, checkable, checked)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        session = bar.addMenu("&Session")
        self._action(session, "&New session…", QKeySequence.StandardKey.New,
                     self.new_session_requested)
        self._action(session, "&Open session…", QKeySequence.StandardKey.Open,
                     self._ask_open_session)
        session.addSeparator()
        self._action(session, "&Quit", "Ctrl+Q", self.close)
        camera = bar.addMenu("&Camera")
        self.capture_action = self._action(camera, "&Capture", "Space", self.capture_requested)
        self.capture_key = CaptureKey(self, self.capture_action)
        self._action(camera, "&Live view on/off", "L", self.live_view_toggled)
        camera.addSeparator()
        self._action(camera, "Use the &demo camera", "Ctrl+D", self.demo_requested)
        view = self.view_menu = bar.addMenu("&View")
        self._action(view, "Rule-of-thirds &grid", "G", self._toggle_grid, True,
                     self.live_view.grid.visible)
        self._action(view, "Cycle &aspect mask (4:5, 2:3, 1:1, off)", "A", self._cycle_aspect)
        view.addSeparator()
        self._action(view, "Last capture / live &view", "V", self.toggle_capture_view)
        group = QActionGroup(self)
        for mode, text in ((REVIEW_INSTEAD, "Show captures &instead of live view"),
                           (REVIEW_BESIDE, "Show captures &beside live view")):
            action = self._action(view, text, "", lambda _c=False, m=mode: self._set_mode(m),
                                  True, self.settings.get(REVIEW_MODE) == mode)
            group.addAction(action)
        seconds = view.addMenu("Show a capture instead of live view &for")
        timing = QActionGroup(self)
        current = self.settings.get(REVIEW_SECONDS)
        for value in REVIEW_SECONDS_CHOICES:
            timing.addAction(self._action(
                seconds, f"{value:g} s", "", lambda _c=False, v=value: self._set_seconds(v),
                True, abs(current - value) < 0.01))
        self.help_menu = bar.addMenu("&Help")
        self._action(self.help_menu, "&Keyboard shortcuts", QKeySequence.StandardKey.HelpContents,
                     self._shortcuts)
        self._action(self.help_menu, "&About Catchlight", "", self._about)

    def add_menu(self, title: str) -> QMenu:
        """A menu for another controller (coach, client, cull), placed before Help."""
        menu = QMenu(title, self)
        self.menuBar().insertMenu(self.help_menu.menuAction(), menu)
        return menu

    def _shortcuts(self) -> None:
        from ui.common.shortcut_sheet import ShortcutSheet

        ShortcutSheet(self).exec()

    def _about(self) -> None:
        from ui.common.about_dialog import AboutDialog

        AboutDialog(self).exec()

    def _ask_open_session(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open session folder",
                                                  str(self.settings.last_session or ""))
        if folder:
            self.open_session_requested.emit(Path(folder))

    def _toggle_grid(self) -> None:
        self.live_view.grid.visible = not self.live_view.grid.visible
        self.settings.set(SHOW_GRID, self.live_view.grid.visible)
        self.live_view.update()

    def _cycle_aspect(self) -> None:
        name = self.live_view.aspect.cycle()
        self.settings.set(ASPECT_MASK, name)
        self.aspect_changed.emit(name)
        self.live_view.update()
        self.statusBar().showMessage(f"Aspect mask: {name or 'off'}", 2000)

    def _set_mode(self, mode: str) -> None:
        self.settings.set(REVIEW_MODE, mode)
        self._apply_review_mode()

    def _set_seconds(self, seconds: float) -> None:
        self.settings.set(REVIEW_SECONDS, seconds)
        self.statusBar().showMessage(f"A capture shows instead of live view for {seconds:g} s "
                                     "(View menu).", 3000)

    def toggle_capture_view(self) -> None:
        """V: hold the last capture large in place of live view, or go back to live view."""
        self._back_to_live.stop()
        if self.live_view.isVisible() and self.settings.get(REVIEW_MODE) == REVIEW_INSTEAD:
            self._show_viewers(live=False, review=True)
            self.statusBar().showMessage("Last capture: V returns to live view.", 3000)
        elif self.live_view.isVisible():
            self._show_viewers(live=True, review=not self.review.isVisible())
        else:
            self._apply_review_mode()

    def _apply_review_mode(self) -> None:
        beside = self.settings.get(REVIEW_MODE) == REVIEW_BESIDE
        self._show_viewers(live=True, review=beside)

    def _show_viewers(self, live: bool, review: bool) -> None:
        """Show live view and the review pane as asked. Keyboard focus that was on a viewer
        stays on the one shown, never falling into the next widget (the roster's search
        field), so the culling keys keep marking the shot on screen."""
        focused = self.focusWidget()
        in_viewers = focused is None or focused in (self.live_view, self.review) \
            or self.review.isAncestorOf(focused)
        self.review.setVisible(review)
        self.live_view.setVisible(live)
        if in_viewers:
            (self.live_view if live else self.review).setFocus()

    def show_capture(self, path: Path, new: bool = False) -> None:
        """Show ``path`` large in the review pane (beside live view, or in its place for the
        configured time). ``new``: a capture whose pictures the pipeline is delivering."""
        if new:
            self.review.expect_capture(path)
        else:
            self.review.show_capture(path)
        if self.settings.get(REVIEW_MODE) == REVIEW_INSTEAD:
            self._show_viewers(live=False, review=True)
            self._back_to_live.start(int(self.settings.get(REVIEW_SECONDS) * 1000))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set(WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        self.settings.set(WINDOW_STATE, bytes(self.saveState().data()))
        self.settings.set(WINDOW_SPLITTER, bytes(self.viewers.saveState().data()))
        self.closing.emit()
        super().closeEvent(event)
