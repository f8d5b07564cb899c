"""``python main.py mark SESSION FILE... [--rating N] [--pick | --reject | --unflag]
[--label COLOUR]``: culling marks from scripts and tests, through the same Culler (catalog
and merged XMP sidecar) as the keys in the windows. A FILE is a name in the session or a path
to one of its files; either file of a RAW+JPEG pair marks the shot.

Command line only; blocks while it works. Prints one line per shot: "<name>: <marks>".
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from coaching.cli.named_shots import named_shots
from session.culling.culling import Culler, describe, scan_sidecars
from session.culling.xmp_sidecar import LABELS
from session.review.review_listing import list_session
from session.store.filenames import shown


def keys_for(rating: int | None, flag: str | None) -> list[str]:
    """The culling keys that make these changes (label handled apart: its key toggles)."""
    keys = [str(rating)] if rating is not None else []
    if flag:
        keys.append({"pick": "p", "reject": "x", "unflag": "u"}[flag])
    return keys


def run_mark(folder: Path, files: list[str], rating: int | None, flag: str | None,
             label: str | None, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Exit code 0 when every file was marked, 1 when one was not found or nothing may be
    changed, 2 for bad arguments."""
    if rating is not None and not 0 <= rating <= 5:
        print("error: --rating must be 0 to 5", file=err)
        return 2
    if label is not None and label.capitalize() not in LABELS[1:] and label.lower() != "none":
        print(f"error: --label must be one of {', '.join(LABELS[1:])} or none", file=err)
        return 2
    folder = Path(folder)
    if not folder.is_dir():
        print(f"error: no session folder at {folder}", file=err)
        return 1
    listing = list_session(folder)
    originals = {shot.name: shot.path for shot in listing.shots}
    culler = Culler(folder, listing.session_name, originals, scan_sidecars(folder, originals))
    try:
        if culler.readonly:
            print(f"error: {listing.readonly or folder}: the session may not be changed",
                  file=err)
            return 1
        shots, status = named_shots(listing, files, err)
        for name in (shot.name for shot in shots):
            for key in keys_for(rating, flag):
                culler.press(name, key)
            if label is not None:
                wanted = "" if label.lower() == "none" else label.capitalize()
                marks = culler.marks(name)
                if marks.label != wanted:     # Purple has no key: set, not pressed
                    culler.set(name, replace(marks, label=wanted))
            print(f"{shown(name)}: {describe(culler.marks(name))}", file=out)
        for problem in culler.problems:
            print(f"warning: {problem}", file=err)
        return status
    finally:
        culler.close()
