"""Crash repair at session open: leftover temporary files are removed and image files that
reached the folder but not the catalog (a crash between write and record) are recorded.

Pure Python; runs on the ingest thread before the first ingest; blocks on disk I/O (hashing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from session.catalog import Catalog, StoredFile
from session.storage import TEMP_PREFIX, TEMP_SUFFIX, sha256_of_file

IMAGE_EXTENSIONS = {"jpg", "jpeg", "nef", "cr2", "cr3", "arw", "raf", "orf", "rw2", "dng",
                    "pef", "tif", "tiff", "heic", "png"}


@dataclass(frozen=True)
class RepairReport:
    temp_removed: int
    recovered: tuple[str, ...]

    @property
    def message(self) -> str:
        parts = []
        if self.recovered:
            parts.append(f"{len(self.recovered)} file(s) that were saved but not yet "
                         "catalogued before the last exit were found and recorded")
        if self.temp_removed:
            parts.append(f"{self.temp_removed} unfinished temporary file(s) were removed")
        return "; ".join(parts)


def repair_session(folder: Path, catalog: Catalog) -> RepairReport:
    removed = 0
    for temp in folder.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        temp.unlink(missing_ok=True)
        removed += 1
    known = catalog.known_names()
    orphans: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        ext = path.suffix.lower().lstrip(".")
        if (path.is_file() and not path.name.startswith(".") and path.name not in known
                and ext in IMAGE_EXTENSIONS):
            orphans.setdefault(path.stem, []).append(path)
    recovered: list[str] = []
    for _stem, paths in orphans.items():
        files = [StoredFile(p.name, p.stat().st_size, sha256_of_file(p)) for p in paths]
        catalog.add_shot(catalog.next_seq(), min(p.stat().st_mtime for p in paths), "",
                         files, recovered=True)
        recovered.extend(p.name for p in paths)
    return RepairReport(removed, tuple(recovered))
