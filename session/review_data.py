"""Everything the review needs about a session, gathered in one go off the GUI thread: the
shots, the per-capture coaching analysis (flags, measurements, where the eyes are) and the
similar-shot bursts with their suggested best frames.

Pure Python; runs on a background thread; blocks on catalog queries and a directory scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from session.analysis_store import AnalysisStore
from session.bursts import Burst, ShotFacts, group_bursts
from session.culling_store import CullingStore
from session.review_listing import ReviewListing, ReviewShot, list_session


@dataclass(frozen=True)
class ReviewData:
    listing: ReviewListing
    analysis: dict[str, dict]          # display name -> analysis JSON
    bursts: tuple[Burst, ...]
    flags: dict[str, list[str]]        # display name -> flags, as the analyser stored them


def eyes_of(result: dict | None) -> tuple[float, float] | None:
    """The normalised eye centre from an analysis (older analyses: face centre and eye line)."""
    if not result:
        return None
    eyes = result.get("eyes")
    if isinstance(eyes, list) and len(eyes) == 2 and all(isinstance(v, int | float)
                                                         for v in eyes):
        return float(eyes[0]), float(eyes[1])
    values = result.get("measurements") or {}
    x, y = values.get("face_center_x"), values.get("eye_line")
    if isinstance(x, int | float) and isinstance(y, int | float):
        return float(x), float(y)
    return None


def facts_for(shot: ReviewShot, result: dict | None) -> ShotFacts:
    if not result:
        return ShotFacts(shot.name, shot.captured_at, {})
    return ShotFacts(shot.name, shot.captured_at, dict(result.get("measurements") or {}),
                     tuple(result.get("flags") or ()))


def bursts_for(shots: list[ReviewShot], analysis: dict[str, dict],
               smile_range: tuple[float, float],
               rejected: frozenset[str] | set[str] = frozenset()) -> tuple[Burst, ...]:
    return tuple(group_bursts([facts_for(s, analysis.get(s.name)) for s in shots],
                              smile_range, rejected))


def load_review(folder: Path, smile_range: tuple[float, float] = (0.3, 1.0)) -> ReviewData:
    listing = list_session(folder)
    analysis: dict[str, dict] = {}
    flags: dict[str, list[str]] = {}
    rejected: set[str] = set()
    if listing.catalog_sound:
        store = AnalysisStore(Path(folder))
        try:
            analysis, flags = store.results(), store.flags()
        finally:
            store.close()
        culling = CullingStore(Path(folder))
        try:
            rejected = culling.rejected()
        finally:
            culling.close()
    return ReviewData(listing, analysis,
                      bursts_for(list(listing.shots), analysis, smile_range, rejected),
                      flags)
