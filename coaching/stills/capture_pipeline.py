"""One capture pipeline: every verified capture is decoded once at display scale (its
embedded preview first, for an instant picture), looked at once by the face model (which
decides its flags, and so whether the client may see it), then analysed in full (pose,
measurements, cues) and stored in the session catalog. Each stage is published as an
immutable record, so the review pane, the filmstrip, the client display and the catalog all
take the same pixels and the same flags.

The pipeline also analyses older shots that have no analysis yet ("backfill"), after every
new capture and only when asked, one shot at a time.

Plain threading: ``submit``/``backfill``/``stop`` may be called from any thread and never block
(``stop`` waits for the thread). The work and the listener's callbacks run on the pipeline
thread, which owns its models and its catalog connections, except ``decoded`` for the full
decode, which runs on a helper thread while the face model looks; ``checked`` is called only
after that ``decoded`` has returned, so a listener that needs both (the client's screen) has
the picture when it hears the verdict.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from coaching.landmarking.analysis_process import AnalysisCrashed, landmarkers_for, recover
from coaching.landmarking.landmarks import Landmarking
from coaching.landmarking.models import ModelUnavailable
from coaching.measure.cues import NeutralBaseline
from coaching.measure.grey_card import CardVerdict, judge_card, read_spot
from coaching.measure.profiles import StyleProfile
from coaching.stills.analysis import (
    ANALYSIS_EDGE,
    AnalysisResult,
    analyze_image,
    complete,
    first_look,
    unreadable,
)
from media.decode.previews import (
    DisplayImage,
    ImageUnreadable,
    decode_for_display,
    embedded_preview,
)
from session.culling.face_regions import record_face_regions
from session.model.flags import Flag, client_safe
from session.store.analysis_store import AnalysisStore

log = logging.getLogger(__name__)
MAX_CRASHES_PER_FILE = 2


@dataclass(frozen=True)
class CaptureDecoded:
    """The capture's pixels at display scale (``preview``: its small embedded preview, the
    full decode follows)."""

    folder: Path
    key: str
    path: Path
    rgb: np.ndarray = field(repr=False)     # read-only
    source_size: tuple[int, int]
    preview: bool
    warning: str = ""


@dataclass(frozen=True)
class CaptureChecked:
    """The capture's flags, decided by the first (face) stage: what the client may see."""

    folder: Path
    key: str
    path: Path
    flags: tuple[Flag, ...]
    checked: bool = True                    # False: no face model, nothing was judged

    @property
    def client_safe(self) -> bool:
        return client_safe(self.flags)


@dataclass(frozen=True)
class CaptureAnalysed:
    folder: Path
    key: str
    result: AnalysisResult

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.result.flags


class PipelineListener(Protocol):
    def decoded(self, capture: CaptureDecoded) -> None: ...
    def checked(self, capture: CaptureChecked) -> None: ...
    def analysed(self, capture: CaptureAnalysed) -> None: ...
    def problem(self, message: str) -> None: ...


@dataclass(frozen=True)
class _Job:
    folder: Path
    key: str
    new_capture: bool
    retried_capture: bool = False           # a new capture analysed again after a crash


