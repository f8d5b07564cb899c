"""Runs one review window on a live session model: the session's shots (the model the tether
window shows, when it is the session being shot, so marks and new captures appear in both),
the grid and its filter, the loupe and compare panels with prefetching, bursts and their
suggested best frames, and the session's problems. It keeps no copy of the session: shots,
marks, flags and analysis are read from the model and follow its events.
GUI thread; never waits on disk or decoding."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal
from PySide6.QtGui import QImage

from session.culling.culling import CullFilter, describe
from session.model.live_session import ANALYSIS, CLIENT, MARKS, SessionModel, SessionModels, Shot
from session.people.hero_frame import stored_score
from session.review.bursts import Burst
from session.review.review_data import bursts_for, eyes_of
from session.store.filenames import shown
from ui.common.background import run_in_background
from ui.common.filmstrip_badges import FLAGS_ROLE, MARKS_ROLE, badge_labels
from ui.common.session_bridge import SessionBridge, acquire, drop_bridge
from ui.common.zoom_view import ZoomView
from ui.pictures.loupe_loader import LoupeLoader
from ui.pictures.picture_cache import Picture
from ui.review.review_grid import GROUP_ROLE
from ui.review.review_window import PANELS, ReviewMode, ReviewWindow

log = logging.getLogger(__name__)
PREFETCH_SPAN = 2


class ReviewController(QObject):
    opened = Signal(Path, int)               # folder, shots listed
    panel_shown = Signal(object, bool)       # path, full resolution

    def __init__(self, window: ReviewWindow, loader: LoupeLoader,
                 models: SessionModels) -> None:
        super().__init__(window)
        self.window = window
        self.model = window.model
        self.thumbs = window.model.thumbs
        self.loader = loader
        self.models = models
        self.session: SessionModel | None = None
        self.folder: Path | None = None
        self._bridge: SessionBridge | None = None
        self.bursts: tuple[Burst, ...] = ()
        self.mode: ReviewMode = "grid"
        self.panel_paths: list[Path] = []
        self.problems: dict[str, str] = {}
        self.smile_range = (0.3, 1.0)            # the style profile's, set by ReviewAnalysis
        self._regroup_timer = QTimer(self)
        self._regroup_timer.setSingleShot(True)
        self._regroup_timer.timeout.connect(self.regroup)
        self._problem_timer = QTimer(self)
        self._problem_timer.setSingleShot(True)
        self._problem_timer.timeout.connect(self._report_problems)
        self._connect()

    def _connect(self) -> None:
        w = self.window
        w.mode_requested.connect(self.set_mode)
        w.step_requested.connect(self.step)
        w.zoom_requested.connect(w.panels.toggle_eyes_zoom)
        w.filter_changed.connect(self.apply_filter)
        w.grid.selectionModel().currentChanged.connect(self._current_changed)
        w.grid.activated.connect(self._open_loupe)
        w.panels.full_resolution_needed.connect(self._full_needed)
        w.panels.panel_activated.connect(self._panel_activated)
        self.loader.picture_ready.connect(self._picture_ready)
        self.loader.picture_failed.connect(self._picture_failed)
        self.thumbs.problem_found.connect(self._problem)
        self.thumbs.fill_progress.connect(self._fill_progress)
        w.closing.connect(self.shutdown)

    @property
    def shots(self) -> list[Shot]:
        """Every shot of the session, as the model has them now."""
        return list(self.session.shots) if self.session is not None else []

    # --- opening ----------------------------------------------------------------------------
    def browse(self) -> None:
        """Show the sessions browser; the chosen session opens here."""
        from ui.review.sessions_browser import SessionsBrowser

        dialog = SessionsBrowser(self.window)
        dialog.session_chosen.connect(self.open_folder)
        dialog.show()

    def open_folder(self, folder: Path) -> None:
        """Review ``folder`` (non-blocking): the session's shared live model, read in the
        background if no window has it open yet."""
        folder = Path(folder)
        self.window.setWindowTitle(f"Catchlight review — {shown(folder.name)} (opening…)")
        self._release()
        self.folder = folder
        self.session = acquire(self.models, folder, lambda exc: self.window.banner.show_message(
            f"{folder} cannot be reviewed: {exc}", "error"))
        self._bridge = SessionBridge(self.session, self)
        self._bridge.switched.connect(self._loaded)
        self._bridge.shot_added.connect(self._added)
        self._bridge.shot_changed.connect(self._changed)
        self._bridge.look_changed.connect(lambda _look: self.regroup())   # "Best" follows it
        if self.session.loaded:
            self._loaded()

    def _loaded(self) -> None:
        """The model holds the session (first read, or read again): fill the window."""
        session = self.session
        if session is None or session.folder is None:
            return
        self.problems = {f"listing-{i}": p for i, p in enumerate(session.problems)}
        if session.readonly:
            self.problems = {"read-only": f"read-only: {session.readonly}; culling is off "
                                          "and nothing is changed", **self.problems}
        self.model.forget_thumbnails()
        self.window.setWindowTitle(f"Catchlight review — {session.name}")
        shots, cache = self.shots, self.thumbs.cache
        folder = session.folder
        # Before the grid is laid out (which already asks for the first tiles); which are
        # cached on disk is looked up off the GUI thread meanwhile.
        self.thumbs.start_session(shots, None)
        run_in_background(lambda: cache.known([s.content_key for s in shots]),
                          lambda known: self._thumbnails_known(folder, known),
                          lambda exc: log.warning("thumbnail cache: %s", exc))
        self.regroup()
        self.apply_filter(self.window.filter)
        if self.model.keys:
            self.window.grid.go_to(0)
        if session.conflicts:
            self.window.banner.show_message(
                f"{len(session.conflicts)} shot(s) were re-rated in another program since; "
                "their sidecars were newer and were taken.", "info")
        self._report_problems()
        self.opened.emit(folder, len(shots))

    def _thumbnails_known(self, folder: Path, known: set[str]) -> None:
        if folder == self.folder:
            self.thumbs.cached_already(known)

    def _added(self, shot: Shot, _row: int) -> None:
        """A new capture of the session being shot joins the review."""
        self.thumbs.add(shot)
        self.apply_filter(self.window.filter)

    def _changed(self, shot: Shot, what: str, before: Shot) -> None:
        if what == MARKS:
            self.model.refresh(shot.key, MARKS_ROLE)
            self.window.statusBar().showMessage(f"{shot.display_name}: "
                                                f"{describe(shot.marks)}", 3000)
            if shot.rejected != before.rejected:
                self._regroup_timer.start(0)      # a reject is never the suggested best
        elif what == ANALYSIS:
            self.model.refresh(shot.key, FLAGS_ROLE)
            self._regroup_timer.start(400)
        elif what == CLIENT:
            self.model.refresh(shot.key, FLAGS_ROLE)
            if self.window.filter.client_favourites:
                self.apply_filter(self.window.filter)
        if self.mode != "grid" and any(p == shot.path for p in self.panel_paths):
            self._show_panels()

    # --- filters and navigation -------------------------------------------------------------
    def apply_filter(self, chosen: CullFilter) -> None:
        if self.session is None:
            return
        current = self.current_shot()
        row = self.window.grid.current_row()
        kept = [s for s in self.session.shots
                if chosen.accepts(s.marks, s.tags, stored_score(s.analysis))]
        if chosen.by_match:               # best match first, the shots not scored last
            kept.sort(key=lambda s: -(stored_score(s.analysis) or -1))
        keys = [s.key for s in kept]
        self.model.set_keys(self.session, keys)
        if current is not None and current.key in self.model.rows:
            self.window.grid.go_to(self.model.rows[current.key])
        elif keys:
            self.window.grid.go_to(min(max(row, 0), len(keys) - 1))
        self._status()

    def current_shot(self) -> Shot | None:
        return self.model.shot(self.window.grid.current_row())

    def step(self, delta: int) -> None:
        self.window.grid.go_to(self.window.grid.current_row() + delta)

    def set_mode(self, mode: ReviewMode) -> None:
        self.mode = mode
        self.window.show_mode(mode)
        if mode != "grid":
            self.window.panels.set_count(PANELS[mode])
            self._show_panels()

    def _open_loupe(self, _index: QModelIndex) -> None:
        self.set_mode("loupe")

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        if self.mode != "grid":           # the loupe follows; compare walks on in pairs/fours
            self._show_panels()
        self._status()

    def _panel_activated(self, index: int) -> None:
        if index < len(self.panel_paths):
            row = self.model.rows.get(self.panel_paths[index].name)
            if row is not None:
                blocker = self.window.grid.selectionModel().blockSignals(True)
                self.window.grid.selectionModel().setCurrentIndex(
                    self.model.index(row), self.window.grid.selectionModel().SelectionFlag
                    .NoUpdate)
                self.window.grid.selectionModel().blockSignals(blocker)
                self.window.panels.set_current(index)
                self._status()

    def _panel_rows(self) -> list[int]:
        count = len(self.window.panels.views)
        row = self.window.grid.current_row()
        if count == 1:
            return [row] if row >= 0 else []
        rows = self.window.grid.selected_rows()
        if len(rows) < 2:
            rows = [r for r in range(max(row, 0), max(row, 0) + count)
                    if r < len(self.model.keys)]
        return rows[:count]

    def _show_panels(self) -> None:
        rows = self._panel_rows()
        shots = [s for s in (self.model.shot(r) for r in rows) if s is not None]
        self.panel_paths = [s.path for s in shots]
        current = self.window.grid.current_row()
        for index, view in enumerate(self.window.panels.views):
            if index >= len(shots):
                view.set_image(QImage(), (0, 0))
                view.caption, view.badges, view.pins = "", [], []
                continue
            shot = shots[index]
            view.anchor = eyes_of(shot.analysis) or (0.5, 0.5)
            view.badges = badge_labels(list(shot.flags))
            view.pins = [(n.x, n.y, n.number, n.text) for n in shot.notes]
            notes = f"   ✎ {len(shot.notes)} retouch note{'s' if len(shot.notes) != 1 else ''}" \
                if shot.notes else ""
            view.caption = f"{shot.display_name}   {describe(shot.marks)}{notes}"
            picture = self.loader.cached(shot.path, True) or self.loader.cached(shot.path)
            if picture is not None:
                self._put(view, str(shot.path), picture)
            else:
                view.message = "Loading…"
                view.update()
        self.window.panels.set_current(rows.index(current) if current in rows else 0)
        neighbours = [s.path for s in (self.model.shot(current + d * sign)
                                       for d in range(1, PREFETCH_SPAN + 1) for sign in (1, -1))
                      if s is not None]
        self.loader.want(self.panel_paths, neighbours if len(rows) == 1 else [])
        self.window.panels.apply(self.window.panels.state)

    def _put(self, view: ZoomView, path: str, picture: Picture) -> None:
        if view.image.isNull() or picture.full or view.image.width() <= picture.image.width():
            view.set_image(picture.image, picture.source_size)
            self.panel_shown.emit(path, picture.full)
        if view.needs_full_resolution():
            self.loader.want_full(Path(path))

    def _picture_ready(self, path: str, picture: Picture) -> None:
        for index, panel_path in enumerate(self.panel_paths):
            if str(panel_path) == path and index < len(self.window.panels.views):
                self._put(self.window.panels.views[index], path, picture)

    def _picture_failed(self, path: str, message: str) -> None:
        self._problem(shown(Path(path).name), message)
        for index, panel_path in enumerate(self.panel_paths):
            if str(panel_path) == path and index < len(self.window.panels.views):
                view = self.window.panels.views[index]
                view.message = message
                view.update()

    def _full_needed(self, index: int) -> None:
        if index < len(self.panel_paths):
            self.loader.want_full(self.panel_paths[index])

    # --- bursts -----------------------------------------------------------------------------
    def regroup(self) -> None:
        look = self.session.house_look if self.session is not None else None
        self.bursts = bursts_for(self.shots, self.smile_range, look)   # nearest it wins ties
        self.model.groups = {}
        for number, burst in enumerate(self.bursts):
            if len(burst.names) > 1:
                for name in burst.names:
                    self.model.groups[name] = (number, name == burst.best)
        self.model.refresh_all(GROUP_ROLE)
        self._status()

    def burst_of(self, name: str) -> Burst | None:
        return next((b for b in self.bursts if name in b.names), None)

    # --- status and problems ----------------------------------------------------------------
    def _status(self) -> None:
        shot = self.current_shot()
        row = self.window.grid.current_row()
        text = f"{row + 1} / {len(self.model.keys)} shown · {len(self.shots)} in the session"
        if shot is not None:
            text += f" · {shot.display_name}: {describe(shot.marks)}"
            burst = self.burst_of(shot.key)
            if burst is not None and len(burst.names) > 1 and burst.best:
                text += (f" · burst of {len(burst.names)}, suggested best {shown(burst.best)}"
                         + (f" ({burst.reasons})" if burst.reasons else ""))
        self.window.statusBar().showMessage(text)

    def _fill_progress(self, done: int, total: int) -> None:
        self.window.progress.setText("" if done >= total else f"Thumbnails {done}/{total}")

    def _problem(self, name: str, message: str) -> None:
        if self.problems.get(name) != message:
            self.problems[name] = message
            self._problem_timer.start(300)

    def _report_problems(self) -> None:
        if not self.problems:
            return
        lines = list(self.problems.values())
        self.window.banner.show_message(
            f"{len(lines)} file(s) need attention: " + "; ".join(lines[:4])
            + (" …" if len(lines) > 4 else ""), "warning")

    def _release(self) -> None:
        drop_bridge(self._bridge)
        self._bridge = None
        if self.folder is not None:
            self.models.release(self.folder)
        self.session = None
        self.folder = None

    def shutdown(self) -> None:
        self._release()
        self.thumbs.close()
        self.loader.close()
