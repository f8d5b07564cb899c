"""The client display, driven from the tether window: which screen, which mode, what the
client may see. New captures come from the capture pipeline: the picture of its one decode,
shown once its first (face) stage has judged it; flagged (eyes closed, no face) and rejected
shots (read from the live session model) are held back unless allowed; screens coming and
going move or close the window as the photographer chose. GUI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QImage, QScreen
from PySide6.QtWidgets import QMenu

from coaching.live.live_coach import CoachState
from coaching.stills.capture_pipeline import CaptureChecked
from media.decode.previews import decode_for_display
from session.culling.client_favourites import FavouritesStore, keep_favourite
from session.model.favourite import ClientFavourite
from session.model.flags import CLIENT_UNSAFE
from session.model.live_session import MARKS, SessionModel, Shot
from session.people.roster import Person
from ui.client.client_monitor import ClientMonitor
from ui.client.client_window import MODE_HOLD, MODE_LATEST, MODE_LIVE, MODE_SELECTION, ClientWindow
from ui.common.actions import add_action
from ui.common.background import run_in_background
from ui.common.client_screens import (
    ON_UNPLUG_CLOSE,
    ON_UNPLUG_MOVE,
    ScreenInfo,
    after_unplug,
    choose_screen,
    next_screen,
)
from ui.common.session_bridge import SessionBridge, rebind
from ui.common.settings import (
    CLIENT_COACH_LINE,
    CLIENT_CROSSFADE,
    CLIENT_HEARTS,
    CLIENT_ON_UNPLUG,
    CLIENT_OPEN,
    CLIENT_SCREEN,
    CLIENT_SHOW_FLAGGED,
    Key,
)
from ui.pictures.capture_bridge import CaptureBridge, CapturePictures
from ui.pictures.image_loader import to_qimage
from ui.tether.tether_window import TetherWindow

log = logging.getLogger(__name__)


def _base_key(screen: QScreen) -> str:
    g = screen.geometry()
    serial = f" {screen.serialNumber()}" if screen.serialNumber() else ""
    return f"{screen.name()}{serial} {g.width()}x{g.height()}+{g.x()}+{g.y()}"


def screen_key(screen: QScreen) -> str:
    """A name that tells screens apart even when the system gives two the same name (separate
    X screens are all called 'screen'): connector name, serial number and geometry, and where
    two screens still agree on all of that (two separate X screens of the same size both
    start at 0,0), which of them it is."""
    base = _base_key(screen)
    same = [s for s in QGuiApplication.screens() if _base_key(s) == base]
    return base if len(same) < 2 else f"{base} #{same.index(screen) + 1}"


def screen_infos(photographer: QScreen | None = None) -> list[ScreenInfo]:
    """The screens, the photographer's marked (the one the tether window is on, which need
    not be the system's primary one; two screens of the same size are told apart by place)."""
    own = photographer or QGuiApplication.primaryScreen()
    own_key = screen_key(own) if own is not None else ""
    keys = [screen_key(s) for s in QGuiApplication.screens()]
    return [ScreenInfo(key, key == own_key) for key in keys]


def screen_named(key: str | None) -> QScreen | None:
    return next((s for s in QGuiApplication.screens() if screen_key(s) == key), None)


def friendly_line(state: CoachState | None) -> str:
    """The first cue the client may read (a light or camera cue above it is the
    photographer's, not a reason to say nothing)."""
    if state is None:
        return ""
    return next((cue.client for cue in state.cues if cue.client), "")


class CoachLine(Protocol):
    """What the client's screen reads of the live coach (its overlay's newest state)."""

    state: CoachState | None


CLIENT_SCREEN_DEVICE = "client-screen"   # the tether's client screen, as a 'phone'