class CapturePipeline:
    def __init__(self, profile: StyleProfile, listener: PipelineListener,
                 display: tuple[int, int] = (1920, 1080), analyse: bool = True,
                 landmarkers: Callable[[bool], Landmarking] | None = None) -> None:
        """``display``: the largest size a capture is shown at (the client's screen or the
        review pane), set again whenever it changes (any thread). ``analyse`` False: decode
        only, no models (flags unjudged). ``landmarkers(video)``: where the models run
        (default: this process)."""
        self.analyse = analyse
        self.make_landmarkers = landmarkers or landmarkers_for(in_process=True)
        self.crashes: dict[str, int] = {}       # analysis-process crashes per file
        self._published: set[str] = set()       # captures whose check the listener has
        self.profile = profile
        self.baseline: NeutralBaseline | None = None
        # Under strobes the grey card is read from the next capture (live view shows the
        # modelling lamps): set by the GUI, taken by the next new capture, said to on_card.
        self.read_card_next = False
        self.on_card: Callable[[CardVerdict], None] | None = None
        self.listener = listener
        self.display = display
        self.models_available = True
        self.ready = threading.Event()               # the models are loaded (or cannot be)
        self._captures: deque[_Job] = deque()        # new captures: first, in order
        self._backfill: deque[_Job] = deque()        # older shots without analysis
        self._cond = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="capture-pipeline", daemon=True)
        self._pictures = ThreadPoolExecutor(1, thread_name_prefix="capture-pipeline-pictures")

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 20.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join(timeout)
        self._pictures.shutdown(wait=True)

    def submit(self, folder: Path, key: str) -> None:
        """A capture verified on disk as ``folder/key``: decode, check, analyse (any thread)."""
        self._put(self._captures, _Job(Path(folder), key, True))

    def backfill(self, folder: Path, keys: list[str]) -> None:
        """Analyse these older shots when no new capture waits (any thread)."""
        for key in keys:
            self._put(self._backfill, _Job(Path(folder), key, False))

    def cancel_backfill(self) -> None:
        with self._cond:
            self._backfill.clear()

    def _put(self, queue: deque[_Job], job: _Job) -> None:
        with self._cond:
            queue.append(job)
            self._cond.notify_all()

    def _next(self) -> _Job | None:
        with self._cond:
            while not self._stopping and not (self._captures or self._backfill):
                self._cond.wait()
            if self._stopping:
                return None
            return (self._captures or self._backfill).popleft()

    # --- the thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        landmarkers: Landmarking | None = None
        if self.analyse:
            try:
                landmarkers = self.make_landmarkers(False)
            except (ModelUnavailable, AnalysisCrashed) as exc:
                self.models_available = False
                self.listener.problem(str(exc))
        self.ready.set()
        try:
            while (job := self._next()) is not None:
                try:
                    self._do(job, landmarkers)
                except AnalysisCrashed as exc:
                    if not self._recover(job, landmarkers, str(exc)):
                        landmarkers = None           # analysis is off; decoding goes on
                except Exception as exc:  # any failure: one bad file must not stop the rest
                    log.exception("capture pipeline")
                    self.listener.problem(f"Capture analysis failed: {exc}")
        finally:
            if landmarkers is not None:
                landmarkers.close()

    def _recover(self, job: _Job, landmarkers: Landmarking | None, cause: str) -> bool:
        """The analysis process died during ``job``: restart it and do the job again (from
        its analysis: its pictures were delivered), unless it died on this file twice."""
        key = f"{job.folder}/{job.key}"
        self.crashes[key] = self.crashes.get(key, 0) + 1
        if not recover(landmarkers, lambda: self._stopping, self.listener.problem, cause):
            self.models_available = False
            return False
        if self.crashes[key] >= MAX_CRASHES_PER_FILE:
            self._store(job, unreadable(job.folder / job.key, "the coach's analysis stopped "
                                        "on this file twice; it is left unanalysed"))
            return True
        with self._cond:          # again, before anything else
            self._captures.appendleft(_Job(job.folder, job.key, False, job.new_capture))
        return True

    def _do(self, job: _Job, landmarkers: Landmarking | None) -> None:
        path = job.folder / job.key
        if not job.new_capture:
            if landmarkers is not None and not self._analysed_already(job):
                result = analyze_image(path, landmarkers, self.profile, self.baseline)
                if job.retried_capture and str(path) not in self._published:
                    self.listener.checked(CaptureChecked(job.folder, job.key, path,
                                                         result.flags))
                self._published.discard(str(path))
                self._store(job, result)
            return
        preview = embedded_preview_or_none(path)
        if preview is not None:
            self.listener.decoded(CaptureDecoded(job.folder, job.key, path, preview.rgb,
                                                 preview.source_size, True))
        # The views' pictures (the display-size decode) are made on the helper thread while
        # this one decodes at analysis size, as `analyze` does, and the face model looks:
        # two cores, each size decoded once, and the verdict no longer waits for the larger
        # decode before the face model can start (bench/everything.py's client delay).
        # Views no larger than the analysis size share its decode.
        target = self._target()
        one_size = target[0] <= ANALYSIS_EDGE and target[1] <= ANALYSIS_EDGE
        pictures = None if one_size else \
            self._pictures.submit(self._decode_for_views, job, target)
        try:
            shown = decode_for_display(path, (ANALYSIS_EDGE, ANALYSIS_EDGE))
            if pictures is None:
                pictures = self._pictures.submit(self._views, job, shown)
            look = None if landmarkers is None else \
                first_look(path, shown, landmarkers, self.baseline)
        except ImageUnreadable as exc:
            self.listener.checked(CaptureChecked(job.folder, job.key, path, (Flag.UNREADABLE,)))
            self._store(job, unreadable(path, str(exc)))
            return
        finally:
            # Every view has the capture's pictures before anyone hears its verdict: the
            # client's screen joins nothing, it shows (or holds back) what it was handed.
            if pictures is not None:
                pictures.result()
        if look is None or landmarkers is None:
            self.listener.checked(CaptureChecked(job.folder, job.key, path, (), False))
            self._read_card(shown.rgb, None)
            return
        self.listener.checked(CaptureChecked(job.folder, job.key, path, look.flags))
        self._published.add(str(path))
        result = complete(look, landmarkers, self.profile, self.baseline)
        self._store(job, result)
        self._published.discard(str(path))
        self._read_card(shown.rgb, result.measurements.backdrop_warmth)

    def _decode_for_views(self, job: _Job, target: tuple[int, int]) -> None:
        """The helper thread: the capture at display size for the views (nothing for a file
        that cannot be read: the pipeline thread says so)."""
        try:
            shown = decode_for_display(job.folder / job.key, target)
        except ImageUnreadable:
            return
        self._views(job, shown)

    def _views(self, job: _Job, shown: DisplayImage) -> None:
        """The helper thread: the views' pictures of the capture's decode."""
        self.listener.decoded(CaptureDecoded(job.folder, job.key, job.folder / job.key,
                                             shown.rgb, shown.source_size, False,
                                             shown.warning))

    def _read_card(self, rgb: np.ndarray, backdrop_warmth: float | None) -> None:
        """The grey card in this new capture's centre, when one was asked for."""
        if not self.read_card_next or self.on_card is None:
            return
        self.read_card_next = False
        self.on_card(judge_card([read_spot(rgb)], backdrop_warmth, needed=1))

    @staticmethod
    def _analysed_already(job: _Job) -> bool:
        """A shot asked for twice (the tether and the review both fill in a session) is
        analysed once."""
        store = AnalysisStore(job.folder)
        try:
            return store.result(job.key) is not None
        finally:
            store.close()

    def _target(self) -> tuple[int, int]:
        width, height = self.display
        return max(width, ANALYSIS_EDGE), max(height, ANALYSIS_EDGE * 2 // 3)

    def _store(self, job: _Job, result: AnalysisResult) -> None:
        store = AnalysisStore(job.folder)
        try:
            store.save(job.key, result.as_json(), list(result.flags))
        finally:
            store.close()
        if result.face_boxes:
            record_face_regions(job.folder, Path(result.file), list(result.face_boxes),
                                (result.width, result.height) if result.width and result.height
                                else None)
        self.listener.analysed(CaptureAnalysed(job.folder, job.key, result))


def embedded_preview_or_none(path: Path) -> DisplayImage | None:
    """The capture's embedded preview, or None (a damaged file says so at the full decode)."""
    try:
        return embedded_preview(path)
    except (ImageUnreadable, OSError, ValueError):
        return None
