"""Export the chosen shots to a folder, always laid out the same way: verified copies of the
originals (with their XMP sidecars, so ratings travel) in ``Originals/``, delivery JPEGs in
``JPEG <long edge>px/``, named by a template. One bad file is reported and the rest go on; a
full disk stops the export with a clear message; cancellable between files. Never overwrites
a file already in the destination.

Pure Python; runs on the export thread; blocks on disk I/O and decoding.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

from media.decode.jpeg_export import Credit, render_jpeg
from media.decode.previews import ImageUnreadable
from session.culling.xmp_sidecar import read_people
from session.delivery.embedded_metadata import DeliveredMetadata, embed
from session.model.live_session import Shot
from session.store.catalog_place import CATALOG_NAME
from session.store.naming import NameFields, NameTemplate, TemplateError
from session.store.sanitize import safe_extension
from session.store.storage import StorageError, free_names, write_verified

EXPORT_TEMPLATE = "{orig}"
ORIGINALS_FOLDER = "Originals"
EXPORT_STOPPED = "The export stopped there; the files exported before are complete."


def session_holding(destination: Path) -> Path | None:
    """The session folder ``destination`` is in (or is), if any."""
    destination = Path(destination).absolute()
    for folder in (destination, *destination.parents):
        if (folder / CATALOG_NAME).is_file():
            return folder
    return None


class ExportTemplate(NameTemplate):
    """Export names may keep the original name ({orig}) instead of a sequence number."""

    @staticmethod
    def unique_tokens() -> tuple[str, ...]:
        return ("seq", "orig")


@dataclass(frozen=True)
class ExportOptions:
    destination: Path
    originals: bool = True
    jpeg: bool = False
    long_edge: int = 2048
    quality: int = 90
    strip_private: bool = True
    template: str = EXPORT_TEMPLATE
    credit: Credit = Credit()
    headline: str = ""          # the studio's, written into every JPEG (XMP and IPTC)
    caption: str = ""

    @property
    def originals_folder(self) -> Path:
        return self.destination / ORIGINALS_FOLDER

    @property
    def jpeg_folder(self) -> Path:
        return self.destination / f"JPEG {self.long_edge}px"

    def checked(self, sources: tuple[Path, ...] = ()) -> ExportOptions:
        """Raise ValueError (TemplateError) with a clear message for unusable options.
        ``sources``: the folders of the shots exported (never a destination either)."""
        ExportTemplate(self.template)
        inside = session_holding(self.destination)
        resolved = self.destination.resolve()
        if inside is not None or any(resolved == Path(f).resolve() or Path(f).resolve()
                                     in resolved.parents for f in sources):
            where = inside or next(iter(sources))
            raise ValueError(f"Choose a folder outside {where}: copies exported into a session "
                             "or the folder being reviewed would be taken for new shots.")
        if not (self.originals or self.jpeg):
            raise ValueError("Choose originals, JPEGs or both to export.")
        if not 64 <= self.long_edge <= 20000:
            raise ValueError("The long edge must be between 64 and 20000 pixels.")
        if not 1 <= self.quality <= 100:
            raise ValueError("JPEG quality must be between 1 and 100.")
        return self


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass
class ExportReport:
    total: int
    written: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cancelled: bool = False
    stopped: str = ""          # why the export stopped early (disk full)
    originals: int = 0         # shots whose originals were copied
    jpegs: int = 0             # delivery JPEGs written
    destination: Path | None = None

    def summary(self) -> str:
        """'3 shots: 3 originals and 3 JPEGs in <folder>', then what went wrong."""
        parts = [text for n, text in ((self.originals, _count(self.originals, "original",
                                                               "originals")),
                                      (self.jpegs, _count(self.jpegs, "JPEG", "JPEGs"))) if n]
        done = f"{_count(self.total, 'shot', 'shots')}: " + \
            (" and ".join(parts) if parts else "nothing") + " exported"
        if self.destination is not None and parts:
            done += f" to {self.destination}"
        return done + outcome_said(self)


Progress = Callable[[int, int, str], None]   # done, total, current file name
T = TypeVar("T")


class Outcome(Protocol):
    """What a run over files reports (ExportReport, DeliverReport)."""

    failures: list[str]
    stopped: str
    cancelled: bool


def outcome_said(report: Outcome) -> str:
    """How a run over files ended, to follow its count: ' before you cancelled', the
    reason it stopped and the first failures ('' when all went well)."""
    said = " before you cancelled" if report.cancelled else ""
    if report.stopped:
        said += f"; stopped: {report.stopped}"
    if report.failures:
        said += f"; {len(report.failures)} failed: " + "; ".join(report.failures[:3])
    return said


def each_file(items: Sequence[T], name_of: Callable[[T], str], work: Callable[[T], None],
              report: Outcome, destination: Path, cancel: threading.Event | None = None,
              progress: Progress | None = None) -> None:
    """``work`` on every item in turn: one bad file is reported by name and the rest go on;
    a full disk stops the run with a clear message; cancellable between files."""
    for done, item in enumerate(items):
        if progress:
            progress(done, len(items), name_of(item))
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        try:
            work(item)
        except StorageError as exc:
            report.failures.append(f"{name_of(item)}: {exc.user_message}")
            if exc.errno == errno.ENOSPC:
                report.stopped = f"the disk holding {destination} is full"
                break
        except (ImageUnreadable, OSError) as exc:
            report.failures.append(str(exc) if isinstance(exc, ImageUnreadable)
                                   else f"{name_of(item)}: {exc.strerror or exc}")
    if progress and not report.cancelled and not report.stopped:
        progress(len(items), len(items), "")


def _write_together(folder: Path, items: list[tuple[str, bytes]]) -> list[Path]:
    """Write files that belong together (the originals of a shot and their sidecar, named
    last) under one free stem: nothing in ``folder`` is overwritten, and no foreign sidecar
    pairs with them. Returns the paths, in ``items`` order."""
    while True:
        names = free_names(folder, [n for n, _d in items if not n.endswith(".xmp")])
        stem_of = {n: names[i] for i, n in enumerate(
            n for n, _d in items if not n.endswith(".xmp"))}
        written: list[Path] = []
        try:
            for name, data in items:
                own = stem_of.get(name.removesuffix(".xmp"))    # darktable's <file>.xmp
                final = stem_of.get(name) or (f"{own}.xmp" if own else
                                              f"{Path(names[0]).stem}.xmp")  # follows them
                write_verified(folder / final, data, EXPORT_STOPPED)
                written.append(folder / final)
            return written
        except FileExistsError:
            for path in written:          # ours, from this very attempt: try the next stem
                path.unlink(missing_ok=True)


def export_shots(shots: list[Shot], session_name: str, options: ExportOptions,
                 cancel: threading.Event | None = None,
                 progress: Progress | None = None) -> ExportReport:
    options.checked(tuple({s.path.parent for s in shots}))
    template = ExportTemplate(options.template)
    report = ExportReport(len(shots), destination=options.destination)
    folders = ([options.originals_folder] if options.originals else []) + \
        ([options.jpeg_folder] if options.jpeg else [])
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            report.stopped = f"the folder {folder} cannot be created ({exc.strerror or exc})"
            return report
    each_file(shots, lambda shot: shot.display_name,
              lambda shot: _export_one(shot, session_name, template, options, report),
              report, options.destination, cancel, progress)
    return report


def _export_one(shot: Shot, session_name: str, template: ExportTemplate,
                options: ExportOptions, report: ExportReport) -> None:
    folder = shot.path.parent

    def name_for(original: str, ext: str) -> str:
        return template.render(NameFields(session_name, shot.seq, shot.captured_at, "",
                                          original.rsplit(".", 1)[0], ext))

    if options.originals:
        items = []
        for original in shot.names:
            ext = safe_extension(original.rsplit(".", 1)[-1]) if "." in original else ""
            items.append((name_for(original, ext), (folder / original).read_bytes()))
        sidecar = shot.path.with_suffix(".xmp")
        if sidecar.is_file() and not sidecar.is_symlink():
            items.append((f"{Path(items[0][0]).stem}.xmp", sidecar.read_bytes()))
        for index, original in enumerate(shot.names):     # darktable's, beside each file
            own = folder / f"{original}.xmp"
            if own.is_file() and not own.is_symlink():
                items.append((f"{items[index][0]}.xmp", own.read_bytes()))
        report.written.extend(p for p in _write_together(options.originals_folder, items)
                              if p.suffix != ".xmp")
        report.originals += 1
    if options.jpeg:
        data = embed(render_jpeg(shot.path, options.long_edge, options.quality,
                                 options.strip_private, options.credit),
                     DeliveredMetadata(_person_in(shot), options.credit.artist,
                                       options.credit.copyright, options.headline,
                                       options.caption,
                                       marks=getattr(shot, "marks", None)))  # a listing: none
        report.written.extend(_write_together(options.jpeg_folder,
                                              [(name_for(shot.name, "jpg"), data)]))
        report.jpegs += 1


def _person_in(shot: Shot) -> str:
    """The person the shot's sidecar names ('' for none)."""
    people = read_people(shot.path)
    return people[-1] if people else ""


__all__ = ["EXPORT_STOPPED", "ExportOptions", "ExportReport", "ExportTemplate", "TemplateError",
           "export_shots"]
