"""Keyboard culling as photographers know it (Lightroom, Photo Mechanic): 1-5 stars, 0 clears,
P pick, X reject, U unflag, 6-9 colour labels, with undo. Every change goes to the catalog and
to the XMP sidecar together; at session open, a sidecar edited by another program since is
read back (the newer one wins) and reported. Filters for the review grid.

Pure Python; the thread that owns the session's culling (GUI thread in the app); each change
blocks for two small writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from session.culling_store import CullingStore
from session.xmp_sidecar import CullMarks, SidecarUnreadable, read_sidecar, write_sidecar

KEY_LABELS = {"6": "Red", "7": "Yellow", "8": "Green", "9": "Blue"}
EYE_PROBLEMS = ("eyes_closed", "half_blink", "eyes_soft")


def apply_key(marks: CullMarks, key: str) -> CullMarks | None:
    """The marks after pressing ``key``; None for a key that is not a culling key."""
    key = key.lower()
    if key in "12345" and len(key) == 1:
        return replace(marks, rating=int(key), pick=0 if marks.pick == -1 else marks.pick)
    if key == "0":
        return replace(marks, rating=0)
    if key == "p":
        return replace(marks, pick=1)
    if key == "x":
        return replace(marks, pick=-1)
    if key == "u":
        return replace(marks, pick=0)
    if key in KEY_LABELS:
        label = KEY_LABELS[key]
        return replace(marks, label="" if marks.label == label else label)
    return None


@dataclass(frozen=True)
class CullFilter:
    picks_only: bool = False
    min_rating: int = 0
    unflagged_only: bool = False
    label: str = ""
    hide_eye_problems: bool = False

    def accepts(self, marks: CullMarks, flags: list[str] | tuple[str, ...] = ()) -> bool:
        if self.picks_only and marks.pick != 1:
            return False
        if marks.rating < self.min_rating:
            return False
        if self.unflagged_only and marks.pick != 0:
            return False
        if self.label and marks.label != self.label:
            return False
        return not (self.hide_eye_problems and any(f in EYE_PROBLEMS for f in flags))


@dataclass(frozen=True)
class SidecarScan:
    """Sidecars edited by another program since our last change: name -> (marks, mtime)."""

    newer: dict[str, tuple[CullMarks, float]]
    problems: tuple[str, ...] = ()


def scan_sidecars(folder: Path, originals: dict[str, Path]) -> SidecarScan:
    """Read every sidecar and keep those newer than the catalog's marks. Any thread (its own
    catalog connection); blocks on reading the files (about 0.1 ms each)."""
    store = CullingStore(folder)
    try:
        stored = store.marks()
    finally:
        store.close()
    newer: dict[str, tuple[CullMarks, float]] = {}
    problems = []
    for name, original in originals.items():
        try:
            theirs = read_sidecar(original)
        except SidecarUnreadable as exc:
            problems.append(str(exc))
            continue
        if theirs is None:
            continue
        ours, changed_at = stored.get(name, (CullMarks(), 0.0))
        if theirs == ours:
            continue
        modified = os.stat(original.with_suffix(".xmp")).st_mtime
        if modified > changed_at:
            newer[name] = (theirs, modified)
    return SidecarScan(newer, tuple(problems))


class Culler:
    """Culling for one session: ``originals`` maps each shot's display name to its file.
    ``scan``: the sidecars already read (off the GUI thread); read now when not given."""

    def __init__(self, folder: Path, session_name: str, originals: dict[str, Path],
                 scan: SidecarScan | None = None) -> None:
        self.folder = folder
        self.session_name = session_name
        self.originals = originals
        scan = scan or scan_sidecars(folder, originals)
        self.store = CullingStore(folder)
        self.store.set_many([(name, marks, when) for name, (marks, when) in scan.newer.items()])
        self._marks = {name: marks for name, (marks, _t) in self.store.marks().items()}
        self._undo: list[tuple[str, CullMarks]] = []
        self.problems: list[str] = list(scan.problems)
        self.conflicts = sorted(scan.newer)

    def close(self) -> None:
        self.store.close()

    def marks(self, name: str) -> CullMarks:
        return self._marks.get(name, CullMarks())

    def press(self, name: str, key: str) -> CullMarks | None:
        """Apply a culling key to shot ``name``; None if ``key`` is not one."""
        before = self.marks(name)
        after = apply_key(before, key)
        if after is None:
            return None
        self._set(name, after)
        self._undo.append((name, before))
        return after

    def undo(self) -> tuple[str, CullMarks] | None:
        if not self._undo:
            return None
        name, before = self._undo.pop()
        self._set(name, before)
        return name, before

    def _set(self, name: str, marks: CullMarks) -> None:
        self._marks[name] = marks
        self.store.set_marks(name, marks)
        original = self.originals.get(name)
        if original is not None:
            write_sidecar(original, marks, self.session_name)
