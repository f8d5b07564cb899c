"""Background analysis of every new capture (IMAGE mode, reduced-scale decode): results go to
the session catalog and to a callback (for the filmstrip badges). Opening a session also
analyses the shots that have no analysis yet.

Plain threading: ``submit``/``open_session`` are non-blocking from any thread; the work and
the callbacks run on the analyser thread, which owns its models and its catalog connection.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coaching.analysis import AnalysisResult, analyze_image
from coaching.cues import NeutralBaseline
from coaching.landmarks import Landmarkers
from coaching.models import ModelUnavailable
from coaching.profiles import StyleProfile
from session.analysis_store import AnalysisStore
from session.flags import Flag

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Job:
    folder: Path
    names: tuple[str, ...]
    report_existing: bool = False


class CaptureAnalyzer:
    def __init__(self, profile: StyleProfile,
                 on_result: Callable[[str, AnalysisResult | None, Sequence[str]], None],
                 on_problem: Callable[[str], None]) -> None:
        """``on_result(name, result, flags)``: result is None for flags loaded from the
        catalog."""
        self.profile = profile
        self.baseline: NeutralBaseline | None = None
        self.on_result = on_result
        self.on_problem = on_problem
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="capture-analysis", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 20.0) -> None:
        self._jobs.put(None)
        self._thread.join(timeout)

    def cancel_pending(self) -> None:
        """Drop the jobs not started yet (another session was opened)."""
        while True:
            try:
                self._jobs.get_nowait()
            except queue.Empty:
                return

    def submit(self, folder: Path, name: str) -> None:
        self._jobs.put(_Job(Path(folder), (name,)))

    def open_session(self, folder: Path, names: list[str]) -> None:
        """Report stored flags for ``names`` and analyse those without any."""
        self._jobs.put(_Job(Path(folder), tuple(names), report_existing=True))

    def _run(self) -> None:
        try:
            landmarkers = Landmarkers(video=False)
        except ModelUnavailable as exc:
            self.on_problem(str(exc))
            landmarkers = None
        try:
            while (job := self._jobs.get()) is not None:
                if landmarkers is None:
                    continue
                try:
                    self._do(job, landmarkers)
                except Exception as exc:  # a bad session must not stop analysis for good
                    log.exception("capture analysis")
                    self.on_problem(f"Capture analysis failed: {exc}")
        finally:
            if landmarkers is not None:
                landmarkers.close()

    def _do(self, job: _Job, landmarkers: Landmarkers) -> None:
        store = AnalysisStore(job.folder)
        try:
            known = store.flags() if job.report_existing else {}
            for name in job.names:
                if name in known:
                    self.on_result(name, None, known[name])
                    continue
                result = analyze_image(job.folder / name, landmarkers, self.profile,
                                       self.baseline)
                flags = list(result.flags) if result.ok else [Flag.UNREADABLE]
                store.save(name, result.as_json(), flags)
                self.on_result(name, result, flags)
        finally:
            store.close()
