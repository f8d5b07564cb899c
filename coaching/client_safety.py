"""A fast client-safety check of a new capture before the client sees it: the face landmarker
on the embedded preview (a few hundred pixels, ~10-20 ms) decides no_face and eyes_closed.
The full per-capture analysis (catalog, badges) runs separately.

Pure Python; runs on the client-feed thread, which owns its Landmarkers.
"""

from __future__ import annotations

from pathlib import Path

from coaching.flags import capture_flags
from coaching.landmarks import Landmarkers
from coaching.measurements import measure
from session.flags import Flag, client_safe
from session.previews import decode_for_display, embedded_preview

CHECK_EDGE = 640


def safety_flags(path: Path, landmarkers: Landmarkers) -> list[Flag]:
    """Capture flags from a small version of ``path`` (its embedded preview when it has one)."""
    preview = embedded_preview(path)
    rgb = preview.rgb if preview is not None and max(preview.rgb.shape) >= 300 else \
        decode_for_display(path, (CHECK_EDGE, CHECK_EDGE)).rgb
    observation = landmarkers.detect(rgb)
    return capture_flags(len(observation.faces), measure(observation))


def is_client_safe(flags: list[str]) -> bool:
    return client_safe(flags)