class ClientController(QObject):
    def __init__(self, window: TetherWindow, capture: CaptureBridge,
                 coach_overlay: CoachLine | None = None, checked_only: bool = True) -> None:
        """``checked_only``: only shots the face model has looked at go to the client unasked
        (False when the pipeline does not analyse)."""
        super().__init__(window)
        self.checked_only = checked_only
        self.tether = window
        self.settings = window.settings
        self.capture = capture
        self.coach_overlay = coach_overlay
        self.client = ClientWindow()
        self.monitor = ClientMonitor(self.client)
        self.monitor.clicked.connect(self.next_mode)
        window.side_layout.insertWidget(0, self.monitor)
        self._restoring = ""                  # the shot being decoded to fall back on
        self.client.crossfade = self.settings.get(CLIENT_CROSSFADE)
        self.client.set_crop(window.live_view.aspect.ratio)
        window.aspect_changed.connect(self._aspect_changed)
        self.show_flagged = self.settings.get(CLIENT_SHOW_FLAGGED)
        self.coach_line = self.settings.get(CLIENT_COACH_LINE)
        self.on_unplug = self.settings.get(CLIENT_ON_UNPLUG)
        self.model: SessionModel | None = None
        self.person: Person | None = None      # on a headshot day, the one in the chair
        self._model_bridge: SessionBridge | None = None
        # The one decode's client picture; the pipeline says its verdict after handing it.
        self._pictures: dict[str, tuple[Path, QImage]] = {}
        self.held_back: list[tuple[str, list[str]]] = []   # (path, reasons), newest last
        capture.pictures_ready.connect(self._picture)
        capture.capture_checked.connect(self._checked)
        self.screen_name: str | None = None
        self.wanted_open = self.settings.get(CLIENT_OPEN)
        self._screen_hearts: set[str] = set()     # shots this screen's taps hearted
        self.client.hearts = self.settings.get(CLIENT_HEARTS)
        self.client.kept = lambda path: Path(path).name in self._screen_hearts
        self.client.tapped.connect(self._tapped)
        self._build_menu()
        window.live_view.frame_taken.connect(self._live_frame)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.screenAdded.connect(self._screens_changed)
        app.screenRemoved.connect(self._screen_removed)
        if self.wanted_open:
            self.open()

    def _action(self, menu: QMenu, text: str, slot: Callable[..., object], shortcut: str = "",
                checkable: bool = False, checked: bool = False) -> QAction:
        return add_action(self.tether, menu, text, slot, shortcut, checkable, checked)

    def _build_menu(self) -> None:
        menu = self.menu = self.tether.add_menu("C&lient")
        self.open_action = self._action(menu, "Client display on second screen", self.toggle,
                                        "F5", True, self.wanted_open)
        self._action(menu, "Move to the next screen", self.move_to_next_screen)
        menu.addSeparator()
        self.mode_actions = QActionGroup(self.tether)
        for text, mode, key in (("Latest capture", MODE_LATEST, "F6"),
                                ("Live view (clean)", MODE_LIVE, "F7"),
                                ("Selection from the filmstrip", MODE_SELECTION, "F8"),
                                ("Hold card (break)", MODE_HOLD, "F9")):
            action = self._action(menu, text, lambda _c=False, m=mode: self.set_mode(m),
                                  key, True, mode == MODE_LATEST)
            action.setData(mode)
            self.mode_actions.addAction(action)
        # Not Esc: Esc closes menus and drop-downs, and must never blank the client's screen.
        self.blank_action = self._action(menu, "Blank the client display", self.toggle_blank,
                                         "B", True)
        menu.addSeparator()
        self._action(menu, "Show flagged and rejected shots automatically",
                     lambda on: self._set(CLIENT_SHOW_FLAGGED, "show_flagged", on), "",
                     True, self.show_flagged)
        self._action(menu, "Cross-fade", self._set_crossfade, "", True, self.client.crossfade)
        self._action(menu, "One friendly coaching line in live view",
                     lambda on: self._set(CLIENT_COACH_LINE, "coach_line", on), "",
                     True, self.coach_line)
        self._action(menu, "A tap on the client screen hearts the shot (touch screen)",
                     self._set_hearts, "", True, self.client.hearts)
        self._action(menu, "If its screen is unplugged, move to the remaining screen",
                     lambda on: self._set_unplug(on), "", True,
                     self.on_unplug == ON_UNPLUG_MOVE)

    def _set(self, key: Key[bool], attr: str, on: bool) -> None:
        setattr(self, attr, on)
        self.settings.set(key, on)

    def _aspect_changed(self, _name: str) -> None:
        """The photographer's crop is what the client sees."""
        self.client.set_crop(self.tether.live_view.aspect.ratio)

    def _set_hearts(self, on: bool) -> None:
        self.client.hearts = on
        self.settings.set(CLIENT_HEARTS, on)
        self.client.update()

    def _tapped(self, path: str) -> None:
        """The client tapped the shown capture: its heart from this screen, toggled, kept
        in the catalog and the sidecar like a phone's (background), then in the model."""
        model = self.model
        key = Path(path).name
        shot = model.shot(key) if model is not None else None
        folder = model.folder if model is not None else None
        if model is None or shot is None or folder is None:
            return
        favourite = key not in self._screen_hearts

        def keep() -> ClientFavourite:
            return keep_favourite(folder, shot.path, CLIENT_SCREEN_DEVICE, favourite, "")

        def kept(said: ClientFavourite) -> None:
            (self._screen_hearts.add if favourite else self._screen_hearts.discard)(key)
            if self.model is model:
                model.set_client(key, said)
            self.client.update()
            self.tether.statusBar().showMessage(
                f"The client {'hearted' if favourite else 'un-hearted'} {shot.display_name} "
                "on their screen", 4000)

        run_in_background(keep, kept, lambda exc: self.tether.banner.show_message(
            f"The client's heart was not kept: {exc}", "warning"))

    def _set_crossfade(self, on: bool) -> None:
        self.client.crossfade = on
        self.settings.set(CLIENT_CROSSFADE, on)

    def _set_unplug(self, move: bool) -> None:
        self.on_unplug = ON_UNPLUG_MOVE if move else ON_UNPLUG_CLOSE
        self.settings.set(CLIENT_ON_UNPLUG, self.on_unplug)

    # --- window placement ----------------------------------------------------------------------
    def open(self, screen_name: str | None = None, allow_primary: bool = False) -> bool:
        remembered = screen_name or self.settings.get(CLIENT_SCREEN) or None
        name = choose_screen(screen_infos(self._photographers_screen()), remembered,
                             allow_primary or bool(screen_name))
        screen = screen_named(name)
        self.wanted_open = True
        self.settings.set(CLIENT_OPEN, True)
        self.open_action.setChecked(True)
        if screen is None:
            self.tether.banner.show_message("The client display needs a second screen; it "
                                            "will open there when one is connected.", "info")
            return False
        self._place(screen)
        return True

    def _photographers_screen(self) -> QScreen | None:
        """The screen most of the tether window is on (None before it is shown)."""
        if not self.tether.isVisible():
            return None
        centre = self.tether.frameGeometry().center()
        under = [s for s in QGuiApplication.screens() if s.geometry().contains(centre)]
        if len(under) == 1:
            return under[0]
        return self.tether.screen()          # separate X screens overlap: the window's own

    def _place(self, screen: QScreen) -> None:
        if self.client.isFullScreen():       # a full-screen window moves only once normal
            self.client.showNormal()
        self.screen_name = screen_key(screen)
        self.settings.set(CLIENT_SCREEN, self.screen_name)
        self.client.setGeometry(screen.geometry())
        self.client.create()
        handle = self.client.windowHandle()
        if handle is not None:
            handle.setScreen(screen)
        ratio = screen.devicePixelRatio()
        self.capture.client_size = (int(screen.size().width() * ratio),
                                    int(screen.size().height() * ratio))
        self.client.showFullScreen()
        self.client.setGeometry(screen.geometry())
        size = screen.size()
        self.monitor.set_screen(f"{screen.name() or 'screen'} {size.width()}×{size.height()}",
                                size)
        self.tether.activateWindow()

    def close(self) -> None:
        self.wanted_open = False
        self.settings.set(CLIENT_OPEN, False)
        self.open_action.setChecked(False)
        self.client.hide()
        self.screen_name = None
        self.monitor.set_screen("")

    def toggle(self) -> None:
        if self.client.isVisible():
            self.close()
        else:
            self.open()

    def move_to_next_screen(self) -> None:
        name = next_screen(screen_infos(self._photographers_screen()), self.screen_name)
        if name is not None:
            self.open(name, allow_primary=True)

    def _screen_removed(self, screen: QScreen) -> None:
        if screen_key(screen) != self.screen_name:
            return
        remaining = [s for s in screen_infos(self._photographers_screen())
                     if s.name != self.screen_name]
        target = after_unplug(remaining, self.on_unplug)
        self.client.hide()
        self.screen_name = None
        self.monitor.set_screen("")
        chosen = screen_named(target) if target is not None else None
        if chosen is not None:
            self._place(chosen)
        self.tether.banner.show_message("The client's screen was disconnected; the client "
                                        "view will come back when it returns.", "info")

    def _screens_changed(self, _screen: QScreen) -> None:
        remembered = self.settings.get(CLIENT_SCREEN)
        screen = screen_named(remembered) if remembered else None
        if self.wanted_open and screen is not None and self.screen_name != remembered:
            self._place(screen)

    # --- content -------------------------------------------------------------------------------
    def set_mode(self, mode: str) -> None:
        if mode == MODE_SELECTION:
            paths = self.tether.filmstrip.selected_paths()
            if not paths and self.tether.review.path is not None:
                paths = [self.tether.review.path]    # nothing selected: the shot on screen
            self._load_selection(paths)
        self.client.set_mode(mode)
        for action in self.mode_actions.actions():
            action.setChecked(action.data() == mode)

    def next_mode(self) -> None:
        """The client monitor was clicked: Latest → Live → Selection → Hold → Blanked → Latest
        (opens the client display first if it is closed)."""
        if not self.client.isVisible():
            self.open()
            return
        if self.client.blanked:
            self.toggle_blank()
            self.set_mode(MODE_LATEST)
        elif self.client.mode == MODE_HOLD:
            self.toggle_blank()
        else:
            order = [MODE_LATEST, MODE_LIVE, MODE_SELECTION, MODE_HOLD]
            self.set_mode(order[(order.index(self.client.mode) + 1) % len(order)]
                          if self.client.mode in order else MODE_LATEST)
        self.tether.statusBar().showMessage(f"Client display: {self.monitor.mode_text}", 3000)

    def _load_selection(self, paths: list[Path]) -> None:
        """Decode the picked shots for a 1-, 2- or 4-up comparison off the GUI thread."""
        cols = 1 if len(paths) <= 1 else 2
        width, height = self.capture.client_size
        target = (width // cols, height // (1 if len(paths) <= 2 else 2))
        rejected = self.model.rejected() if self.model else set()
        allowed = [p for p in paths if p.name not in rejected or self.show_flagged]

        def decode() -> list[QImage]:
            return [to_qimage(decode_for_display(p, target).rgb) for p in allowed]

        def show(images: list[QImage]) -> None:
            self.client.selection = images
            self.client.set_mode(MODE_SELECTION)

        run_in_background(decode, show, lambda exc: self.tether.banner.show_message(
            f"The selection could not be shown: {exc}", "warning"))

    def toggle_blank(self) -> None:
        self.client.set_blank(not self.client.blanked)
        self.blank_action.setChecked(self.client.blanked)
        self.tether.live_view.set_client_notice(
            "CLIENT SCREEN BLANKED · B shows it" if self.client.blanked else "")
        self.tether.statusBar().showMessage(
            "Client display BLANKED (B shows it again)" if self.client.blanked
            else "Client display shown again", 3000)

    def follow(self, model: SessionModel) -> None:
        """The tether shows ``model``: its captures and marks decide what the client sees."""
        self.model = model
        self._pictures.clear()
        self._model_bridge = rebind(self._model_bridge, model, self)
        self._model_bridge.shot_changed.connect(self._shot_changed)
        self._model_bridge.switched.connect(self._session_opened)
        self.client.show_capture(QImage(), "")
        self._screen_hearts = set()
        self._session_opened()
        folder = model.folder

        def hearted() -> set[str]:
            if folder is None:
                return set()
            with FavouritesStore(folder) as store:
                return {k for k, (fav, _c) in store.device_says(CLIENT_SCREEN_DEVICE).items()
                        if fav}

        def known(keys: set[str]) -> None:
            if self.model is model:
                self._screen_hearts = keys
                self.client.update()

        run_in_background(hearted, known, lambda exc: log.info("screen hearts: %s", exc))

    def set_person(self, person: Person | None) -> None:
        """The next person sits down (a headshot day): the screen greets them by name on the
        hold card until their own first shot; the previous person's shots are never shown to
        them again (not as the fallback after a reject, not in the cross-fade)."""
        if (person.id if person else None) == (self.person.id if self.person else None):
            return
        self.person = person
        self.client.hold_title = person.name if person is not None else "Catchlight"
        self.client.hold_text = "Your pictures will appear here" if person is not None \
            else "Back in a moment"
        self._restoring = ""
        self.client.forget_shown()
        if person is not None and self.client.isVisible():
            self.tether.statusBar().showMessage(
                f"Client display: {person.name}'s card until their first shot", 3000)

    def _person_id(self) -> str | None:
        return self.person.id if self.person is not None else None

    def _session_opened(self) -> None:
        """A session was read (at start, after a restart, on a switch): the client sees its
        latest client-safe shot, not black."""
        if self.model is not None and self.model.loaded and not self.client.shown_path:
            self._fall_back()

    def _ours(self, folder: Path) -> bool:
        return self.model is not None and folder == self.model.folder

    def _picture(self, pictures: CapturePictures) -> None:
        """The capture's one decode, fitted to the client's screen; its verdict follows."""
        if pictures.preview or not self._ours(pictures.folder):
            return
        self._pictures[pictures.key] = (pictures.path, pictures.client)
        while len(self._pictures) > 4:
            self._pictures.pop(next(iter(self._pictures)))

    def _checked(self, checked: CaptureChecked) -> None:
        """The capture's flags are decided (its picture, if it has one, came first): show
        it, or hold it back and say why."""
        if not self._ours(checked.folder):
            return
        path, image = self._pictures.pop(checked.key, (checked.path, QImage()))
        if image.isNull():          # a retried analysis: its picture went by the first time
            cached = self.capture.pictures.get(path, "screen", self.capture.client_size)
            image = cached.image if cached is not None else image
        reasons = [str(f) for f in checked.flags if f in CLIENT_UNSAFE]
        shot = self.model.shot(checked.key) if self.model else None
        if shot is not None and shot.rejected:
            reasons.append("rejected")
        if shot is not None and self.person is not None and shot.person \
                and shot.person != self.person.id:
            self.held_back.append((str(path), ["another person's shot"]))
            return                     # taken just before the next person sat down
        if image.isNull() or (reasons and not self.show_flagged):
            self.held_back.append((str(path), reasons or ["unreadable"]))
            return
        self._restoring = ""
        self.client.show_capture(image, str(path))

    def _shot_changed(self, shot: Shot, what: str, before: Shot) -> None:
        """A shot was culled (here or in the review): a reject leaves the client's screen."""
        if what == MARKS and shot.rejected and not before.rejected and not self.show_flagged \
                and self.client.shown_path and Path(self.client.shown_path) == shot.path:
            self._fall_back(exclude=shot.key)

    def _fall_back(self, exclude: str = "") -> None:
        """The shot on the client's screen may no longer be shown: the previous client-safe
        shot replaces it (from the picture cache when it was captured here, else decoded off
        the GUI thread with the hold card meanwhile)."""
        model = self.model
        if model is None:
            return
        shot = model.latest_for_client(self.checked_only, {exclude} if exclude else (),
                                       self._person_id())
        if shot is not None and self.client.previous_path == str(shot.path) \
                and not self.client.previous.isNull():
            self.client.show_capture(self.client.previous, str(shot.path), fade=False)
            return
        if shot is not None:                 # this session's capture: its one decode
            cached = self.capture.pictures.get(shot.path, "screen", self.capture.client_size)
            if cached is not None:
                self.client.show_capture(cached.image, str(shot.path), fade=False)
                return
        self.client.show_capture(QImage(), "")
        if shot is None:
            return
        self._restoring = shot.key
        path, size = shot.path, self.capture.client_size

        def show(image: QImage) -> None:
            if self._restoring == shot.key and not self.client.shown_path \
                    and self.model is model:
                self.client.show_capture(image, str(path), fade=False)
            self._restoring = ""

        run_in_background(lambda: to_qimage(decode_for_display(path, size).rgb), show,
                          lambda exc: log.info("client fallback not shown: %s", exc))

    def _live_frame(self) -> None:
        if self.client.isVisible() and self.client.mode == MODE_LIVE:
            state = self.coach_overlay.state if self.coach_overlay is not None else None
            self.client.set_live(self.tether.live_view.image,
                                 friendly_line(state) if self.coach_line else "")

    def shutdown(self) -> None:
        self.client.close()
