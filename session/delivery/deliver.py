"""Face-anchored delivery of a headshot day: each picture cropped so the eyes sit on the house
eye line and the face has the house height, at a chosen aspect and long edge, into one folder
per person (or one folder of person-named files), with ``consistency.csv`` beside them (the
delivered framing and the source's light, and why a file is an outlier). The export's rules
hold: verified writes, never overwriting, sRGB, the privacy option, a destination outside
any session; one bad file is reported by name and the rest go on; a full disk stops it.

Pure Python; runs on a delivery thread or the command line's, rendering on ``workers``
threads of its own (the command line uses both cores; the GUI one, beside live view); files
are written in order by the calling thread. Blocks on decoding and disk.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Generator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from media.decode.jpeg_export import Credit
from media.decode.previews import ImageUnreadable
from session.delivery.embedded_metadata import DeliveredMetadata, embed
from session.delivery.export import (
    EXPORT_STOPPED,
    ExportOptions,
    Progress,
    _write_together,
    each_file,
    outcome_said,
)
from session.delivery.face_crop import MAX_UPSCALE, Target
from session.delivery.face_render import FaceFrame, Rendered, render_face_crop
from session.people.consistency import Report, Row, csv_text, row_for
from session.people.house_look import HouseLook
from session.store.naming import NO_PERSON
from session.store.sanitize import safe_component
from session.store.storage import StorageError, free_names, write_verified

CONSISTENCY_CSV = "consistency.csv"


@dataclass(frozen=True)
class DeliverItem:
    path: Path                              # the picture to deliver (a shot's display file)
    measurements: Mapping[str, object]      # the coach's measurements of it ({} if none)
    person: str = ""                        # the person's name ('' for nobody known)
    person_id: str = ""
    eyes: tuple[float, float] | None = None   # the eyes' centre, fractions of the frame


@dataclass(frozen=True)
class DeliverOptions:
    destination: Path
    aspect: tuple[int, int] = (4, 5)
    long_edge: int = 2048
    quality: int = 90
    strip_private: bool = True
    credit: Credit = Credit()
    headline: str = ""          # the studio's, written into every file (XMP and IPTC)
    caption: str = ""
    by_person: bool = False                 # one folder per person
    level: bool = False                     # correct the roll
    max_upscale: float = MAX_UPSCALE
    workers: int = 1                        # pictures rendered at once (the GUI: 1)
    write_csv: bool = True                  # the consistency CSV beside the pictures

    def checked(self, sources: tuple[Path, ...]) -> DeliverOptions:
        """Raise ValueError with a clear message for unusable options."""
        ExportOptions(self.destination, jpeg=True, long_edge=self.long_edge,
                      quality=self.quality).checked(sources)
        if not 1.0 <= self.max_upscale <= 4.0:
            raise ValueError("The upscale limit must be between 1 and 4.")
        if not 1 <= self.workers <= 16:
            raise ValueError("Between 1 and 16 pictures may be rendered at once.")
        return self


@dataclass
class DeliverReport:
    total: int
    written: list[Path] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stopped: str = ""
    cancelled: bool = False
    csv_path: Path | None = None
    seconds: float = 0.0

    def report(self, look: HouseLook | None) -> Report:
        return Report(tuple(self.rows), look, tuple(self.failures))

    def summary(self) -> str:
        done = f"{len(self.written)} of {self.total} delivered"
        if self.csv_path is not None:
            done += f"; consistency in {self.csv_path}"
        outliers = sum(r.outlier for r in self.rows)
        if outliers:
            done += f"; {outliers} outlier(s)"
        return done + outcome_said(self)



def face_frame(item: DeliverItem) -> FaceFrame | None:
    m = item.measurements

    def number(key: str) -> float | None:
        value = m.get(key)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
            else None

    eye_line, height, centre = number("eye_line"), number("face_height"), \
        number("face_center_x")
    if eye_line is None or not height or centre is None:
        return None
    eye_x = item.eyes[0] if item.eyes else centre
    return FaceFrame(eye_line, height, centre, eye_x, number("head_roll_deg") or 0.0)


def _stem(item: DeliverItem) -> str:
    if item.person:
        return safe_component(item.person, NO_PERSON, 120)
    return safe_component(item.path.stem, "picture", 120)


def _folder(options: DeliverOptions, item: DeliverItem) -> Path:
    if not options.by_person:
        return options.destination
    return options.destination / safe_component(item.person or NO_PERSON, NO_PERSON, 120)


def deliver(items: Sequence[DeliverItem], look: HouseLook, options: DeliverOptions,
            cancel: threading.Event | None = None,
            progress: Progress | None = None) -> DeliverReport:
    """Deliver ``items`` against ``look`` (its eye line and face height are the targets)."""
    options.checked(tuple({i.path.parent for i in items}))
    report = DeliverReport(len(items))
    started = time.perf_counter()
    target = Target(options.aspect, look.eye_line, look.face_height, options.long_edge,
                    options.max_upscale)
    # What the delivered files should show: the house framing in the crop, levelled if asked.
    delivered_look = replace(look, face_center_x=0.5,
                             head_roll_deg=0.0 if options.level else look.head_roll_deg)
    try:
        options.destination.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        report.stopped = f"the folder {options.destination} cannot be created " \
                         f"({exc.strerror or exc})"
        return report
    renders = _renders(items, target, options, cancel)
    each_file(items, lambda item: item.path.name,
              lambda item: _store_one(item, next(renders), delivered_look, options, report),
              report, options.destination, cancel, progress)
    renders.close()
    if options.write_csv:
        _write_csv(options.destination, report)
    report.seconds = time.perf_counter() - started
    return report




Outcome = Rendered | None | ImageUnreadable | OSError


def _render(item: DeliverItem, target: Target, options: DeliverOptions) -> Outcome:
    """The encoded crop (None: no face to anchor it; the error, for a bad file). Any
    thread."""
    face = face_frame(item)
    if face is None:
        return None
    try:
        return render_face_crop(item.path, face, target, options.quality,
                                options.strip_private, options.credit, options.level)
    except (ImageUnreadable, OSError) as exc:
        return exc


def _renders(items: Sequence[DeliverItem], target: Target, options: DeliverOptions,
             cancel: threading.Event | None) -> Generator[Outcome, None, None]:
    """The items' renders in order, made ``options.workers`` at a time (decoding and
    resampling release the GIL); at most twice that many wait to be written."""
    with ThreadPoolExecutor(max_workers=options.workers,
                            thread_name_prefix="deliver") as pool:
        pending: deque[Future[Outcome]] = deque()
        queue = iter(items)
        try:
            while True:
                while len(pending) < 2 * options.workers and not (cancel and cancel.is_set()):
                    item = next(queue, None)
                    if item is None:
                        break
                    pending.append(pool.submit(_render, item, target, options))
                if not pending:
                    return
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def _store_one(item: DeliverItem, rendered: Outcome, delivered_look: HouseLook,
               options: DeliverOptions, report: DeliverReport) -> None:
    if isinstance(rendered, ImageUnreadable | OSError):
        raise rendered
    if rendered is None:
        report.failures.append(f"{item.path.name}: no face was measured in it, so it cannot "
                               "be cropped to the house look")
        return
    face = face_frame(item)
    assert face is not None
    folder = _folder(options, item)
    folder.mkdir(parents=True, exist_ok=True)
    inside = DeliveredMetadata(item.person, options.credit.artist, options.credit.copyright,
                               options.headline, options.caption)
    written = _write_together(folder, [(f"{_stem(item)}.jpg", embed(rendered.data, inside))])
    report.written.extend(written)
    values = {**item.measurements, **rendered.delivered(),
              "head_roll_deg": face.roll_deg - rendered.roll_corrected}
    relative = written[0].relative_to(options.destination).as_posix()
    report.rows.append(row_for(relative, item.person, values, delivered_look,
                               rendered.plan.problems, item.person_id))


def _write_csv(destination: Path, report: DeliverReport) -> None:
    if not report.rows and not report.failures:
        return
    rows = list(report.rows) + [Row(f.split(":", 1)[0], "", reasons=("not delivered: " +
                                                                      f.split(":", 1)[-1]
                                                                      .strip(),))
                                for f in report.failures]
    try:
        name = free_names(destination, [CONSISTENCY_CSV])[0]
        write_verified(destination / name, csv_text(rows).encode("utf-8"), EXPORT_STOPPED)
        report.csv_path = destination / name
    except (StorageError, FileExistsError, OSError) as exc:
        report.failures.append(f"{CONSISTENCY_CSV}: {exc}")
