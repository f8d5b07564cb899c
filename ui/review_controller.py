"""Runs one review window: opens a session in the background (shots, analysis, bursts,
culling marks), fills the grid, shows the loupe and compare panels with prefetching, applies
filters, and follows new captures when the session is the one being shot.
GUI thread; never waits on disk or decoding."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, QTimer, Signal
from PySide6.QtGui import QImage

from coaching.analysis import AnalysisResult
from session.culling import Culler, CullFilter, SidecarScan, describe, scan_sidecars
from session.filenames import shown
from session.review_data import ReviewData, bursts_for, eyes_of, load_review
from session.review_listing import ReviewShot, stat_key
from session.thumb_cache import ThumbCache
from ui.background import run_in_background
from ui.filmstrip_badges import FLAGS_ROLE, MARKS_ROLE, badge_labels
from ui.loupe_loader import LoupeLoader, Picture
from ui.review_grid import GROUP_ROLE
from ui.review_window import ReviewWindow

log = logging.getLogger(__name__)
PREFETCH_SPAN = 2
# (folder, originals, sidecars read in the background) -> the session's Culler and whether it
# is shared with the tether window
CullerSource = Callable[[Path, dict[str, Path], SidecarScan], tuple[Culler, bool]]


def own_culler(folder: Path, originals: dict[str, Path], scan: SidecarScan
               ) -> tuple[Culler, bool]:
    return Culler(folder, "", originals, scan), False


def _read_session(folder: Path, smile: tuple[float, float], cache: ThumbCache
                  ) -> tuple[ReviewData, SidecarScan, set[str]]:
    """Background thread: the review data, the sidecars and which thumbnails are cached."""
    data = load_review(folder, smile)
    shots = data.listing.shots
    return (data, scan_sidecars(folder, {s.name: s.path for s in shots}),
            cache.known([s.content_key for s in shots]))


class ReviewController(QObject):
    opened = Signal(Path, int)               # folder, shots listed
    panel_shown = Signal(object, bool)          # path, full resolution
    marks_changed = Signal(Path, object, object)  # folder, name, CullMarks

    def __init__(self, window: ReviewWindow, loader: LoupeLoader,
                 culler_source: CullerSource = own_culler) -> None:
        super().__init__(window)
        self.window = window
        self.model = window.model
        self.thumbs = window.model.thumbs
        self.loader = loader
        self.culler_source = culler_source
        self.folder: Path | None = None
        self.data: ReviewData | None = None
        self.shots: list[ReviewShot] = []
        self.culler: Culler | None = None
        self.shared = False
        self.mode = "grid"
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

    # --- opening ----------------------------------------------------------------------------
    def browse(self) -> None:
        """Show the sessions browser; the chosen session opens here."""
        from ui.sessions_browser import SessionsBrowser

        dialog = SessionsBrowser(self.window)
        dialog.session_chosen.connect(self.open_folder)
        dialog.show()

    def open_folder(self, folder: Path) -> None:
        """Open ``folder`` for review (non-blocking; the grid fills when it is read)."""
        folder = Path(folder)
        self.window.setWindowTitle(f"Catchlight review — {folder.name} (opening…)")
        smile = self.smile_range
        cache = self.thumbs.cache
        run_in_background(lambda: _read_session(folder, smile, cache), self._loaded,
                          lambda exc: self.window.banner.show_message(
                              f"{folder} cannot be reviewed: {exc}", "error"))

    def _loaded(self, result: tuple[ReviewData, SidecarScan, set[str]]) -> None:
        data, scan, cached = result
        self._release_culler()
        self.data = data
        self.folder = data.listing.folder
        self.shots = list(data.listing.shots)
        originals = {s.name: s.path for s in self.shots}
        self.culler, self.shared = self.culler_source(self.folder, originals, scan)
        self.culler.session_name = data.listing.session_name
        self.problems = {f"listing-{i}": p for i, p in enumerate(data.listing.problems)}
        if data.listing.readonly:
            self.problems = {"read-only": f"read-only: {data.listing.readonly}; culling is off "
                                          "and nothing is changed", **self.problems}
        self.problems.update((f"sidecar-{i}", p) for i, p in enumerate(self.culler.problems))
        self.model.forget_thumbnails()
        self.model.marks = {s.name: self.culler.marks(s.name) for s in self.shots}
        self.model.shot_flags = {s.name: data.flags.get(s.name, []) for s in self.shots}
        self._set_groups()
        self.window.setWindowTitle(f"Catchlight review — {data.listing.session_name}")
        # Before the grid is filled: laying it out already asks for the first thumbnails.
        self.thumbs.start_session(self.shots, cached)
        self.apply_filter(self.window.filter)
        if self.shots:
            self.window.grid.go_to(0)
        if self.culler.conflicts:
            self.window.banner.show_message(
                f"{len(self.culler.conflicts)} shot(s) were re-rated in another program since; "
                "their sidecars were newer and were taken.", "info")
        self._report_problems()
        self.opened.emit(self.folder, len(self.shots))

    def _set_groups(self) -> None:
        self.model.groups = {}
        if self.data is None:
            return
        for number, burst in enumerate(self.data.bursts):
            if len(burst.names) > 1:
                for name in burst.names:
                    self.model.groups[name] = (number, name == burst.best)

    # --- live session -----------------------------------------------------------------------
    def capture_stored(self, path: Path) -> None:
        """A new capture of the session being shot joins the review."""
        if self.folder is None or Path(path).parent != self.folder or self.data is None:
            return
        shot = ReviewShot(Path(path), (Path(path).name,), Path(path).stat().st_mtime,
                          1 + max((s.seq for s in self.shots), default=0), stat_key(Path(path)))
        self.shots.append(shot)
        if self.culler is not None and not self.shared:
            self.culler.originals[shot.name] = shot.path
        self.model.marks[shot.name] = self.culler.marks(shot.name) if self.culler else None
        self.thumbs.add(shot)
        self.apply_filter(self.window.filter)

    def capture_analysed(self, name: str, result: object, flags: list[str]) -> None:
        """A coaching analysis arrived (tether coach or ReviewAnalysis): badges, the eyes for
        the loupe and the bursts follow it."""
        if self.data is None or not any(s.name == name for s in self.shots):
            return
        if isinstance(result, AnalysisResult):
            if Path(result.file).parent != self.folder:
                return                           # same name, another session
            self.data.analysis[name] = result.as_json()
        elif not self.shared:
            return
        self.model.shot_flags[name] = list(flags)
        self.model.refresh(name, FLAGS_ROLE)
        self._regroup_timer.start(400)
        if self.mode != "grid" and any(p.name == name for p in self.panel_paths):
            self._show_panels()

    # --- filters and navigation -------------------------------------------------------------
    def apply_filter(self, chosen: CullFilter) -> None:
        current = self.current_shot()
        visible = [s for s in self.shots if chosen.accepts(
            self.culler.marks(s.name) if self.culler else self.model.marks[s.name],
            self.model.shot_flags.get(s.name, []))] if self.culler else list(self.shots)
        row = self.window.grid.current_row()
        self.model.set_shots(visible)
        if current is not None and current.name in self.model.rows:
            self.window.grid.go_to(self.model.rows[current.name])
        elif visible:
            self.window.grid.go_to(min(max(row, 0), len(visible) - 1))
        self._status()

    def current_shot(self) -> ReviewShot | None:
        return self.model.shot(self.window.grid.current_row())

    def step(self, delta: int) -> None:
        self.window.grid.go_to(self.window.grid.current_row() + delta)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.window.show_mode(mode)
        if mode != "grid":
            self.window.panels.set_count({"loupe": 1, "compare2": 2, "compare4": 4}[mode])
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
            rows = [r for r in range(max(row, 0), max(row, 0) + count) if r < len(self.model.shots)]
        return rows[:count]

    def _show_panels(self) -> None:
        rows = self._panel_rows()
        self.panel_paths = [self.model.shots[r].path for r in rows]
        current = self.window.grid.current_row()
        for index, view in enumerate(self.window.panels.views):
            if index >= len(rows):
                view.set_image(QImage(), (0, 0))
                view.caption, view.badges = "", []
                continue
            shot = self.model.shots[rows[index]]
            result = self.data.analysis.get(shot.name) if self.data else None
            view.anchor = eyes_of(result) or (0.5, 0.5)
            view.badges = badge_labels(self.model.shot_flags.get(shot.name, []))
            marks = self.culler.marks(shot.name) if self.culler else None
            view.caption = f"{shot.display_name}   {describe(marks) if marks else ''}"
            picture = self.loader.cached(shot.path, True) or self.loader.cached(shot.path)
            if picture is not None:
                self._put(view, str(shot.path), picture)
            else:
                view.message = "Loading…"
                view.update()
        self.window.panels.set_current(rows.index(current) if current in rows else 0)
        neighbours = [self.model.shots[r].path for d in range(1, PREFETCH_SPAN + 1)
                      for r in (current + d, current - d) if 0 <= r < len(self.model.shots)]
        self.loader.want(self.panel_paths, neighbours if len(rows) == 1 else [])
        self.window.panels.apply(self.window.panels.state)

    def _put(self, view, path: str, picture: Picture) -> None:  # type: ignore[no-untyped-def]
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

    # --- marks ------------------------------------------------------------------------------
    def show_marks(self, name: str, marks: object) -> None:
        """Marks changed (here or in the tether window): repaint the tile and the panels."""
        before = self.model.marks.get(name)
        self.model.marks[name] = marks
        self.model.refresh(name, MARKS_ROLE)
        if getattr(before, "pick", 0) != getattr(marks, "pick", 0):
            self._regroup_timer.start(0)       # a reject is never the suggested best
        if self.mode != "grid" and any(p.name == name for p in self.panel_paths):
            self._show_panels()

    def rejected(self) -> set[str]:
        if self.culler is None:
            return set()
        return {s.name for s in self.shots if self.culler.marks(s.name).pick == -1}

    def regroup(self) -> None:
        if self.data is not None:
            self.data = replace(self.data, bursts=bursts_for(self.shots, self.data.analysis,
                                                             self.smile_range,
                                                             self.rejected()))
            self._set_groups()
            self.model.refresh_all(GROUP_ROLE)
            self._status()

    # --- status and problems ----------------------------------------------------------------
    def _status(self) -> None:
        shot = self.current_shot()
        row = self.window.grid.current_row()
        text = f"{row + 1} / {len(self.model.shots)} shown · {len(self.shots)} in the session"
        if shot is not None and self.culler is not None:
            text += f" · {shot.display_name}: {describe(self.culler.marks(shot.name))}"
            burst = self.burst_of(shot.name)
            if burst is not None and len(burst.names) > 1 and burst.best:
                text += (f" · burst of {len(burst.names)}, suggested best {shown(burst.best)}"
                         + (f" ({burst.reasons})" if burst.reasons else ""))
        self.window.statusBar().showMessage(text)

    def burst_of(self, name: str):  # type: ignore[no-untyped-def]
        if self.data is None:
            return None
        return next((b for b in self.data.bursts if name in b.names), None)

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

    def detach_shared(self) -> None:
        """The tether window switched sessions (its Culler is closing): keep reviewing this
        folder with a Culler of our own."""
        if self.shared and self.folder is not None:
            self.culler = None
            self.shared = False
            self.open_folder(self.folder)

    def _release_culler(self) -> None:
        if self.culler is not None and not self.shared:
            self.culler.close()
        self.culler = None

    def shutdown(self) -> None:
        self._release_culler()
        self.thumbs.close()
        self.loader.close()

