"""What a session folder holds for review: every shot (a RAW+JPEG pair is one shot) in
capture order, from the catalog, plus image files that reached the folder some other way (a
plain folder of images reviews too), and the files that are not images, reported.

Pure Python; runs on a background thread when a session opens for review; blocks on a catalog
query and one directory scan (tens of ms for 2,000 shots).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from media.decode.tiff_reader import TiffReader, exif_tiff
from media.file_kinds import display_first, extension, is_image_name
from session.store.catalog import CATALOG_NAME, Catalog, CatalogDamaged, ShotRecord
from session.store.catalog_place import place_of
from session.store.filenames import shown

IGNORED_SUFFIXES = (".xmp", ".sqlite", ".sqlite-wal", ".sqlite-shm", ".tmp", ".part")
EXIF_IFD, DATE_TIME_ORIGINAL = 0x8769, 0x9003


@dataclass(frozen=True)
class ReviewShot:
    path: Path                  # the file shown (the JPEG of a RAW+JPEG pair)
    names: tuple[str, ...]      # every file of the shot
    captured_at: float
    seq: int
    content_key: str            # catalogued SHA-256, or size and mtime for other files

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def display_name(self) -> str:
        """The name as a person reads it (undecodable bytes as \\xNN)."""
        return shown(self.path.name)


@dataclass(frozen=True)
class ReviewListing:
    folder: Path
    session_name: str
    shots: tuple[ReviewShot, ...]
    problems: tuple[str, ...]   # one line per file that cannot be reviewed
    readonly: str = ""          # why nothing may be changed ('' when it may)
    catalog_sound: bool = True  # False: the catalog is damaged; shots listed from the folder


def exif_time(path: Path) -> float | None:
    """DateTimeOriginal from the file's EXIF header (local time), or None."""
    try:
        with open(path, "rb") as handle:
            tiff = exif_tiff(handle.read(128 * 1024))
        if not tiff:
            return None
        reader = TiffReader(tiff)
        entries = reader.entries(reader.first_ifd())
        if EXIF_IFD not in entries:
            return None
        sub = reader.entries(entries[EXIF_IFD][2])
        if DATE_TIME_ORIGINAL not in sub:
            return None
        _kind, count, offset = sub[DATE_TIME_ORIGINAL]
        text = tiff[offset:offset + count].split(b"\0")[0].decode("ascii")
        return dt.datetime.strptime(text, "%Y:%m:%d %H:%M:%S").timestamp()
    except (OSError, ValueError, IndexError, KeyError, UnicodeDecodeError):
        return None


def stat_key(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return f"missing:{shown(path.name)}"
    return f"stat:{info.st_size}:{info.st_mtime_ns}:{shown(path.name)}"


def _catalogued(folder: Path, problems: list[str]) -> tuple[str, list[ShotRecord], bool]:
    """(session name, shots, sound) from the folder's catalog; a damaged catalog lists
    nothing (the folder's files are shown instead) and says so."""
    place = place_of(folder)
    if place.in_folder and place.readonly and not place.path.exists():
        return folder.name, [], True
    try:
        catalog = Catalog(folder, place.readonly, place.path)
        try:
            return catalog.get_meta("name") or folder.name, catalog.shots(), True
        finally:
            catalog.close()
    except (sqlite3.DatabaseError, CatalogDamaged) as exc:
        problems.append(f"the session catalog is damaged ({exc}); the pictures are listed from "
                        "the folder. Open the session for shooting to rebuild it")
        return folder.name, [], False


def _files_in(folder: Path) -> set[str]:
    present = set()
    for entry in os.scandir(folder):
        try:
            if entry.is_file():
                present.add(entry.name)
        except OSError:
            continue
    return present


def list_session(folder: Path) -> ReviewListing:
    """The shots of ``folder`` in capture order and what could not be listed."""
    folder = Path(folder)
    problems: list[str] = []
    name, records, sound = _catalogued(folder, problems)
    present = _files_in(folder)
    shots: list[ReviewShot] = []
    catalogued: set[str] = set()
    for record in records:
        names = [f.name for f in record.files]
        catalogued.update(names)
        here = [n for n in display_first(names) if n in present]
        if not here:
            problems.append(f"shot {record.seq} ({', '.join(map(shown, names))}) is missing "
                            "from the folder")
            continue
        sha = next(f.sha256 for f in record.files if f.name == here[0])
        shots.append(ReviewShot(folder / here[0], tuple(names), record.captured_at, record.seq,
                                sha))
    shots.extend(_loose_shots(folder, sorted(present - catalogued), problems,
                              1 + max((s.seq for s in shots), default=0)))
    return ReviewListing(folder, name, tuple(shots), tuple(problems), place_of(folder).reason,
                         sound)


def _loose_shots(folder: Path, names: list[str], problems: list[str],
                 first_seq: int) -> list[ReviewShot]:
    """Image files the catalog does not know, grouped by stem, ordered by EXIF time."""
    by_stem: dict[str, list[str]] = {}
    for name in names:
        if name.startswith(".") or name.startswith(CATALOG_NAME) \
                or name.endswith(IGNORED_SUFFIXES) or ".xmp.damaged-" in name:
            continue
        if is_image_name(name) and extension(name) not in ("heic", "heif"):
            by_stem.setdefault(name.rsplit(".", 1)[0], []).append(name)
        else:
            problems.append(f"{shown(name)} is not an image Catchlight shows; it was left out "
                            "of the review")
    loose = []
    for stem_names in by_stem.values():
        first = folder / display_first(stem_names)[0]
        taken = exif_time(first)
        if taken is None:
            try:
                taken = first.stat().st_mtime
            except OSError:
                taken = 0.0
        loose.append((taken, first, tuple(sorted(stem_names))))
    loose.sort(key=lambda item: (item[0], item[1].name))
    return [ReviewShot(path, names, taken, first_seq + i, stat_key(path))
            for i, (taken, path, names) in enumerate(loose)]
