"""``python main.py deliver SOURCE --to DIR [--aspect W:H] [--long-edge PX]
[--house-look FILE|common|median] [--picks-only] [--by-person] [--level]``: face-anchored
delivery from the command line. SOURCE is a session (its roster names the people, its house
look is the default target) or a plain folder of images (people from their sidecars'
PersonInImage; the common framing every picture can reach is the default target,
session.delivery.common_framing). Pictures without a stored
analysis are analysed here. Prints one line per file, the summary and the time per file;
exits 1 naming every file that failed, 2 for unusable arguments.

Command line only; blocks while it works.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from coaching.landmarking.landmarks import Landmarkers
from coaching.landmarking.models import ModelUnavailable
from coaching.measure.profiles import load_profiles
from coaching.stills.analysis import analyze_image
from media.decode.jpeg_export import Credit
from session.culling.xmp_sidecar import read_people
from session.delivery.common_framing import common_look, frame_size
from session.delivery.deliver import DeliverItem, DeliverOptions, deliver
from session.delivery.face_crop import parse_aspect
from session.model.live_session import SessionModel, Shot
from session.model.session_snapshot import load_snapshot
from session.people.house_look import HouseLook, HouseLookError, load_look, median_look
from session.people.house_look_store import session_look
from session.people.roster_store import RosterStore
from session.people.team import deliver_items
from session.review.review_data import eyes_of
from session.store.catalog_place import CATALOG_NAME

MEDIAN = "median"
COMMON = "common"


def _items(folder: Path, picks_only: bool) -> list[DeliverItem]:
    """The pictures to deliver, with their person and stored measurements."""
    model = SessionModel()
    try:
        model.open(load_snapshot(folder))
        shots: Sequence[Shot] = model.shots
    finally:
        model.close()
    people, assigned = [], {}
    if (folder / CATALOG_NAME).is_file():
        store = RosterStore(folder)
        try:
            people, assigned = store.people(), store.assignments()
        finally:
            store.close()
    return deliver_items(shots, people, assigned, picks_only, read_people)


def _analysed(items: list[DeliverItem], err: TextIO) -> list[DeliverItem] | None:
    """Items without a measured face analysed now (None when the models are missing)."""
    todo = [i for i, item in enumerate(items) if item.measurements.get("eye_line") is None]
    if not todo:
        return items
    try:
        landmarkers = Landmarkers(video=False)
    except ModelUnavailable as exc:
        print(f"error: {exc}", file=err)
        return None
    profile = load_profiles().get(None)
    out = list(items)
    try:
        for i in todo:
            result = analyze_image(items[i].path, landmarkers, profile).as_json()
            out[i] = DeliverItem(items[i].path, result["measurements"] if result["ok"] else {},
                                 items[i].person, items[i].person_id, eyes_of(result))
    finally:
        landmarkers.close()
    return out


def _look(choice: str | None, folder: Path, items: list[DeliverItem], out: TextIO,
          aspect: tuple[int, int] = (4, 5)) -> HouseLook | None:
    if choice and choice not in (MEDIAN, COMMON):
        return load_look(Path(choice))
    if choice is None and (folder / CATALOG_NAME).is_file():
        look = session_look(folder)
        if look is not None:
            print(f"house look: the session's, from {look.source}", file=out)
            return look
    if choice != MEDIAN:       # no look chosen: the most consistent set the folder allows
        look = common_look([(i.measurements, frame_size(i.path)) for i in items], aspect)
    else:
        look = median_look(i.measurements for i in items)
    if look is not None:
        print(f"house look: {look.source} ({look.line()})", file=out)
    return look


def run_deliver(source: Path, to: Path, aspect: str = "4:5", long_edge: int = 2048,
                house_look: str | None = None, picks_only: bool = False,
                by_person: bool = False, level: bool = False, keep_private: bool = False,
                max_upscale: float = 1.0, quality: int = 90, jobs: int = 0,
                artist: str = "", copyright_: str = "", headline: str = "",
                caption: str = "", out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """``jobs``: pictures rendered at once (0: one per core, at most two)."""
    source = Path(source)
    if not source.is_dir():
        print(f"error: {source} is not a folder (a session or a folder of images)", file=err)
        return 2
    try:
        ratio = parse_aspect(aspect)
        options = DeliverOptions(Path(to), ratio, long_edge, quality, not keep_private,
                                 Credit(artist.strip(), copyright_.strip()),
                                 by_person=by_person, level=level, max_upscale=max_upscale,
                                 workers=jobs or min(2, os.cpu_count() or 1),
                                 headline=headline.strip(), caption=caption.strip()
                                 ).checked((source,))
    except ValueError as exc:
        print(f"error: {exc}", file=err)
        return 2
    started = time.perf_counter()
    items = _items(source, picks_only)
    if not items:
        print(f"error: nothing to deliver in {source}" + (" (no picks)" if picks_only else ""),
              file=err)
        return 1
    analysed = _analysed(items, err)
    if analysed is None:
        return 2
    try:
        look = _look(house_look, source, analysed, out, ratio)
    except HouseLookError as exc:
        print(f"error: {exc}", file=err)
        return 2
    if look is None:
        print("error: no face was measured in any picture: there is no framing to deliver "
              "against", file=err)
        return 1
    report = deliver(analysed, look, options,
                     progress=lambda done, total, name: None)
    for row in report.rows:
        said = f"{row.file}" + (f"  ({'; '.join(row.reasons)})" if row.reasons else "")
        print(said, file=out)
    print(report.summary(), file=out)
    files = max(1, len(report.written))
    print(f"time: {report.seconds:.1f} s delivering, {report.seconds / files:.2f} s per file; "
          f"{time.perf_counter() - started:.1f} s in all", file=out)
    for failure in report.failures:
        print(f"failed: {failure}", file=err)
    if report.stopped:
        print(f"error: stopped: {report.stopped}", file=err)
    return 1 if report.failures or report.stopped else 0
