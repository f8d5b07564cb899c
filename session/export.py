"""Export the chosen shots to a folder: verified copies of the originals (with their XMP
sidecars, so ratings travel) and/or delivery JPEGs, named by a template. One bad file is
reported and the rest go on; a full disk stops the export with a clear message; cancellable
between files. Never overwrites a file already in the destination.

Pure Python; runs on the export thread; blocks on disk I/O and decoding.
"""

from __future__ import annotations

import errno
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from session.jpeg_export import render_jpeg
from session.naming import NameFields, NameTemplate, TemplateError, numbered
from session.previews import ImageUnreadable
from session.review_listing import ReviewShot
from session.sanitize import safe_extension
from session.storage import StorageError, write_verified

EXPORT_TEMPLATE = "{orig}"


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

    def checked(self) -> ExportOptions:
        """Raise ValueError (TemplateError) with a clear message for unusable options."""
        ExportTemplate(self.template)
        if not (self.originals or self.jpeg):
            raise ValueError("Choose originals, JPEGs or both to export.")
        if not 64 <= self.long_edge <= 20000:
            raise ValueError("The long edge must be between 64 and 20000 pixels.")
        if not 1 <= self.quality <= 100:
            raise ValueError("JPEG quality must be between 1 and 100.")
        return self


@dataclass
class ExportReport:
    total: int
    written: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    cancelled: bool = False
    stopped: str = ""          # why the export stopped early (disk full)

    def summary(self) -> str:
        done = f"{len(self.written)} file(s) exported"
        if self.cancelled:
            done += " before you cancelled"
        if self.stopped:
            done += f"; stopped: {self.stopped}"
        if self.failures:
            done += f"; {len(self.failures)} failed: " + "; ".join(self.failures[:3])
        return done


Progress = Callable[[int, int, str], None]   # done, total, current file name


def _free_name(folder: Path, name: str) -> Path:
    """``name`` in ``folder``, or name-2, name-3... when taken (nothing is overwritten)."""
    target, counter = folder / name, 2
    while target.exists():
        target = folder / numbered(name, counter)
        counter += 1
    return target


def _write(folder: Path, name: str, data: bytes) -> Path:
    while True:
        target = _free_name(folder, name)
        try:
            write_verified(target, data)
            return target
        except FileExistsError:
            continue  # another program took the name meanwhile


def export_shots(shots: list[ReviewShot], session_name: str, options: ExportOptions,
                 cancel: threading.Event | None = None,
                 progress: Progress | None = None) -> ExportReport:
    options.checked()
    template = ExportTemplate(options.template)
    report = ExportReport(len(shots))
    jpeg_folder = options.destination / f"JPEG {options.long_edge}px" \
        if options.originals and options.jpeg else options.destination
    try:
        jpeg_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        report.stopped = f"the folder {jpeg_folder} cannot be created ({exc.strerror or exc})"
        return report
    for done, shot in enumerate(shots):
        if progress:
            progress(done, len(shots), shot.name)
        if cancel is not None and cancel.is_set():
            report.cancelled = True
            break
        try:
            _export_one(shot, session_name, template, options, jpeg_folder, report)
        except StorageError as exc:
            report.failures.append(f"{shot.name}: {exc.user_message}")
            if exc.errno == errno.ENOSPC:
                report.stopped = f"the disk holding {options.destination} is full"
                break
        except (ImageUnreadable, OSError) as exc:
            report.failures.append(str(exc) if isinstance(exc, ImageUnreadable)
                                   else f"{shot.name}: {exc.strerror or exc}")
    if progress and not report.cancelled and not report.stopped:
        progress(len(shots), len(shots), "")
    return report


def _export_one(shot: ReviewShot, session_name: str, template: ExportTemplate,
                options: ExportOptions, jpeg_folder: Path, report: ExportReport) -> None:
    folder = shot.path.parent

    def name_for(original: str, ext: str) -> str:
        return template.render(NameFields(session_name, shot.seq, shot.captured_at, "",
                                          original.rsplit(".", 1)[0], ext))

    if options.originals:
        sidecars_done: set[Path] = set()
        for original in shot.names:
            source = folder / original
            ext = safe_extension(original.rsplit(".", 1)[-1]) if "." in original else ""
            target = _write(options.destination, name_for(original, ext), source.read_bytes())
            report.written.append(target)
            sidecar = source.with_suffix(".xmp")
            if sidecar.is_file() and sidecar not in sidecars_done:
                sidecars_done.add(sidecar)
                _write(options.destination, target.with_suffix(".xmp").name,
                       sidecar.read_bytes())
    if options.jpeg:
        data = render_jpeg(shot.path, options.long_edge, options.quality, options.strip_private)
        report.written.append(_write(jpeg_folder, name_for(shot.name, "jpg"), data))


__all__ = ["ExportOptions", "ExportReport", "ExportTemplate", "TemplateError", "export_shots"]
