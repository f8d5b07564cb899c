"""The face model for a session served without the window (``proof``): shots that no model
has looked at yet are analysed on one capture pipeline (in its own analysis process, as in
the app) and stored in the catalog, where ``proof`` sees them and lets the client-safe ones
reach the phones. Started and stopped on the caller's thread; the work runs on the
pipeline's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coaching.landmarking.analysis_process import landmarkers_for
from coaching.measure.profiles import load_profiles
from coaching.stills.capture_pipeline import (
    CaptureAnalysed,
    CaptureChecked,
    CaptureDecoded,
    CapturePipeline,
)

Analyse = Callable[[Path, list[str]], None]


class _Quiet:
    """Results go to the catalog; nothing here needs them."""

    def decoded(self, capture: CaptureDecoded) -> None:
        pass

    def checked(self, capture: CaptureChecked) -> None:
        pass

    def analysed(self, capture: CaptureAnalysed) -> None:
        pass

    def problem(self, message: str) -> None:
        pass


def start_backfill() -> tuple[Analyse, Callable[[], None]]:
    """``(analyse, stop)``: ``analyse(folder, keys)`` queues shots for the face model (each
    key once); ``stop()`` ends the pipeline."""
    pipeline = CapturePipeline(load_profiles().get(None), _Quiet(),
                               landmarkers=landmarkers_for(in_process=False))
    pipeline.start()
    asked: set[tuple[Path, str]] = set()

    def analyse(folder: Path, keys: list[str]) -> None:
        fresh = [k for k in keys if (Path(folder), k) not in asked]
        asked.update((Path(folder), k) for k in fresh)
        if fresh:
            pipeline.backfill(folder, fresh)

    return analyse, pipeline.stop
