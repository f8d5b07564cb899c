"""Keyboard culling as photographers know it (Lightroom, Photo Mechanic): 1-5 stars, 0 clears,
P pick, X reject, U unflag, 6-9 colour labels, with undo. Stars and pick/reject are separate:
a reject keeps its stars, and U brings the shot back with them. Every change goes to the
catalog and is merged into the XMP sidecar; at session open, a sidecar another program edited
after Catchlight's last change is read back and reported (Catchlight's own sidecar is told by
the SHA-256 recorded when it was written, so it is never taken for a foreign edit).
Filters for the review grid.

Pure Python; the thread that owns the session's culling (GUI thread in the app, the command
line's main thread for ``mark``); each change blocks for two small writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from session.culling.culling_store import CullingStore
from session.culling.xmp_sidecar import (
    CullMarks,
    SidecarUnreadable,
    read_sidecar,
    sidecar_changed_at,
    sidecar_digest,
    sidecar_path,
    write_sidecar,
)
from session.model.flags import CLIENT_FAVOURITE, EYE_PROBLEMS, LIGHT_PROBLEMS
from session.store.filenames import shown

KEY_LABELS = {"6": "Red", "7": "Yellow", "8": "Green", "9": "Blue"}


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


def describe(marks: CullMarks) -> str:
    """The marks in words: "rejected ★★★★ Red"."""
    parts = ["rejected" if marks.pick == -1 else "picked" if marks.pick == 1 else "",
             "★" * marks.rating if marks.rating > 0 else "", marks.label]
    return " ".join(p for p in parts if p) or "unmarked"


NEAR_HERO = 80                               # a match score this high is 'near the hero'


@dataclass(frozen=True)
class CullFilter:
    """Which shots the review grid shows. The default shows every shot, rejects included;
    ``Clear filters`` returns to it."""

    picks_only: bool = False
    min_rating: int = 0
    unflagged_only: bool = False
    label: str = ""
    hide_eye_problems: bool = False
    hide_light_problems: bool = False
    client_favourites: bool = False          # only what a client hearted on their phone
    near_hero: bool = False                  # only shots scoring NEAR_HERO or more
    by_match: bool = False                   # best match to the hero frame first

    def accepts(self, marks: CullMarks, flags: Iterable[str] = (),
                match: int | None = None) -> bool:
        """``flags``: the shot's tags (capture flags and client_favourite); ``match``: its
        score against the hero frame (None: not scored)."""
        flags = list(flags)
        if self.near_hero and (match is None or match < NEAR_HERO):
            return False
        if self.picks_only and marks.pick != 1:
            return False
        if self.client_favourites and CLIENT_FAVOURITE not in flags:
            return False
        if self.min_rating > 0 and marks.rating < self.min_rating:
            return False
        if self.unflagged_only and marks.pick != 0:
            return False
        if self.label and marks.label != self.label:
            return False
        if self.hide_light_problems and any(f in LIGHT_PROBLEMS for f in flags):
            return False
        return not (self.hide_eye_problems and any(f in EYE_PROBLEMS for f in flags))


@dataclass(frozen=True)
class SidecarScan:
    """Sidecars another program edited since: name -> (marks, mtime, the sidecar's SHA-256)."""

    newer: dict[str, tuple[CullMarks, float, str]]
    problems: tuple[str, ...] = ()


def scan_sidecars(folder: Path, originals: dict[str, Path]) -> SidecarScan:
    """Read the sidecars that are not the ones Catchlight last wrote, and keep those whose
    marks differ from the catalog's. Any thread (its own catalog connection); blocks on
    reading the files (about 0.1 ms each)."""
    store = CullingStore(folder)
    try:
        stored, ours = store.marks(), store.sidecar_shas()
    finally:
        store.close()
    newer: dict[str, tuple[CullMarks, float, str]] = {}
    problems = []
    for name, original in originals.items():
        digest = sidecar_digest(original)
        if digest is None or digest == ours.get(name):
            continue            # no sidecar, or exactly the one we wrote
        current, changed_at = stored.get(name, (CullMarks(), 0.0))
        try:
            theirs = read_sidecar(original, current)
        except SidecarUnreadable as exc:
            problems.append(str(exc))
            continue
        if theirs is None or theirs == current:
            continue
        modified = sidecar_changed_at(original)
        if modified is None:
            continue
        if modified > changed_at:     # another program's edit after our last change
            newer[name] = (theirs, modified, digest)
    return SidecarScan(newer, tuple(problems))


class Culler:
    """Culling for one session: ``originals`` maps each shot's display name to its file.
    ``scan``: the sidecars already read (off the GUI thread); read now when not given.
    A session that may not be changed (read-only media) is culled by nobody: ``press``
    returns None and ``readonly`` says why."""

    def __init__(self, folder: Path, session_name: str, originals: dict[str, Path],
                 scan: SidecarScan | None = None) -> None:
        self.folder = folder
        self.session_name = session_name
        self.originals = originals
        self.store = CullingStore(folder)
        self.readonly = self.store.readonly
        scan = scan or scan_sidecars(folder, originals)
        if not self.readonly:
            self.store.set_many([(name, marks, when, sha)
                                 for name, (marks, when, sha) in scan.newer.items()])
        self._marks = {name: marks for name, (marks, _t) in self.store.marks().items()}
        if self.readonly:
            self._marks.update((n, m) for n, (m, _t, _s) in scan.newer.items())
        self._undo: list[tuple[str, CullMarks]] = []
        self.problems: list[str] = list(scan.problems)
        self.conflicts = sorted(scan.newer)

    def close(self) -> None:
        self.store.close()

    def marks(self, name: str) -> CullMarks:
        return self._marks.get(name, CullMarks())

    def press(self, name: str, key: str) -> CullMarks | None:
        """Apply a culling key to shot ``name``; None if ``key`` is not one or the session
        may not be changed."""
        before = self.marks(name)
        after = apply_key(before, key)
        if after is None or self.readonly:
            return None
        self.set(name, after)
        self._undo.append((name, before))
        return after

    def undo(self) -> tuple[str, CullMarks] | None:
        if not self._undo or self.readonly:
            return None
        name, before = self._undo.pop()
        self.set(name, before)
        return name, before

    def set(self, name: str, marks: CullMarks) -> None:
        """Store ``marks`` for shot ``name`` in the catalog and merge them into its sidecar,
        as one step under the sidecar's lock (another process hearting the same shot waits):
        the catalog's marks and the SHA-256 of the sidecar now on disk are written together.
        A sidecar that cannot be written leaves the marks in the catalog and a line in
        ``problems``."""
        self._marks[name] = marks
        original = self.originals.get(name)
        if original is None:
            self.store.set_marks(name, marks)
            return
        try:
            written = write_sidecar(
                original, marks, self.session_name,
                then=lambda done: self.store.set_marks(name, marks, sidecar_sha=done.sha256))
        except (OSError, SidecarUnreadable) as exc:
            self.store.set_marks(name, marks)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.problems.append(f"{shown(sidecar_path(original).name)} could not be written "
                                 f"({reason}); the marks are kept in the catalog")
            return
        if written.set_aside:
            self.problems.append(f"{shown(sidecar_path(original).name)} could not be read; it "
                                 f"was kept as {shown(written.set_aside)} and a new sidecar "
                                 "was written")
        if written.was_encoded:
            self.problems.append(f"{shown(sidecar_path(original).name)} was in "
                                 f"{written.was_encoded}; it is now written in UTF-8, as XMP "
                                 "sidecars usually are, with everything in it kept")
