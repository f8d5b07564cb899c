"""The faces the coach measured, written into a session shot's sidecars as mwg-rs regions
(session.culling.xmp_regions) so Lightroom, digiKam and exiftool know where each face is and,
on a headshot day, whose it is. Only in a session folder that may be changed: a plain folder
someone only reviews gets no new files. A sidecar that cannot be written is logged and
skipped (the marks and the analysis are in the catalog either way).

Pure Python; runs on the capture-analysis thread; blocks for two small writes.
"""

from __future__ import annotations

import logging
from pathlib import Path

from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import SidecarUnreadable, write_face_regions
from session.store.catalog_place import place_of

log = logging.getLogger(__name__)


def record_face_regions(folder: Path, original: Path,
                        boxes: list[tuple[float, float, float, float]],
                        size: tuple[int, int] | None) -> bool:
    """Write the face regions of ``original``; True when they were written."""
    place = place_of(folder)
    if place.readonly or not place.in_folder or not original.is_file():
        return False
    culling = CullingStore(folder)
    try:
        write_face_regions(original, boxes, size,
                           then=lambda done: culling.set_sidecar_sha(original.name, done.sha256))
    except (OSError, SidecarUnreadable) as exc:
        log.warning("face regions of %s not written: %s", original.name, exc)
        return False
    finally:
        culling.close()
    return True
